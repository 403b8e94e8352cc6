import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { batchOutcome, type BatchOutcome } from './batch-response';
import type { FunctionPool } from './function-pool';
import { sqsRecord } from './sqs-records';

/** The settings of one `AWS::Lambda::EventSourceMapping` on an SQS queue, resolved. */
export interface SqsEventSourceSettings {
  readonly logicalId: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  /** `BatchSize`. @default 10 */
  readonly batchSize: number;
  /** `MaximumBatchingWindowInSeconds`. @default 0 */
  readonly maximumBatchingWindowSeconds: number;
  /** `ScalingConfig.MaximumConcurrency`: the number of pollers, each invoking synchronously. */
  readonly maximumConcurrency: number;
  /** `FunctionResponseTypes` includes `ReportBatchItemFailures`. */
  readonly reportBatchItemFailures: boolean;
}

/** What happened to one batch; given to the observer (tests, summary, benchmark). */
export interface BatchReport {
  readonly eventSource: string;
  readonly functionName: string;
  readonly messageIds: readonly string[];
  /** `invocation-error`: the handler threw, timed out or crashed; nothing was deleted. */
  readonly outcome: BatchOutcome | { readonly kind: 'invocation-error'; readonly message: string };
  readonly deleted: number;
  readonly durationMs: number;
}

/** Faults an emulator cannot produce, injected to test at-least-once delivery. */
export interface EventSourceFaults {
  /**
   * For a record the handler processed successfully: return true to "lose" its delete,
   * as if the poller crashed before DeleteMessage. The message becomes visible again at
   * once and is delivered a second time.
   */
  readonly loseDelete?: (record: SQSRecord) => boolean;
}

/** Options for an {@link SqsEventSource}. */
export interface SqsEventSourceOptions {
  readonly settings: SqsEventSourceSettings;
  readonly pool: FunctionPool;
  readonly client: SQSClient;
  readonly region: string;
  readonly log: (line: string) => void;
  readonly observer?: (report: BatchReport) => void;
  readonly faults?: EventSourceFaults;
}

const LONG_POLL_SECONDS = 20;

/**
 * Lambda's SQS event source mapping, locally: `maximumConcurrency` pollers each gather a
 * batch (up to `batchSize`, waiting up to the batching window once a first message is
 * in) and invoke the function synchronously. Then, as Lambda does:
 * - success → the batch is deleted; with `ReportBatchItemFailures` only the records not
 *   reported as failed are deleted (an invalid report fails the whole batch);
 * - the handler throws, times out or crashes → nothing is deleted.
 * What is not deleted becomes visible again after the queue's visibility timeout, and
 * the SQS emulator (fauxqs) moves a message to the DLQ once its receive count exceeds
 * the redrive policy's `maxReceiveCount`: redrive is the queue's, as in AWS.
 *
 * @example
 * const source = new SqsEventSource({ settings, pool, client, region, log });
 * source.start();
 * await source.stop();
 */
export class SqsEventSource {
  #stopping = false;
  #abort = new AbortController();
  #pollers: Promise<void>[] = [];

  constructor(private readonly options: SqsEventSourceOptions) {}

  /** Starts the pollers. */
  start(): void {
    const { settings } = this.options;
    for (let index = 0; index < settings.maximumConcurrency; index += 1) this.#pollers.push(this.#poll());
  }

  /** Stops polling, waits for running invocations, and releases gathered messages at once. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#abort.abort();
    await Promise.all(this.#pollers);
  }

  async #poll(): Promise<void> {
    while (!this.#stopping) {
      let batch: Message[];
      try {
        batch = await this.#gather();
      } catch (error) {
        if (this.#stopping) break;
        this.options.log(`${this.options.settings.logicalId}: receive failed: ${(error as Error).message}; retrying in 1 s`);
        await sleep(1000);
        continue;
      }
      if (batch.length === 0) continue;
      if (this.#stopping) {
        await this.#changeVisibility(batch, 0);
        break;
      }
      await this.#process(batch);
    }
  }

  /** One batch: up to batchSize messages, or fewer once the batching window has passed. */
  async #gather(): Promise<Message[]> {
    const { settings, client } = this.options;
    const batch: Message[] = [];
    let windowEnds = Number.POSITIVE_INFINITY;
    while (!this.#stopping && batch.length < settings.batchSize) {
      const remainingMs = windowEnds - Date.now();
      if (batch.length > 0 && remainingMs <= 0) break;
      const waitSeconds = batch.length === 0 ? LONG_POLL_SECONDS : Math.min(LONG_POLL_SECONDS, Math.floor(remainingMs / 1000));
      let received: Message[];
      try {
        const response = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: settings.queueUrl,
            MaxNumberOfMessages: Math.min(10, settings.batchSize - batch.length),
            WaitTimeSeconds: waitSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: this.#abort.signal },
        );
        received = response.Messages ?? [];
      } catch (error) {
        if (this.#stopping) {
          if (batch.length > 0) await this.#changeVisibility(batch, 0);
          return [];
        }
        if (batch.length > 0) return batch;
        throw error;
      }
      if (received.length > 0 && batch.length === 0) windowEnds = Date.now() + settings.maximumBatchingWindowSeconds * 1000;
      batch.push(...received);
      if (settings.maximumBatchingWindowSeconds === 0 && batch.length > 0) break;
      if (received.length === 0 && batch.length > 0 && waitSeconds === 0) await sleep(Math.min(100, Math.max(0, remainingMs)));
    }
    return batch;
  }

  async #process(messages: Message[]): Promise<void> {
    const { settings, pool, region, faults } = this.options;
    const records = messages.map((message) => sqsRecord(message, settings.queueArn, region));
    const ids = records.map((record) => record.messageId);
    const started = performance.now();
    let outcome: BatchReport['outcome'];
    let succeeded: SQSRecord[] = [];
    try {
      const result = await pool.invoke({ Records: records });
      outcome = batchOutcome(result.payload, ids, settings.reportBatchItemFailures);
      if (outcome.kind === 'all-succeeded') succeeded = records;
      else if (outcome.kind === 'partial') {
        const failed = new Set(outcome.failedMessageIds);
        succeeded = records.filter((record) => !failed.has(record.messageId));
      } else {
        this.options.log(`${settings.logicalId}: whole batch failed: ${outcome.reason}`);
      }
    } catch (error) {
      outcome = { kind: 'invocation-error', message: (error as Error).message };
      this.options.log(`${settings.logicalId}: invocation failed, the batch returns after the visibility timeout: ${outcome.message}`);
    }
    const lost = faults?.loseDelete ? succeeded.filter((record) => faults.loseDelete?.(record)) : [];
    const toDelete = succeeded.filter((record) => !lost.includes(record));
    await this.#delete(toDelete);
    if (lost.length > 0) {
      const lostIds = new Set(lost.map((record) => record.messageId));
      await this.#changeVisibility(messages.filter((message) => lostIds.has(message.MessageId ?? '')), 0);
    }
    this.options.observer?.({
      eventSource: settings.logicalId,
      functionName: pool.definition.name,
      messageIds: ids,
      outcome,
      deleted: toDelete.length,
      durationMs: performance.now() - started,
    });
  }

  async #delete(records: readonly SQSRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += 10) {
      const chunk = records.slice(start, start + 10);
      try {
        const response = await this.options.client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.options.settings.queueUrl,
            Entries: chunk.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
          }),
        );
        for (const failure of response.Failed ?? []) {
          this.options.log(`${this.options.settings.logicalId}: delete failed (${failure.Code}): ${failure.Message ?? ''}`);
        }
      } catch (error) {
        this.options.log(`${this.options.settings.logicalId}: delete failed: ${(error as Error).message}`);
      }
    }
  }

  async #changeVisibility(messages: readonly Message[], seconds: number): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      const chunk = messages.slice(start, start + 10);
      await this.options.client
        .send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.options.settings.queueUrl,
            Entries: chunk.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle ?? '',
              VisibilityTimeout: seconds,
            })),
          }),
        )
        .catch((error: unknown) => this.options.log(`${this.options.settings.logicalId}: could not release messages: ${(error as Error).message}`));
    }
  }
}
