/**
 * SES's mailbox simulator, played locally: what SES would publish for an email, by
 * recipient. Mail to `<x>@simulator.amazonses.com` (a `+label` is allowed) behaves as SES
 * documents it ("Using the mailbox simulator" in the SES developer guide); mail to any
 * other address is delivered. Events are shaped as SES publishes them to an event
 * destination (`eventType`, `mail`, and `send`, `delivery`, `bounce` or `complaint`).
 */

/** An email as the local SES emulator stored it (`GET /store`, see local/emulators/ses-process.ts). */
export interface StoredMail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: readonly string[]; readonly cc: readonly string[]; readonly bcc: readonly string[] };
  readonly subject: string;
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
  /** Seconds since the epoch, when the emulator took it. */
  readonly at: number;
  readonly configurationSetName?: string;
  /** `EmailTags` of the SendEmail call, by name. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Where the simulated events say they come from. */
export interface SimulatedAccount {
  readonly region: string;
  readonly accountId: string;
}

/** One SES event, as SES publishes it. */
export type SesEventJson = { readonly eventType: string; readonly mail: Record<string, unknown> } & Record<string, unknown>;

const SIMULATOR_DOMAIN = 'simulator.amazonses.com';

/** What the simulator does with mail to one of its addresses. */
const SIMULATED = {
  success: 'deliver',
  ooto: 'deliver',
  bounce: 'bounce',
  complaint: 'complain',
  suppressionlist: 'suppressed',
} as const;
type Behaviour = (typeof SIMULATED)[keyof typeof SIMULATED];

/**
 * The events SES would publish for `mail`, in the order they would come: `Send`, then per
 * recipient a `Delivery`, a `Bounce` (permanent; `OnAccountSuppressionList` for the
 * suppression-list address), or a `Delivery` followed by a `Complaint` (`abuse`).
 *
 * @example
 * simulatedEvents(mailTo('bounce@simulator.amazonses.com'), account).map((e) => e.eventType) // ['Send', 'Bounce']
 */
export function simulatedEvents(mail: StoredMail, account: SimulatedAccount): SesEventJson[] {
  const recipients = [...mail.destination.to, ...mail.destination.cc, ...mail.destination.bcc].map(bareAddress);
  const sentAt = mail.at * 1000;
  const later = (ms: number): string => new Date(sentAt + ms).toISOString();
  const common = mailObject(mail, recipients, account);
  const byBehaviour = (b: Behaviour): string[] => recipients.filter((r) => behaviourOf(r) === b);
  const delivered = [...byBehaviour('deliver'), ...byBehaviour('complain')];
  const bounced = byBehaviour('bounce');
  const suppressed = byBehaviour('suppressed');
  const complained = byBehaviour('complain');

  const events: SesEventJson[] = [{ eventType: 'Send', mail: common, send: {} }];
  if (delivered.length > 0) {
    events.push({
      eventType: 'Delivery',
      mail: common,
      delivery: {
        timestamp: later(800),
        processingTimeMillis: 800,
        recipients: delivered,
        smtpResponse: '250 2.6.0 Message received',
        reportingMTA: `a8-1.smtp-out.${account.region}.amazonses.com`,
      },
    });
  }
  if (bounced.length > 0) {
    events.push(bounceEvent(common, bounced, later(900), 'General', 'smtp; 550 5.1.1 user unknown'));
  }
  if (suppressed.length > 0) {
    events.push(
      bounceEvent(
        common,
        suppressed,
        later(100),
        'OnAccountSuppressionList',
        'Amazon SES did not send the message to this address because it is on the suppression list for your account.',
      ),
    );
  }
  if (complained.length > 0) {
    events.push({
      eventType: 'Complaint',
      mail: common,
      complaint: {
        complainedRecipients: complained.map((emailAddress) => ({ emailAddress })),
        timestamp: later(2000),
        feedbackId: `${mail.messageId}-complaint`,
        userAgent: 'Amazon SES Mailbox Simulator',
        complaintFeedbackType: 'abuse',
        arrivalDate: later(1900),
      },
    });
  }
  return events;
}

function bounceEvent(mail: Record<string, unknown>, recipients: string[], timestamp: string, bounceSubType: string, diagnosticCode: string): SesEventJson {
  return {
    eventType: 'Bounce',
    mail,
    bounce: {
      feedbackId: `${String(mail.messageId)}-bounce`,
      bounceType: 'Permanent',
      bounceSubType,
      bouncedRecipients: recipients.map((emailAddress) => ({ emailAddress, action: 'failed', status: '5.1.1', diagnosticCode })),
      timestamp,
      reportingMTA: 'dns; amazonses.com',
    },
  };
}

function mailObject(mail: StoredMail, recipients: string[], account: SimulatedAccount): Record<string, unknown> {
  const fromDomain = (bareAddress(mail.from).split('@')[1] ?? '').toLowerCase();
  const tags: Record<string, string[]> = {
    'ses:operation': ['SendEmail'],
    'ses:source-ip': ['127.0.0.1'],
    'ses:from-domain': [fromDomain],
    'ses:caller-identity': ['local'],
    ...(mail.configurationSetName ? { 'ses:configuration-set': [mail.configurationSetName] } : {}),
    ...Object.fromEntries(Object.entries(mail.tags ?? {}).map(([name, value]) => [name, [value]])),
  };
  return {
    timestamp: new Date(mail.at * 1000).toISOString(),
    source: mail.from,
    sourceArn: `arn:aws:ses:${account.region}:${account.accountId}:identity/${fromDomain}`,
    sendingAccountId: account.accountId,
    messageId: mail.messageId,
    destination: recipients,
    headersTruncated: false,
    headers: (mail.headers ?? []).map(({ name, value }) => ({ name, value })),
    commonHeaders: { from: [mail.from], to: [...mail.destination.to], messageId: mail.messageId, subject: mail.subject },
    tags,
  };
}

function behaviourOf(address: string): Behaviour {
  const [local = '', domain = ''] = address.toLowerCase().split('@');
  if (domain !== SIMULATOR_DOMAIN) return 'deliver';
  const name = local.split('+')[0] as keyof typeof SIMULATED;
  return SIMULATED[name] ?? 'deliver';
}

/** `"Ann <Ann@Example.com>"` → `Ann@Example.com`. */
function bareAddress(address: string): string {
  const angled = /<([^>]+)>/.exec(address);
  return (angled?.[1] ?? address).trim();
}
