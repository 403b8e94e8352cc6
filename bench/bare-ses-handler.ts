// The baseline of `npm run bench`'s bundle and cold-init figures: the least a Lambda that
// sends email with the AWS SDK is, a module-scope SESv2Client (the SDK's defaults: its
// default credential chain included) and a handler that sends one email.
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

const ses = new SESv2Client({});

/** Sends one plain-text email to `event.to`; returns SES's message id. */
export const handler = async (event: { to: string }): Promise<string | undefined> => {
  const { MessageId } = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: 'bench@example.com',
      Destination: { ToAddresses: [event.to] },
      Content: { Simple: { Subject: { Data: 'bench' }, Body: { Text: { Data: 'bench' } } } },
    }),
  );
  return MessageId;
};
