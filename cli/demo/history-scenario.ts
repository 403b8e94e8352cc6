import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { readJsonInput } from '../input-file';
import { parseSeed } from '../seed/seed-file';
import { seedTablesOf, writeSeed } from '../seed/write-seed';
import { DynamoDbCampaigns } from '../../lambdas/audit/audit-table/campaigns';
import { DynamoDbDirectoryHistory } from '../../lambdas/directory/tables/directory-history';
import { DynamoDbImportedNotices } from '../../lambdas/imports/tables/imported-notices';
import { DynamoDbIncidents } from '../../lambdas/audit/audit-table/incidents';
import { importSendLog } from '../../lambdas/imports/send-log/import-send-log';
import type { RunningFunctions } from '@registry-notices/local-stack';

const change = z.strictObject({
  minutes: z.number().int().max(0),
  why: z.string(),
  /** A directory event without `schemaVersion`, `eventId`, `version`, `effectiveAt`: the player adds them. */
  event: z.looseObject({ type: z.string(), registryId: z.string().optional(), customerId: z.string().optional() }),
});

const episode = z.strictObject({
  title: z.string(),
  /** The other system that sent the notices (imported as its send log). */
  source: z.string(),
  sentMinutes: z.number().int().max(0),
  /** Send-log lines without `source` and `sentAt`: the player adds them. */
  notices: z.array(z.record(z.string(), z.string())).min(1),
  /** Directory events sent to the directory queue after the notices, each in effect from `minutes` from now. */
  changes: z.array(change).min(1),
  /** The operator's incident over the source's notices; the player makes its id unique per play. */
  incident: z.strictObject({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,40}$/), description: z.string() }),
});

/** cli/demo/history.json: a past told in minutes relative to when the demo plays. */
export const HistorySchema = z.strictObject({
  description: z.string().optional(),
  /** When the shop's facts below became true. */
  factsFromMinutes: z.number().int().max(0),
  customers: z.array(z.unknown()),
  registries: z.array(z.unknown()),
  episodes: z.array(episode).min(1),
});
export type History = z.infer<typeof HistorySchema>;

/** Reads and validates cli/demo/history.json. */
export function readHistory(file: string): History {
  return readJsonInput(file, HistorySchema);
}

/** What the audit planned for one episode's incident. */
export interface EpisodeResult {
  readonly title: string;
  /** The incident id as in history.json. */
  readonly incidentId: string;
  /** The id it was declared under in this play. */
  readonly declaredAs: string;
  /** Undefined when the audit planned no campaign in time. */
  readonly campaign?: { readonly state: string; readonly toApologise: number; readonly rows: number };
}

export interface PlayHistoryOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly outputs: Readonly<Record<string, string>>;
  readonly history: History;
  /** Runs the stack's audit once, as its schedule would, and resolves when that run is over. */
  readonly runAudit: () => Promise<void>;
  readonly log: (line: string) => void;
  /** How long to wait: for the campaigns, 60 s by default; for each directory event, 30 s. */
  readonly timeoutMs?: number;
}

/**
 * Plays the demo's past: the shop's facts from hours ago (seeded as directory events with that
 * `effectiveAt`), then per episode notices another system sent an hour ago (imported as its
 * send log, by the import use case) and directory events sent to the directory queue as the
 * shop would: later changes, or a correction of the past. Once the directory function has
 * applied them, an operator's incident over each source's notices is declared and the audit
 * runs: it judges each notice by the facts of its moment as now known, plans each incident's
 * campaign; then the demo waits while the apology sender sends what small plans need no
 * approval for.
 *
 * @example
 * const episodes = await playHistory({ documentClient, sqs, outputs, history: readHistory(file), runAudit, log });
 */
export async function playHistory(options: PlayHistoryOptions): Promise<EpisodeResult[]> {
  const { history, outputs, log } = options;
  const output = (key: string): string => {
    const value = outputs[key];
    if (!value) throw new Error(`The stack has no output ${key}; the demo needs it.`);
    return value;
  };
  const started = Date.now();
  const run = started.toString(36);
  const at = (minutes: number): string => new Date(started + minutes * 60_000).toISOString();

  const seed = parseSeed({ effectiveAt: at(history.factsFromMinutes), customers: history.customers, registries: history.registries }, 'cli/demo/history.json');
  await writeSeed(options.documentClient, seedTablesOf(output), seed, () => new Date(started));
  log(`seeded ${seed.registries.length} registries and ${seed.customers.length} customers as true since ${-history.factsFromMinutes} minutes ago`);

  const notices = new DynamoDbImportedNotices({
    client: options.documentClient,
    ledgerTable: output('LedgerTableName'),
    auditTable: output('AuditTableName'),
    retentionDays: 400,
  });
  const sent: { eventId: string; registryId?: string; customerId?: string }[] = [];
  let version = started;
  for (const ep of history.episodes) {
    const sentAt = at(ep.sentMinutes);
    const lines = ep.notices.map((line) => JSON.stringify({ source: ep.source, sentAt, ...line }));
    const imported = await importSendLog(lines, notices, { now: () => new Date() });
    if (imported.refused > 0) throw new Error(`cli/demo/history.json: ${imported.refused} notice lines refused: ${JSON.stringify(imported.issues)}`);
    log(`${ep.title}: ${ep.notices.length} notices of "${ep.source}" sent ${-ep.sentMinutes} minutes ago, imported`);
    for (const [i, c] of ep.changes.entries()) {
      // Versions above the seed's (its time in milliseconds): these come after it.
      version += 1;
      const event = { ...c.event, schemaVersion: 1, eventId: `demo-history-${run}-${ep.source}-${i}`, version, effectiveAt: at(c.minutes) };
      await options.sqs.send(new SendMessageCommand({ QueueUrl: output('DirectoryQueueUrl'), MessageBody: JSON.stringify(event) }));
      sent.push(event);
      log(`${ep.title}: directory event in effect since ${-c.minutes} minutes ago sent (${c.why})`);
    }
  }
  await appliedByTheDirectoryFunction(sent, options, output('DirectoryHistoryTableName'));

  const incidents = new DynamoDbIncidents(options.documentClient, output('AuditTableName'));
  const declared = history.episodes.map((ep) => ({ ep, declaredAs: `${ep.incident.id}-${run}` }));
  for (const { ep, declaredAs } of declared) {
    await incidents.declare({ incidentId: declaredAs, description: ep.incident.description, source: ep.source, declaredAt: new Date().toISOString(), declaredBy: 'the demo' });
  }
  log(`incidents ${declared.map((d) => d.declaredAs).join(', ')} declared over those sources' notices; running the audit`);

  const campaigns = new DynamoDbCampaigns(options.documentClient, output('AuditTableName'));
  // A minute, as the first phase of the demo has: on a loaded 2-core box (the test suite's busiest
  // stretch) 30 s ran out with the apology still queued, and its email was missing (2026-12-08).
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let planned: (EpisodeResult['campaign'] | undefined)[] = [];
  // Usually one run plans both and puts the approved apologies on the apology queue; the sender
  // sends them meanwhile, and a later run marks the campaign COMPLETE once all are settled.
  // Another run holding the lease (the schedule) means one more.
  const unfinished = (p: EpisodeResult['campaign'] | undefined): boolean => p === undefined || p.state === 'PLANNING' || p.state === 'APPROVED';
  do {
    await options.runAudit();
    planned = await Promise.all(
      declared.map(async ({ declaredAs }) => {
        const campaign = await campaigns.get(declaredAs);
        return campaign && { state: campaign.state, toApologise: campaign.summary.toApologise, rows: campaign.summary.rows };
      }),
    );
    if (planned.some(unfinished)) await new Promise((resolve) => setTimeout(resolve, 500));
  } while (planned.some(unfinished) && Date.now() < deadline);
  if (planned.some(unfinished)) log('the apology campaigns had not finished when the wait ran out: the checks below see them unfinished');
  return declared.map(({ ep, declaredAs }, i) => ({ title: ep.title, incidentId: ep.incident.id, declaredAs, ...(planned[i] ? { campaign: planned[i] } : {}) }));
}

/**
 * Runs a local stack's audit once as its schedule would: the target of the stack's one
 * schedule that invokes a function, with the schedule's input.
 *
 * @example
 * const runAudit = scheduledFunctionRun(local.functions);
 */
export function scheduledFunctionRun(functions: Pick<RunningFunctions, 'schedules' | 'invoke'>): () => Promise<void> {
  const schedule = functions.schedules.find((s) => s.target.kind === 'function');
  if (schedule?.target.kind !== 'function') throw new Error('The stack has no schedule that invokes a function (the audit); the demo needs it.');
  const { functionLogicalId } = schedule.target;
  const input: unknown = schedule.input === undefined ? {} : JSON.parse(schedule.input);
  return async () => {
    await functions.invoke(functionLogicalId, input);
  };
}

/** Waits until the directory function has recorded each event in the history. */
async function appliedByTheDirectoryFunction(
  events: readonly { eventId: string; registryId?: string; customerId?: string }[],
  options: PlayHistoryOptions,
  historyTable: string,
): Promise<void> {
  const history = new DynamoDbDirectoryHistory({ client: options.documentClient, tableName: historyTable, consistentRead: true });
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (const event of events) {
    for (;;) {
      const timeline = event.registryId ? await history.registryTimeline(event.registryId) : await history.customerTimeline(event.customerId ?? '');
      if (timeline.some((fact) => fact.eventId === event.eventId)) break;
      if (Date.now() > deadline) throw new Error(`the directory function did not apply ${event.eventId} in time (see functions.log)`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
