import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendApology, type SendResult, type SenderDeps } from '../../lambdas/audit/apology/send-apology';
import { validateJsonText } from '../../lambdas/platform/validation';
import { APOLOGY_MESSAGE_MAX_BYTES, apologyMessageSchema } from '../../lambdas/audit/apology-message';

/** What a drain saw: every message's result, and the messages whose handling threw (left for redelivery). */
export interface DrainReport {
  readonly results: SendResult[];
  readonly retried: number;
}

export interface DrainOptions {
  /** Pollers at once, as the event source mapping's maximum concurrency. @default 3 */
  readonly concurrency?: number;
  /** Give up after this long even if messages remain. @default 60_000 */
  readonly maxMs?: number;
  /** Time each "invocation" is told it has left. @default 60_000 */
  readonly remainingMs?: number;
  /** Stop as soon as this holds (checked after each batch). */
  readonly until?: (report: DrainReport) => boolean;
}

/**
 * Plays Lambda's SQS event source for the sender in-process: `concurrency` pollers receive
 * batches of up to 10 from the apology queue, run each record through `sendApology` in
 * parallel (as the handler does), delete those that succeed and leave those that throw for
 * redelivery after the visibility timeout. Ends when the queue holds nothing (visible,
 * in flight or delayed), or at `maxMs`.
 */
export async function drainApologies(sqs: SQSClient, queueUrl: string, deps: SenderDeps, options: DrainOptions = {}): Promise<DrainReport> {
  const results: SendResult[] = [];
  let retried = 0;
  const endAt = Date.now() + (options.maxMs ?? 60_000);
  const report = (): DrainReport => ({ results, retried });
  const poller = async (): Promise<void> => {
    while (Date.now() < endAt && !options.until?.(report())) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      if (Messages.length === 0) {
        if (await queueEmpty(sqs, queueUrl)) return;
        continue;
      }
      const started = Date.now();
      const remaining = (): number => (options.remainingMs ?? 60_000) - (Date.now() - started);
      await Promise.all(
        Messages.map(async (m) => {
          const parsed = validateJsonText(m.Body ?? '', apologyMessageSchema, { maxBytes: APOLOGY_MESSAGE_MAX_BYTES });
          if (!parsed.ok) throw new Error(`not an apology message: ${JSON.stringify(parsed.issues)}`);
          try {
            results.push(await sendApology(parsed.value, deps, remaining));
            await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
          } catch {
            retried += 1;
          }
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 3 }, poller));
  return report();
}

/** True when the queue holds no message at all: visible, in flight or delayed. */
export async function queueEmpty(sqs: SQSClient, queueUrl: string): Promise<boolean> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return Object.values(Attributes).every((v) => Number(v) === 0);
}

/** Waits until `check` holds, polling; throws after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 60_000, everyMs = 250): Promise<void> {
  const endAt = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > endAt) throw new Error('condition not met in time');
    await sleep(everyMs);
  }
}
