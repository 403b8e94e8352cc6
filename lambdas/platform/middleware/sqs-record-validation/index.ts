import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { MiddlewareObj, Request } from '@middy/core';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ValidationMetric } from '../../metric-names';
import { describeError } from '../../redact';
import { maskFieldNames, validateJsonText, type ValidationIssue } from '../../validation';
import type { Quarantine } from '../../queues/quarantine';

/** An SQS record whose body passed the schema: `data` is the parsed, typed body. */
export type ValidSqsRecord<T> = SQSRecord & { readonly data: T };

/** The event a handler behind {@link sqsRecordValidationMiddleware} gets: only the valid records. */
export interface ValidatedSqsEvent<T> {
  readonly Records: ValidSqsRecord<T>[];
}

/** The log calls the middleware makes (Powertools' Logger and `console` both fit). */
export interface ValidationLogger {
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** The metric call the middleware makes (Powertools' Metrics fits). */
export interface ValidationMetrics {
  addMetric(name: string, unit: 'Count', value: number): unknown;
}

export interface SqsRecordValidationOptions<T> {
  /** The contract of a record's body, as a Standard Schema (zod, zod/mini, valibot, ...). */
  readonly schema: StandardSchemaV1<unknown, T>;
  /** Where invalid records go, with every broken rule. */
  readonly quarantine: Quarantine;
  /**
   * Bodies larger than this (UTF-8 bytes) are quarantined unparsed.
   *
   * @default 262144 (256 KiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * The source named in the quarantine envelope.
   *
   * @default - the queue's name, from the record's `eventSourceARN`
   */
  readonly source?: string;
  /**
   * The contract's own field names: a log line shows these in an issue's path and masks any
   * other (an unknown field's name is the producer's text, see `maskFieldNames`).
   *
   * @default - none: every name is masked
   */
  readonly knownFields?: ReadonlySet<string>;
  /** @default console */
  readonly logger?: ValidationLogger;
  /** @default - nothing counted */
  readonly metrics?: ValidationMetrics;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** What became of a batch's records before the handler. */
export interface SqsRecordsValidation<T> {
  /** Records that passed, parsed, in their order in the batch. */
  readonly valid: ValidSqsRecord<T>[];
  /** Records that failed and are safe in the quarantine: never retried. */
  readonly quarantined: { readonly record: SQSRecord; readonly issues: readonly ValidationIssue[] }[];
  /** Invalid records whose quarantine write failed: SQS must deliver them again. */
  readonly batchItemFailures: SQSBatchItemFailure[];
}

/** Issues one log line shows at most. */
const LOGGED_ISSUES = 20;

const defaults = {
  maxBodyBytes: 256 * 1024,
  source: undefined as string | undefined,
  knownFields: new Set<string>() as ReadonlySet<string>,
  logger: console as ValidationLogger,
  metrics: undefined as ValidationMetrics | undefined,
  now: (): Date => new Date(),
};

/**
 * The core of the middleware, callable without Middy: validates each record's body on its own,
 * quarantines the invalid ones (counted, logged with field names masked), and returns the
 * valid ones parsed. A record whose quarantine write fails is a batch item failure, so it is
 * retried (and dead-lettered after the receive limit) rather than lost.
 *
 * @example
 * const { valid, batchItemFailures } = await validateSqsRecords(event.Records, { schema, quarantine });
 */
export async function validateSqsRecords<T>(records: readonly SQSRecord[], opts: SqsRecordValidationOptions<T>): Promise<SqsRecordsValidation<T>> {
  const options = { ...defaults, ...opts };
  const outcome: SqsRecordsValidation<T> = { valid: [], quarantined: [], batchItemFailures: [] };
  const writes: Promise<void>[] = [];
  for (const record of records) {
    const result = validateJsonText(record.body, options.schema, { maxBytes: options.maxBodyBytes });
    if (result.ok) outcome.valid.push({ ...record, data: result.value });
    else writes.push(quarantineRecord(record, result.issues, options, outcome));
  }
  await Promise.all(writes);
  return outcome;
}

async function quarantineRecord<T>(
  record: SQSRecord,
  issues: readonly ValidationIssue[],
  options: typeof defaults & SqsRecordValidationOptions<T>,
  outcome: SqsRecordsValidation<T>,
): Promise<void> {
  const source = options.source ?? queueNameOf(record);
  // A hostile body can break a rule per key: the log shows the first few, and how many.
  const logged = {
    messageId: record.messageId,
    source,
    issueCount: issues.length,
    issues: maskFieldNames(issues.slice(0, LOGGED_ISSUES), options.knownFields),
  };
  try {
    await options.quarantine.put({ source, sourceMessageId: record.messageId, body: record.body, issues, receivedAt: options.now().toISOString() });
  } catch (error) {
    options.metrics?.addMetric(ValidationMetric.QUARANTINE_FAILED, 'Count', 1);
    options.logger.error('invalid record could not be quarantined: it will be retried', { ...logged, error: describeError(error) });
    outcome.batchItemFailures.push({ itemIdentifier: record.messageId });
    return;
  }
  options.metrics?.addMetric(ValidationMetric.QUARANTINED, 'Count', 1);
  options.logger.warn('invalid record quarantined', logged);
  outcome.quarantined.push({ record, issues });
}

/** `arn:aws:sqs:eu-west-1:123456789012:purchases` -> `purchases`. */
function queueNameOf(record: SQSRecord): string {
  return record.eventSourceARN?.split(':').at(-1) || 'unknown';
}

/**
 * Middy middleware: validates each SQS record's body on its own against a Standard Schema.
 * The handler gets only the valid records, each with its parsed body as `data`; the invalid
 * ones are in the quarantine with every broken rule and are never retried. Records whose
 * quarantine write failed are merged into the handler's `batchItemFailures` (the function
 * needs `ReportBatchItemFailures`, as every queue consumer of ours has).
 *
 * @example
 * export const handler = middy()
 *   .use(injectLambdaContext(logger))
 *   .use(logMetrics(metrics))
 *   .use(sqsRecordValidationMiddleware({ schema: purchaseMessageSchema(clock), quarantine, logger, metrics }))
 *   // event: ValidatedSqsEvent<PurchaseMessage>, each record with its `data`
 *   .handler((event, context) => processPartialResponse(event, recordHandler, processor, { context }));
 */
export function sqsRecordValidationMiddleware<T>(opts: SqsRecordValidationOptions<T>): MiddlewareObj<ValidatedSqsEvent<T>, SQSBatchResponse | void> {
  // Per invocation: two invocations may overlap in tests and in the local stack.
  const failuresOf = new WeakMap<object, SQSBatchItemFailure[]>();

  // Typed as what the handler gets; before this phase the event is the raw SQSEvent.
  const sqsRecordValidationMiddlewareBefore = async (request: Request<ValidatedSqsEvent<T>, SQSBatchResponse | void>): Promise<void> => {
    const raw = request.event as unknown as SQSEvent;
    const { valid, batchItemFailures } = await validateSqsRecords(raw.Records, opts);
    failuresOf.set(request, batchItemFailures);
    request.event = { ...raw, Records: valid };
  };

  const sqsRecordValidationMiddlewareAfter = (request: Request<ValidatedSqsEvent<T>, SQSBatchResponse | void>): void => {
    const failures = failuresOf.get(request) ?? [];
    if (failures.length === 0) return;
    const response = request.response ?? { batchItemFailures: [] };
    request.response = { ...response, batchItemFailures: [...(response.batchItemFailures ?? []), ...failures] };
  };

  return { before: sqsRecordValidationMiddlewareBefore, after: sqsRecordValidationMiddlewareAfter };
}
