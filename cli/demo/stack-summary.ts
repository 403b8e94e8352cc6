import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SUPPRESSED_BY_SES_EVENT } from '../../lambdas/mail/tables/suppressions-table';
import { mailFate, type MailEvents, type MailFate } from '../../lambdas/mail/mail-fate';

/** Where the summary reads from: the stack outputs it needs. */
export interface SummarySources {
  readonly ledgerTable: string;
  readonly purchaseQueueUrl: string;
  readonly quarantineQueueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** The suppression list, to tell which addresses SES's events put on it. */
  readonly suppressionsTable?: string;
}

/** What the system has done so far, read from the ledger and the queues. */
export interface StackSummary {
  /** Our own ledger rows (`evt#…`) by outcome (SENT, BLOCKED, SENDING, UNCERTAIN, FAILED). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** BLOCKED ledger rows by guard reason. */
  readonly blockedByReason: Readonly<Record<string, number>>;
  /** Ledger rows by event id: outcome, reason, and the email's fate by its SES events (for checking expectations). */
  readonly decisions: ReadonlyMap<string, { readonly outcome: string; readonly reason?: string; readonly fate?: MailFate }>;
  /** The audit's verdicts by ledger row id (`evt#…`, `imp#…`), for the rows it has judged. */
  readonly verdicts: ReadonlyMap<string, { readonly verdict: string; readonly reason?: string }>;
  readonly quarantined: number;
  readonly deadLettered: number;
  /** Purchase messages not yet processed (visible, in flight or delayed). */
  readonly backlog: number;
  /** Address hashes SES's events (bounces, complaints) put on the suppression list. */
  readonly suppressedBySes: ReadonlySet<string>;
}

/**
 * Reads the ledger (a scan: fine for a local demo, not for production sizes) and the
 * depth of the purchase, quarantine and dead-letter queues.
 *
 * @example
 * const summary = await readStackSummary(documentClient, sqs, sources);
 * summary.outcomes.SENT // 2
 */
export async function readStackSummary(
  documentClient: DynamoDBDocumentClient,
  sqs: SQSClient,
  sources: SummarySources,
): Promise<StackSummary> {
  const outcomes: Record<string, number> = {};
  const blockedByReason: Record<string, number> = {};
  const decisions = new Map<string, { outcome: string; reason?: string; fate?: MailFate }>();
  const verdicts = new Map<string, { verdict: string; reason?: string }>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new ScanCommand({ TableName: sources.ledgerTable, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    for (const row of page.Items ?? []) {
      if (typeof row.auditVerdict === 'string') {
        verdicts.set(String(row.noticeId), { verdict: row.auditVerdict, ...(typeof row.auditReason === 'string' ? { reason: row.auditReason } : {}) });
      }
      // Our own decisions only: not imported notices (`imp#…`) nor purchase-and-item markers (`pi#…`).
      if (!String(row.noticeId).startsWith('evt#')) continue;
      const outcome = String(row.outcome ?? 'UNKNOWN');
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (outcome === 'BLOCKED') {
        const reason = String(row.reason ?? 'UNKNOWN');
        blockedByReason[reason] = (blockedByReason[reason] ?? 0) + 1;
      }
      if (typeof row.eventId === 'string') {
        decisions.set(row.eventId, {
          outcome,
          ...(typeof row.reason === 'string' ? { reason: row.reason } : {}),
          ...(outcome === 'SENT' ? { fate: mailFate(row.sesEvents as MailEvents | undefined) } : {}),
        });
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const [backlog, quarantined, deadLettered] = await Promise.all(
    [sources.purchaseQueueUrl, sources.quarantineQueueUrl, sources.deadLetterQueueUrl].map((url) => queueDepth(sqs, url)),
  );
  const suppressedBySes = sources.suppressionsTable ? await suppressedBySesEvents(documentClient, sources.suppressionsTable) : new Set<string>();
  return {
    outcomes,
    blockedByReason,
    decisions,
    verdicts,
    quarantined: quarantined ?? 0,
    deadLettered: deadLettered ?? 0,
    backlog: backlog ?? 0,
    suppressedBySes,
  };
}

/** Hashes of the addresses SES events put on the suppression list (a scan: a local demo's few items). */
async function suppressedBySesEvents(documentClient: DynamoDBDocumentClient, table: string): Promise<Set<string>> {
  const hashes = new Set<string>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey, ConsistentRead: true }));
    for (const item of page.Items ?? []) if (item.source === SUPPRESSED_BY_SES_EVENT) hashes.add(String(item.emailHash));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return hashes;
}

/** Messages on a queue: visible, in flight and delayed. */
async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/**
 * The summary as lines for the terminal.
 *
 * @example
 * formatSummary(summary, 2).join('\n')
 */
export function formatSummary(summary: StackSummary, emails: number): string[] {
  const reasons = Object.entries(summary.blockedByReason).sort(([a], [b]) => a.localeCompare(b));
  const others = Object.entries(summary.outcomes).filter(([outcome]) => outcome !== 'SENT' && outcome !== 'BLOCKED');
  return [
    `  sent          ${summary.outcomes.SENT ?? 0}   (emails in the mail viewer: ${emails})`,
    `  blocked       ${summary.outcomes.BLOCKED ?? 0}`,
    ...reasons.map(([reason, count]) => `    ${reason.padEnd(22)} ${count}`),
    ...others.map(([outcome, count]) => `  ${outcome.toLowerCase().padEnd(13)} ${count}`),
    `  quarantined   ${summary.quarantined}   (invalid input, kept 14 days)`,
    `  dead-lettered ${summary.deadLettered}`,
    ...(summary.suppressedBySes.size > 0 ? [`  suppressed by SES events ${summary.suppressedBySes.size}   (bounces, complaints)`] : []),
    ...(summary.backlog > 0 ? [`  still queued  ${summary.backlog}`] : []),
  ];
}
