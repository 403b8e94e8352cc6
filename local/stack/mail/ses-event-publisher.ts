import { setTimeout as sleep } from 'node:timers/promises';
import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { MailEventDestination } from './event-destination';
import { simulatedEvents, type SimulatedAccount, type StoredMail } from './mailbox-simulator';

/** Options for {@link SesEventPublisher}. */
export interface SesEventPublisherOptions {
  /** The SES emulator, whose `GET /store` lists the mail it took. */
  readonly sesEndpoint: string;
  readonly destinations: readonly MailEventDestination[];
  /** A client of the SNS emulator. */
  readonly sns: SNSClient;
  readonly account: SimulatedAccount;
  readonly log?: (line: string) => void;
  /** @default 250 */
  readonly pollIntervalMs?: number;
}

/**
 * Plays SES event publishing: watches the mail the SES emulator takes and, for each email
 * sent through a configuration set that has an SNS event destination, publishes the events
 * SES would (the mailbox simulator's, see `simulatedEvents`) to the destination's topic,
 * for the event types it matches. Publishing is at least once, as SES's is: an email whose
 * events could not all be published is tried again. An SES emulator that does not answer
 * (stopped, restarting) is tried again on the next poll.
 */
export class SesEventPublisher {
  readonly #options: SesEventPublisherOptions;
  readonly #published = new Map<string, number>();
  // As with SES, an event destination publishes for mail sent once it exists, not before:
  // the emulator's store may hold mail of earlier runs, or of other stacks on it.
  #since = Math.floor(Date.now() / 1000);
  #chain: Promise<void> = Promise.resolve();
  #running = false;
  #loop: Promise<void> | undefined;
  #unreachable = false;

  constructor(options: SesEventPublisherOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        await this.flush();
        await sleep(this.#options.pollIntervalMs ?? 250);
      }
    })();
  }

  /** Publishes the events of every email the emulator holds now; resolves when done. */
  flush(): Promise<void> {
    this.#chain = this.#chain.then(() => this.#pollOnce());
    return this.#chain;
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    await this.#chain;
  }

  async #pollOnce(): Promise<void> {
    const log = this.#options.log ?? (() => undefined);
    let emails: StoredMail[];
    try {
      const response = await fetch(`${this.#options.sesEndpoint}/store?since=${this.#since}`);
      if (!response.ok) throw new Error(`GET /store answered ${response.status}`);
      ({ emails } = (await response.json()) as { emails: StoredMail[] });
    } catch (error) {
      if (!this.#unreachable) log(`SES events: the SES emulator does not answer (${(error as Error).message}); trying again`);
      this.#unreachable = true;
      return;
    }
    if (this.#unreachable) log('SES events: the SES emulator answers again');
    this.#unreachable = false;

    // Every event of the new mail, published ten to a PublishBatch per topic (SES publishes
    // each on its own; batching only spares the local machine's CPU). A mail counts as
    // published once all its events are; one that failed is tried again next poll.
    const fresh = emails.filter((mail) => !this.#published.has(mail.messageId));
    const entries = fresh.flatMap((mail) => {
      const destinations = this.#options.destinations.filter((d) => d.configurationSetName === mail.configurationSetName);
      const events = destinations.length > 0 ? simulatedEvents(mail, this.#options.account) : [];
      return events.flatMap((event) =>
        destinations.filter((d) => d.eventTypes.has(event.eventType)).map((d) => ({ mail, topicArn: d.topicArn, message: JSON.stringify(event) })),
      );
    });
    const failed = new Set<string>();
    for (const topicArn of new Set(entries.map((e) => e.topicArn))) {
      const ofTopic = entries.filter((e) => e.topicArn === topicArn);
      for (let start = 0; start < ofTopic.length; start += 10) {
        const chunk = ofTopic.slice(start, start + 10);
        try {
          const out = await this.#options.sns.send(
            new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: chunk.map((e, i) => ({ Id: String(i), Message: e.message })) }),
          );
          for (const f of out.Failed ?? []) failed.add(chunk[Number(f.Id)]!.mail.messageId);
        } catch (error) {
          log(`SES events: publishing to ${topicArn} failed (${(error as Error).message}); trying again`);
          for (const e of chunk) failed.add(e.mail.messageId);
        }
      }
    }
    for (const mail of fresh) if (!failed.has(mail.messageId)) this.#published.set(mail.messageId, mail.at);
    if (failed.size > 0) return;
    // Emails come back by second; the newest second is asked again, and what is older is forgotten.
    const newest = Math.max(this.#since, ...emails.map((e) => e.at));
    this.#since = newest;
    for (const [id, at] of this.#published) if (at < newest) this.#published.delete(id);
  }
}
