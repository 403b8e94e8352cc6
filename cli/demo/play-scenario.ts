import { fileURLToPath } from 'node:url';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readSeedFile } from '../seed/seed-file';
import { addressHash } from '../../lambdas/directory/address-hash';
import { useStackAddressHashKey } from '../address-hash-key';
import { seedTablesOf, writeSeed } from '../seed/write-seed';
import { readPurchaseEvents } from '../send/purchase-events-file';
import { sendPurchaseEvents } from '../send/send-purchase-events';
import { checkExpectations, type ExpectationCheck } from './check-expectations';
import { readExpectations, type Expectations } from './expectations';
import { playHistory, readHistory, type EpisodeResult } from './history-scenario';
import { sentMail } from './sent-mail';
import { readStackSummary, type StackSummary, type SummarySources } from './stack-summary';

/** The demo's files. */
export const DEMO_FILES = {
  seed: fileURLToPath(new URL('./seed.json', import.meta.url)),
  purchases: fileURLToPath(new URL('./purchases.json', import.meta.url)),
  laterPurchases: fileURLToPath(new URL('./later-purchases.json', import.meta.url)),
  expectations: fileURLToPath(new URL('./expectations.json', import.meta.url)),
  history: fileURLToPath(new URL('./history.json', import.meta.url)),
} as const;

/** Options for {@link playScenario}. */
export interface PlayScenarioOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  /** Derives the stack's address-hash key: the seed and the checks hash addresses as its functions do. */
  readonly kms: Pick<KMSClient, 'send'>;
  readonly sesEndpoint: string;
  /** The stack's outputs (PurchaseQueueUrl, RegistriesTableName, ...). */
  readonly outputs: Readonly<Record<string, string>>;
  readonly files?: {
    readonly seed: string;
    readonly purchases: string;
    readonly laterPurchases?: string;
    readonly expectations: string;
    readonly history: string;
  };
  /** Runs the stack's audit once, as its schedule would (see `scheduledFunctionRun`). */
  readonly runAudit: () => Promise<void>;
  /** How long to wait for every event to be decided. @default 60_000 */
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

/** The result of a played scenario. */
export interface ScenarioResult {
  readonly checks: readonly ExpectationCheck[];
  readonly summary: StackSummary;
  /** What the audit planned for each incident of history.json. */
  readonly episodes: readonly EpisodeResult[];
  readonly emails: number;
  /** Seconds from the first event sent until every expectation could be checked. */
  readonly settledSeconds: number;
  readonly timedOut: boolean;
}

/**
 * Seeds the data, sends the purchase events to the purchase queue, waits until each
 * expected event has a final ledger decision, the quarantine holds what it should and the
 * purchase queue is empty; then until SES's events are in (each expected fate, each
 * suppression), sends the later purchase events (`afterHearingBack`) and waits for those;
 * then plays the past of history.json (notices of another system, later changes and a
 * correction through the directory queue, an incident over each, one audit run) and checks
 * every expectation against ledger, suppressions, campaigns, mailbox and queues.
 *
 * @example
 * const result = await playScenario({ documentClient, sqs, sesEndpoint, outputs });
 * result.checks.every((check) => check.ok)
 */
export async function playScenario(options: PlayScenarioOptions): Promise<ScenarioResult> {
  const files = options.files ?? DEMO_FILES;
  const log = options.log ?? (() => undefined);
  const output = (key: string): string => {
    const value = options.outputs[key];
    if (!value) throw new Error(`The stack has no output ${key}; the demo needs it.`);
    return value;
  };
  const expectations = readExpectations(files.expectations);
  const seed = readSeedFile(files.seed);
  const bodies = readPurchaseEvents(files.purchases);
  const sources: SummarySources = {
    ledgerTable: output('LedgerTableName'),
    suppressionsTable: output('SuppressionsTableName'),
    purchaseQueueUrl: output('PurchaseQueueUrl'),
    quarantineQueueUrl: output('QuarantineQueueUrl'),
    deadLetterQueueUrl: output('DeadLetterQueueUrl'),
  };

  await useStackAddressHashKey(options.kms, { description: 'stack', outputs: options.outputs });
  await writeSeed(options.documentClient, seedTablesOf(output), seed);
  log(`seeded ${seed.registries.length} registries, ${seed.customers.length} customers, ${seed.suppressions.length} suppressions`);
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 60_000);
  const waitFor = async (done: (summary: StackSummary) => boolean): Promise<{ summary: StackSummary; timedOut: boolean }> => {
    for (;;) {
      const summary = await readStackSummary(options.documentClient, options.sqs, sources);
      if (done(summary)) return { summary, timedOut: false };
      if (Date.now() > deadline) return { summary, timedOut: true };
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const [first, later] = [expectations.notices.filter((n) => !n.afterHearingBack), expectations.notices.filter((n) => n.afterHearingBack)];

  await sendPurchaseEvents(options.sqs, sources.purchaseQueueUrl, bodies);
  log(`sent ${bodies.length} purchase events; waiting for the notify function`);
  let { timedOut } = await waitFor((s) => decided(first, s) && s.quarantined >= expectations.quarantined && s.backlog === 0);

  if (!timedOut && (later.length > 0 || expectations.suppressedBySes?.length)) {
    log("waiting for SES's events (deliveries, bounces)");
    ({ timedOut } = await waitFor((s) => heardBack(expectations, s)));
  }
  if (!timedOut && later.length > 0 && files.laterPurchases) {
    const laterBodies = readPurchaseEvents(files.laterPurchases);
    await sendPurchaseEvents(options.sqs, sources.purchaseQueueUrl, laterBodies);
    log(`sent ${laterBodies.length} more purchase event(s), now that SES has been heard`);
    ({ timedOut } = await waitFor((s) => decided(later, s) && s.backlog === 0));
  }
  const settledSeconds = (Date.now() - started) / 1000;

  log('playing the past (cli/demo/history.json): what was true when');
  const episodes = await playHistory({
    documentClient: options.documentClient,
    sqs: options.sqs,
    outputs: options.outputs,
    history: readHistory(files.history),
    runAudit: options.runAudit,
    log: (line) => log(`  ${line}`),
  });
  const summary = await readStackSummary(options.documentClient, options.sqs, sources);
  const mails = await sentMail(options.sesEndpoint);
  return {
    checks: checkExpectations(expectations, summary, mails, episodes),
    summary,
    episodes,
    emails: mails.length,
    settledSeconds,
    timedOut,
  };
}

/** Every one of these events has a final ledger decision. */
function decided(notices: Expectations['notices'], summary: StackSummary): boolean {
  return notices.every((notice) => {
    const outcome = summary.decisions.get(notice.eventId)?.outcome;
    return outcome !== undefined && outcome !== 'SENDING';
  });
}

/** SES's events are in: each expected fate of a first-wave notice, and each suppression. */
function heardBack(expectations: Expectations, summary: StackSummary): boolean {
  const fates = expectations.notices
    .filter((n) => n.fate !== undefined && !n.afterHearingBack)
    .every((n) => summary.decisions.get(n.eventId)?.fate === n.fate);
  return fates && (expectations.suppressedBySes ?? []).every((address) => summary.suppressedBySes.has(addressHash(address)));
}
