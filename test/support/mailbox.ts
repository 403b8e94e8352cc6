import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';

/** An email as aws-ses-v2-local received it. */
export interface ReceivedEmail {
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html?: string;
  text?: string;
  /** Custom headers sent with the message (e.g. List-Unsubscribe), as given. */
  headers: { name: string; value: string }[];
  attachments: { filename?: string; contentType: string; size: number }[];
  /** When the emulator received it (second precision: that is all the emulator keeps). */
  receivedAt: Date;
}

/** Which emails to return; all conditions must hold. */
export interface MailFilter {
  /** A recipient in To, Cc or Bcc; compared case-insensitively on the bare address. */
  to?: string;
  /** Received at or after this instant (rounded down to the second). */
  since?: Date;
  /** Subject, HTML or text contains this (e.g. a unique marker a test put in). */
  containing?: string;
}

/** The store's JSON, as served by `GET /store`. */
interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: { filename?: string; contentType: string; size: number }[];
  headers?: { name: string; value: string }[];
  at: number;
}

/**
 * The emails aws-ses-v2-local has accepted, read through its HTTP API.
 *
 * The mailbox is shared by every test in a run. `clear()` empties it (it also deletes SES
 * templates), which is safe because integration files run one at a time; still, prefer
 * filtering by a recipient unique to the test, which also works while others send mail.
 */
export class Mailbox {
  constructor(private readonly sesEndpoint: string = inject('emulatorEndpoints').ses) {}

  /** Every matching email, oldest first. */
  async list(filter: MailFilter = {}): Promise<ReceivedEmail[]> {
    const response = await fetch(`${this.sesEndpoint}/store`);
    if (!response.ok) throw new Error(`GET /store answered ${response.status}: ${await response.text()}`);
    const { emails } = (await response.json()) as { emails: StoredEmail[] };
    return emails.map(toReceivedEmail).filter((email) => matches(email, filter));
  }

  /** Emails addressed to `recipient` (To, Cc or Bcc). */
  to(recipient: string): Promise<ReceivedEmail[]> {
    return this.list({ to: recipient });
  }

  /** Polls until `count` matching emails are there (sending is synchronous, so this is for async senders). */
  async waitFor(filter: MailFilter, { count = 1, timeoutMs = 5_000 } = {}): Promise<ReceivedEmail[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await this.list(filter);
      if (found.length >= count) return found;
      if (Date.now() >= deadline) {
        throw new Error(`Expected ${count} email(s) matching ${JSON.stringify(filter)}, found ${found.length}.`);
      }
      await sleep(100);
    }
  }

  /** Deletes every stored email (and every SES template) in the emulator. */
  async clear(): Promise<void> {
    const response = await fetch(`${this.sesEndpoint}/clear-store`, { method: 'POST' });
    if (!response.ok) throw new Error(`POST /clear-store answered ${response.status}`);
  }
}

function toReceivedEmail(stored: StoredEmail): ReceivedEmail {
  return {
    messageId: stored.messageId,
    from: stored.from,
    to: stored.destination.to,
    cc: stored.destination.cc,
    bcc: stored.destination.bcc,
    replyTo: stored.replyTo,
    subject: stored.subject,
    ...(stored.body.html === undefined ? {} : { html: stored.body.html }),
    ...(stored.body.text === undefined ? {} : { text: stored.body.text }),
    headers: stored.headers ?? [],
    attachments: stored.attachments.map(({ filename, contentType, size }) => ({
      ...(filename === undefined ? {} : { filename }),
      contentType,
      size,
    })),
    receivedAt: new Date(stored.at * 1000),
  };
}

function matches(email: ReceivedEmail, filter: MailFilter): boolean {
  if (filter.to !== undefined) {
    const wanted = bareAddress(filter.to);
    if (![...email.to, ...email.cc, ...email.bcc].some((a) => bareAddress(a) === wanted)) return false;
  }
  if (filter.since !== undefined && email.receivedAt.getTime() < Math.floor(filter.since.getTime() / 1000) * 1000) {
    return false;
  }
  if (filter.containing !== undefined) {
    const haystack = `${email.subject}\n${email.html ?? ''}\n${email.text ?? ''}`;
    if (!haystack.includes(filter.containing)) return false;
  }
  return true;
}

/** `"Ann <Ann@Example.com>"` → `ann@example.com`. */
function bareAddress(address: string): string {
  const angled = /<([^>]+)>/.exec(address);
  return (angled?.[1] ?? address).trim().toLowerCase();
}
