import { GetAccountCommand, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailer } from '../../lambdas/mail/ses/ses-mailer';
import { SesSendQuota } from '../../lambdas/mail/ses/ses-send-quota';
import { sesClient, type SesClientOptions } from '../../lambdas/platform/aws/ses-client';
import { MailNotAcceptedError, MailRejectedError } from '../../lambdas/platform/function-errors';
import { LOCAL_CREDENTIALS } from '@registry-notices/local-stack';
import { createAwsClients, type AwsClients } from '../support/aws-clients';
import { Mailbox } from '../support/mailbox';
import { expectedSignature, KEYS, scriptedServer } from '../support/sigv4';

const at = (name: string) => `${name}@ses-client.example.com`;

/** An email as the notify function sends one: tags, configuration set, one-click unsubscribe. */
const email = (to: string, marker: string) => ({
  to,
  subject: `Your registry ${marker}: Ünïcode ✓`,
  html: `<p>Hello ${marker}</p><p><a href="https://u.example/?token=abc">Unsubscribe</a></p>`,
  text: `Hello ${marker}\n\nUnsubscribe: https://u.example/?token=abc`,
  tags: { template: 'purchase-notice', noticeId: `evt#${marker}`, locale: 'de' },
  listUnsubscribe: 'https://u.example/?token=abc',
});

const SENDER = { fromAddress: 'gifts@notices.example.com', configurationSetName: 'registry-notices' };

/** A mailer whose client (our sesClient, 3 attempts) sends to the stub at `url`. */
const mailerAt = (url: string, credentials: SesClientOptions['credentials'] = LOCAL_CREDENTIALS) =>
  new SesMailer({ client: sesClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 3 }), ...SENDER });

/** What sending one email marked `name` (to `at(name)`) threw. */
const failureOf = (mailer: SesMailer, name: string): Promise<unknown> => mailer.send(email(at(name), name)).catch((e: unknown) => e);

describe('sesClient (SESv2Client with our request handler and no-resend retry strategy): SendEmail and GetAccount', () => {
  let aws: AwsClients;
  const mailbox = new Mailbox();

  beforeAll(() => {
    aws = createAwsClients();
  });
  afterAll(() => aws?.destroy());

  it('sends exactly the request a plain SESv2Client sends for the same email, and the emulator stores the same mail', async () => {
    // Prepare: both clients send through a recorder, then the same through the emulator.
    const recorder = await scriptedServer([{ status: 200, body: { MessageId: 'recorded' } }]);
    const sdk = new SESv2Client({ endpoint: recorder.url, region: 'eu-west-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    const ours = new SesMailer({ client: sesClient({ endpoint: recorder.url, region: 'eu-west-1', credentials: LOCAL_CREDENTIALS }), ...SENDER });
    // What SesMailer sent through our handler: sent again, field by field, by the SDK's own handler.
    await ours.send(email(at('rec'), 'same'));
    const sent = JSON.parse(recorder.requests[0]!.body) as ConstructorParameters<typeof SendEmailCommand>[0];
    await sdk.send(new SendEmailCommand(sent));
    recorder.server.close();
    sdk.destroy();

    // Act
    await new SesMailer({ client: aws.sesSender, ...SENDER }).send(email(at('ours'), 'same'));
    await aws.ses.send(new SendEmailCommand({ ...sent, Destination: { ToAddresses: [at('sdk')] } }));

    // Assess: the same path and JSON (tags, configuration set, headers, charsets), the same stored mail.
    const [byUs, bySdk] = recorder.requests;
    expect(byUs).toMatchObject({ method: 'POST', path: '/v2/email/outbound-emails' });
    expect(bySdk).toMatchObject({ method: 'POST', path: '/v2/email/outbound-emails' });
    expect(JSON.parse(byUs!.body)).toEqual(JSON.parse(bySdk!.body));
    expect(sent).toMatchObject({
      ConfigurationSetName: 'registry-notices',
      EmailTags: [
        { Name: 'template', Value: 'purchase-notice' },
        { Name: 'noticeId', Value: 'evt_same' },
        { Name: 'locale', Value: 'de' },
      ],
      Content: { Simple: { Headers: [{ Name: 'List-Unsubscribe', Value: '<https://u.example/?token=abc>' }, { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' }] } },
    });
    const [mine] = await mailbox.to(at('ours'));
    const [theirs] = await mailbox.to(at('sdk'));
    const comparable = (mail: typeof mine) => ({ ...mail, messageId: undefined, receivedAt: undefined, to: undefined });
    expect(mine?.subject).toBe('Your registry same: Ünïcode ✓');
    expect(comparable(mine)).toEqual(comparable(theirs));
    expect(mine?.headers).toEqual([
      { name: 'List-Unsubscribe', value: '<https://u.example/?token=abc>' },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
  });

  it('signs SendEmail (POST) and GetAccount (GET) as the SigV4 specification says, for SES in its region', async () => {
    // Prepare
    const stub = await scriptedServer([
      { status: 200, body: { MessageId: 'm-1' } },
      { status: 200, body: { SendQuota: { MaxSendRate: 7, Max24HourSend: 1000, SentLast24Hours: 3 } } },
    ]);
    const client = sesClient({ endpoint: stub.url, region: 'eu-central-1', credentials: async () => KEYS });

    // Act
    const sent = await new SesMailer({ client, ...SENDER }).send(email(at('signed'), 'signed'));
    const quota = await new SesSendQuota(client).quota();
    stub.server.close();

    // Assess
    expect([sent, quota]).toEqual(['m-1', { maxSendRate: 7, max24HourSend: 1000, sentLast24Hours: 3 }]);
    const [send, account] = stub.requests;
    expect(send).toMatchObject({ method: 'POST', path: '/v2/email/outbound-emails' });
    expect(send!.headers).toMatchObject({ 'content-type': 'application/json', 'x-amz-security-token': KEYS.sessionToken });
    expect(account).toMatchObject({ method: 'GET', path: '/v2/email/account', body: '' });
    for (const request of [send!, account!]) {
      const auth = String(request.headers.authorization);
      expect(auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/ses\/aws4_request, /);
      expect(auth.split('SignedHeaders=')[1]?.split(',')[0]?.split(';')).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token']));
      expect(auth.split('Signature=')[1]).toBe(expectedSignature(request, KEYS.secretAccessKey));
    }
  });

  it('reads the send quota from the SES emulator as a plain SESv2Client does', async () => {
    // Act
    const ours = await new SesSendQuota(aws.sesSender).quota();
    const sdk = await aws.ses.send(new GetAccountCommand({}));

    // Assess
    expect(ours).toEqual({ maxSendRate: sdk.SendQuota?.MaxSendRate, max24HourSend: sdk.SendQuota?.Max24HourSend, sentLast24Hours: sdk.SendQuota?.SentLast24Hours });
    expect(ours.maxSendRate).toBeGreaterThan(0);
  });

  it('a 4xx refusal is MailRejectedError with SES error type as its reason, sent once', async () => {
    // Prepare: SES's answer to an unverified sender.
    const stub = await scriptedServer([
      { status: 400, body: { message: 'Email address is not verified.' }, headers: { 'x-amzn-errortype': 'MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/' } },
    ]);

    // Act
    const error = await failureOf(mailerAt(stub.url), 'rejected');
    stub.server.close();

    // Assess
    expect(error).toBeInstanceOf(MailRejectedError);
    expect(error).toMatchObject({ code: 'MessageRejected', reason: 'SES_MessageRejected' });
    expect(stub.requests).toHaveLength(1);
  });

  it('throttling (429, or its error type in the body) is retried, then MailNotAcceptedError THROTTLED: nothing was sent', async () => {
    // Prepare
    const stub = await scriptedServer([
      { status: 429, body: { message: 'Maximum sending rate exceeded.' }, headers: { 'x-amzn-errortype': 'TooManyRequestsException' } },
      { status: 400, body: { code: 'LimitExceededException', message: 'Daily quota' } },
    ]);

    // Act
    const error = await failureOf(mailerAt(stub.url), 'throttled');
    stub.server.close();

    // Assess
    expect(error).toBeInstanceOf(MailNotAcceptedError);
    expect(error).toMatchObject({ because: 'THROTTLED' });
    expect(stub.requests).toHaveLength(3);
  });

  it("SendingPausedException and AccountSuspendedException are the account's state: not sent (ACCOUNT_PAUSED), asked once each, never a refusal of the email", async () => {
    // Prepare: SES's answers while the account's sending is paused, and while it is suspended.
    const paused = await scriptedServer([{ status: 400, body: { message: 'Sending is paused for this account.' }, headers: { 'x-amzn-errortype': 'SendingPausedException' } }]);
    const suspended = await scriptedServer([{ status: 400, body: { message: 'The account is suspended.' }, headers: { 'x-amzn-errortype': 'AccountSuspendedException' } }]);

    // Act
    const whilePaused = await failureOf(mailerAt(paused.url), 'paused');
    const whileSuspended = await failureOf(mailerAt(suspended.url), 'suspended');
    paused.server.close();
    suspended.server.close();

    // Assess
    for (const error of [whilePaused, whileSuspended]) {
      expect(error).toBeInstanceOf(MailNotAcceptedError);
      expect(error).not.toBeInstanceOf(MailRejectedError);
      expect(error).toMatchObject({ because: 'ACCOUNT_PAUSED' });
    }
    expect([paused.requests.length, suspended.requests.length]).toEqual([1, 1]);
  });

  it('credentials that cannot be had: the request never left, so the email was not sent (NOT_SIGNED), and nothing reached SES', async () => {
    // Prepare
    const stub = await scriptedServer([{ status: 200, body: { MessageId: 'never' } }]);
    const noCredentials = async (): Promise<never> => {
      throw new Error('no credentials in this environment');
    };

    // Act
    const error = await failureOf(mailerAt(stub.url, noCredentials), 'unsigned');
    stub.server.close();

    // Assess
    expect(error).toBeInstanceOf(MailNotAcceptedError);
    expect(error).toMatchObject({ because: 'NOT_SIGNED' });
    expect(stub.requests).toHaveLength(0);
  });
});
