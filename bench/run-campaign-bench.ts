// `npm run bench:campaign`: a 10,000-recipient apology campaign on the local stack, at an SES
// rate high enough to matter: planning rows/s, apologies/s, and achieved / allowed rate with the
// largest sliding one-second window; what each function used (peak heap, working time), the
// DynamoDB requests per apology and every error answer (throttles) as the local IAM gate counted
// them, and the sender's time per apology. See bench/README.md, "The apology campaign".
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbImportedNotices } from '../lambdas/imports/tables/imported-notices';
import { AuditKeys, incidentPartitions, layoutOf } from '../lambdas/audit/audit-table/keys';
import { declareIncident } from '../lambdas/audit/declare-incident';
import { approveCampaign } from '../lambdas/audit/campaign/approve-campaign';
import { completeIfSettled, settledCount } from '../lambdas/audit/campaign/enqueue-apologies';
import { importSendLog } from '../lambdas/imports/send-log/import-send-log';
import { ssmParameterReader } from '../lambdas/platform/ssm-parameter-reader';
import { sesClient } from '../lambdas/platform/aws/ses-client';
import { sqsClient } from '../lambdas/platform/aws/sqs-client';
import { ssmClient } from '../lambdas/platform/aws/ssm-client';
import { planCampaign } from '../lambdas/audit/campaign/plan-campaign';
import { runDepsFromEnv } from '../lambdas/audit/audit-deps-from-env';
import { AUDIT_RUN_EVENT } from '../lambdas/audit/run/run-event';
import { sweepIncident } from '../lambdas/audit/sweep-incident';
import { allowedRate, maxInWindow, slotIntervalUs } from '../lambdas/mail/send-rate';
import { useStackAddressHashKey } from '../cli/address-hash-key';
import { emulatorEnv, LOCAL_AWS_REGION, LOCAL_CREDENTIALS, localClients, startEmulators, startLocalStack, synthesize, type BatchReport, type GateCall } from '@registry-notices/local-stack';
import { startOperationCounter, type OperationCounter } from './operation-counter';
import { cpuBetween, readCpu, readPeakRss } from './process-cpu';
import { benchTempDir } from './temp-dir';

const { values } = parseArgs({
  options: {
    recipients: { type: 'string', default: '10000' },
    'ses-rate': { type: 'string', default: '200' },
    share: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '10' },
    // apologySenderMsPerApology for the synth-time sizing check (a run far below the rate's need, to time the sender unpaced).
    'ms-per-apology': { type: 'string' },
    // Counts every call the stack makes to the emulators while sending (through proxies: they cost CPU, so not for the rate).
    'count-calls': { type: 'boolean', default: false },
    // V8 CPU profiles of the sending phase: one per execution environment and one of the main thread, in this directory.
    'cpu-prof': { type: 'string' },
  },
});
const RECIPIENTS = Number(values.recipients);
/** An operator who is a person (an IAM user), not the incident's declarer (none is recorded here). */
const BENCH_APPROVER = 'arn:aws:iam::123456789012:user/bench-ops';
const SES_RATE = Number(values['ses-rate']);
const SHARE = Number(values.share);

async function main(): Promise<void> {
  // The SES emulator's GetAccount answers this MaxSendRate (local/emulators/ses.ts).
  process.env.LOCAL_SES_MAX_SEND_RATE = String(SES_RATE);
  const cloudAssembly = await synthesize({
    outdir: benchTempDir('bench-campaign-cdk-out-'),
    context: {
      apologyRateSharePercent: String(SHARE),
      apologyApprovalThreshold: String(RECIPIENTS * 10),
      apologySenderMaxConcurrency: values.concurrency,
      ...(values['ms-per-apology'] ? { apologySenderMsPerApology: values['ms-per-apology'] } : {}),
    },
  });
  const emulators = await startEmulators({ ports: { sqs: 0, ses: 0, dynamodb: 0, ssm: 0, kms: 0 } });
  const counter: OperationCounter | undefined = values['count-calls'] ? await startOperationCounter({ ...emulators.endpoints }) : undefined;
  const stackEndpoints = counter ? (counter.endpoints as unknown as typeof emulators.endpoints) : emulators.endpoints;
  const profileDir = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  // Each batch the apology sender's event source ran while sending: how long it held how many records.
  const senderBatches: { durationMs: number; records: number }[] = [];
  let recordBatches = false;
  const local = await startLocalStack({
    observer: (report: BatchReport) => {
      if (recordBatches && /Apolog(?:y|ies)Sender/i.test(report.functionName)) senderBatches.push({ durationMs: report.durationMs, records: report.messageIds.length });
    },
    cloudAssembly,
    endpoints: stackEndpoints,
    functionEnvironment: emulatorEnv(stackEndpoints),
    region: LOCAL_AWS_REGION,
    schedules: false,
    runtimeExecArgv: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  const clients = localClients(emulators.endpoints, LOCAL_AWS_REGION);
  let planningDbClient: DynamoDBClient | undefined;
  try {
    const out = local.outputs.values;
    // The stack's address-hash key, as the CLI derives it: the import and planning here hash as the functions do.
    await useStackAddressHashKey(clients.kms, { description: 'bench stack', outputs: out });
    const env = {
      LEDGER_TABLE: out.LedgerTableName!,
      REGISTRIES_TABLE: out.RegistriesTableName!,
      CUSTOMERS_TABLE: out.CustomersTableName!,
      SUPPRESSIONS_TABLE: out.SuppressionsTableName!,
      UNSUBSCRIBES_TABLE: out.UnsubscribesTableName!,
      AUDIT_TABLE: out.AuditTableName!,
      DIRECTORY_HISTORY_TABLE: out.DirectoryHistoryTableName!,
      HELP_URL: 'https://shop.example/help',
      UNSUBSCRIBE_BASE_URL: 'https://shop.example/unsubscribe',
      KILL_SWITCH_PARAMETER: out.KillSwitchParameterName!,
      APOLOGY_QUEUE_URL: out.ApologyQueueUrl!,
      APOLOGY_RATE_SHARE_PERCENT: String(SHARE),
    };
    const readParameter = ssmParameterReader(ssmClient({ region: LOCAL_AWS_REGION, endpoint: emulators.endpoints.ssm, credentials: LOCAL_CREDENTIALS }));
    const sqs = sqsClient({ region: LOCAL_AWS_REGION, endpoint: emulators.endpoints.sqs, credentials: LOCAL_CREDENTIALS });
    // Planning's client retries more than the local clients' 3 attempts: at 100,000 rows on a starved box DynamoDB Local
    // answered a plan page's 100 conditional puts with 500s ("too long waiting for a lock"; AWS would take them) until the
    // SDK's retry tokens ran out, and the run died.
    const planningDb = (planningDbClient = new DynamoDBClient({ region: LOCAL_AWS_REGION, endpoint: emulators.endpoints.dynamodb, credentials: LOCAL_CREDENTIALS, maxAttempts: 10, retryMode: 'adaptive' }));
    const deps = runDepsFromEnv({ dynamoDb: planningDb, sesV2: sesClient({ region: LOCAL_AWS_REGION, credentials: LOCAL_CREDENTIALS, endpoint: emulators.endpoints.ses, maxAttempts: 3 }), sqs, readParameter }, env);
    const imports = new DynamoDbImportedNotices({ client: clients.documentClient, ledgerTable: env.LEDGER_TABLE, auditTable: env.AUDIT_TABLE, retentionDays: 400 });

    // An incident of RECIPIENTS addresses nobody knows (one notice each): every one gets an apology.
    console.log(`importing ${RECIPIENTS} send-log lines…`);
    const importStart = performance.now();
    for (let start = 0; start < RECIPIENTS; start += 5_000) {
      const lines = Array.from({ length: Math.min(5_000, RECIPIENTS - start) }, (_, i) =>
        JSON.stringify({ source: 'bench-crm', sentAt: '2025-03-01T10:00:00Z', sourceNoticeId: `b-${start + i}`, recipientAddress: `p${start + i}@bench.example`, registryId: 'reg-ghost', purchaseId: `pb-${start + i}` }),
      );
      // 64 lines in flight, not the import function's 16: setting up is not what this bench times.
      await importSendLog(lines, imports, { now: () => new Date(), firstLine: start + 1, concurrency: 64 });
    }
    const importSeconds = (performance.now() - importStart) / 1000;
    console.log(`imported in ${importSeconds.toFixed(1)} s`);
    const incident = await declareIncident({ description: 'bench blast', source: 'bench-crm' }, deps.incidents, new Date());
    const incidentId = incident.incidentId;

    // Planning: the sweep (audit every row) and the paged plan, as the dry run does them.
    const sweepStart = performance.now();
    await sweepIncident((await deps.incidents.get(incidentId))!, await deps.incidents.list(), deps, { maxRows: Number.POSITIVE_INFINITY, hasTime: () => true });
    const sweepSeconds = (performance.now() - sweepStart) / 1000;
    const planStart = performance.now();
    const plan = await planCampaign(incidentId, deps, { approvalThreshold: RECIPIENTS * 10, hasTime: () => true });
    const planSeconds = (performance.now() - planStart) / 1000;
    if (plan.summary.toApologise !== RECIPIENTS) throw new Error(`unexpected plan: ${JSON.stringify(plan.summary)} ${plan.state}`);
    // Strangers from an import (every recipient here) wait for a second person's approval, as `campaign approve` gives it.
    if (plan.state === 'AWAITING_APPROVAL') {
      await approveCampaign(incidentId, { approvedBy: BENCH_APPROVER, plannedAt: plan.plannedAt }, { campaigns: deps.campaigns, incidents: deps.incidents, approvalThreshold: RECIPIENTS * 10 }, new Date());
    } else if (plan.state !== 'APPROVED') throw new Error(`unexpected plan state: ${plan.state}`);
    console.log(`planned: sweep ${sweepSeconds.toFixed(1)} s, plan ${planSeconds.toFixed(1)} s`);
    const peakRssAfterPlanningMb = readPeakRss();

    // Sending: the audit function enqueues; the engine runs the sender from the apology queue.
    const auditFn = [...local.functions.definitions.keys()].find((id) => id.includes('AuditFunction'))!;
    // Slots the shared schedule handed out (its `handedOut` count): those no send used were missed or went unused.
    const handedOut = async (): Promise<number> =>
      Number((await clients.documentClient.send(new GetCommand({ TableName: env.AUDIT_TABLE, Key: AuditKeys.rateSchedule('apology-sends'), ConsistentRead: true }))).Item?.handedOut ?? 0);
    const slotsBefore = await handedOut();
    counter?.reset();
    local.functions.resetCalls();
    const usageBefore = local.functions.usage();
    recordBatches = true;
    const profiler = profileDir ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const cpuBefore = readCpu();
    const loadBefore = loadavg();
    const sendStart = performance.now();
    // Slots a second the shared schedule hands out (the sender's 50 ms tolerance): the sizing's schedule rate.
    const scheduleRate = 1e6 / slotIntervalUs(allowedRate(SES_RATE, SHARE / 100), 50);
    // A failed run (a request timed out on a starved box) is followed by the next, as its schedule would run it again.
    let auditRunsFailed = 0;
    while (!(await deps.campaigns.get(incidentId))?.enqueue?.done) {
      try {
        await local.functions.invoke(auditFn, AUDIT_RUN_EVENT);
      } catch (error) {
        auditRunsFailed += 1;
        console.error(`audit run failed (${auditRunsFailed}), running it again: ${(error as Error).message}`);
        if (auditRunsFailed >= 20) throw error;
        await sleep(1_000);
      }
    }
    const enqueueSeconds = (performance.now() - sendStart) / 1000;
    console.log(`enqueued in ${enqueueSeconds.toFixed(1)} s; sending…`);
    let settled = 0;
    let progressLines = 0;
    let quietSince = Date.now();
    while (settled < RECIPIENTS) {
      await sleep(1_000);
      const now = settledCount(await completeIfSettled(incidentId, deps.campaigns, new Date()));
      if (now !== settled) quietSince = Date.now();
      settled = now;
      if (Date.now() - quietSince > 120_000) throw new Error(`stalled at ${settled} settled`);
      process.stdout.write(`\r  ${settled}/${RECIPIENTS} settled`);
      // A dated line a minute for a log file (a long run is watched from another terminal).
      if (Math.floor((performance.now() - sendStart) / 60_000) > progressLines) {
        progressLines += 1;
        console.log(`\n${new Date().toISOString()} ${settled}/${RECIPIENTS} settled, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
        // Every 5 minutes the figures so far, per apology settled (a run cut short still tells them).
        if (progressLines % 5 === 0 && settled > 0) {
          const sofar = sendingFigures({ gateCalls: local.functions.calls(), senderBatches, usageBefore, usageAfter: local.functions.usage(), claimToSend: [], sendToSettle: [], sendSeconds: (performance.now() - sendStart) / 1000, recipients: settled, scheduleRate });
          console.log(`so far: ${JSON.stringify({ dynamoDbPerApology: sofar.dynamoDbPerApology, errorAnswers: sofar.errorAnswers, throttles: sofar.throttles, functions: sofar.functions, sender: sofar.sender, peakRssMb: readPeakRss() })}`);
        }
      }
    }
    process.stdout.write('\n');
    const sendSeconds = (performance.now() - sendStart) / 1000;
    const cpuSending = cpuBetween(cpuBefore, readCpu());
    const slotsHandedOut = (await handedOut()) - slotsBefore;
    recordBatches = false;
    const calls = counter?.counts();
    const gateCalls = local.functions.calls();
    const usageAfter = local.functions.usage();
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(path.join(profileDir!, 'main-thread.cpuprofile'), JSON.stringify(profile));
      profiler.disconnect();
    }

    // The send log: when each SES call started (the claims' sendStartedAt, ms precision).
    const times: number[] = [];
    // Per claim: its claim (written a lead before the slot) to its SES call, and the SES call to the settle.
    const claimToSend: number[] = [];
    const sendToSettle: number[] = [];
    const notSentReasons: Record<string, number> = {};
    // The claims are spread over the incident's shard partitions (keys.ts).
    const layout = layoutOf((await clients.documentClient.send(new GetCommand({ TableName: env.AUDIT_TABLE, Key: AuditKeys.incident(incidentId) }))).Item);
    for (const pk of incidentPartitions(incidentId, layout)) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await clients.documentClient.send(
          new QueryCommand({
            TableName: env.AUDIT_TABLE,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
            ExpressionAttributeValues: { ':pk': pk, ':p': 'APOLOGY#' },
            ProjectionExpression: 'sendStartedAt, claimedAt, settledAt, #s, reason',
            ExpressionAttributeNames: { '#s': 'state' },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          if (typeof item.sendStartedAt === 'string') {
            const sendAt = Date.parse(item.sendStartedAt);
            times.push(sendAt);
            if (typeof item.claimedAt === 'string') claimToSend.push(sendAt - Date.parse(item.claimedAt));
            if (typeof item.settledAt === 'string') sendToSettle.push(Date.parse(item.settledAt) - sendAt);
          }
          const why = `${String(item.state)} ${String(item.reason ?? '')}`.trim();
          if (item.state !== 'SENT') notSentReasons[why] = (notSentReasons[why] ?? 0) + 1;
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
    times.sort((a, b) => a - b);
    const counts = await deps.campaigns.claimCounts(incidentId);
    const mail = (await storedMail(emulators.endpoints.ses)).filter((m) => m.to.some((a) => a.endsWith('@bench.example')));
    const sending = sendingFigures({ gateCalls, senderBatches, usageBefore, usageAfter, claimToSend, sendToSettle, sendSeconds, recipients: RECIPIENTS, scheduleRate });
    const allowed = allowedRate(SES_RATE, SHARE / 100);
    const spanSeconds = (times.at(-1)! - times[0]!) / 1000;
    const achieved = (times.length - 1) / spanSeconds;
    const worstWindow = maxInWindow(times, 1000);
    const summary = {
      at: new Date().toISOString(),
      loadAverage: loadavg(),
      loadAverageBeforeSending: loadBefore,
      recipients: RECIPIENTS,
      sesMaxSendRate: SES_RATE,
      sharePercent: SHARE,
      allowedPerSecond: allowed,
      senderMaxConcurrency: Number(values.concurrency),
      importSeconds,
      planning: { sweepSeconds, planSeconds, rowsPerSecond: RECIPIENTS / (sweepSeconds + planSeconds), planRowsPerSecond: RECIPIENTS / planSeconds },
      sending: { auditRunsFailed, enqueueSeconds, wallSeconds: sendSeconds, apologiesPerSecond: times.length / sendSeconds, firstToLastSendSeconds: spanSeconds, achievedPerSecond: achieved },
      achievedOverAllowed: achieved / allowed,
      // Every slot the schedule handed out while sending, and those no send started in (late by more than the tolerance, or unused).
      slots: { handedOut: slotsHandedOut, withoutSend: slotsHandedOut - times.length },
      largestOneSecondWindow: worstWindow,
      largestWindowOverAllowed: worstWindow / allowed,
      // CPU seconds used while sending (enqueue to the last settle), by thread and emulator process.
      cpuSecondsWhileSending: cpuSending,
      ...sending,
      peakRssMb: { afterPlanning: peakRssAfterPlanningMb, atEnd: readPeakRss() },
      ...(calls ? { callsPerApology: Object.fromEntries(Object.entries(calls).sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, Math.round((n / RECIPIENTS) * 100) / 100])) } : {}),
      claims: counts,
      // Why claims that are not SENT settled as they did (reasons only, no addresses).
      notSentReasons,
      emails: { total: mail.length, distinctRecipients: new Set(mail.map((m) => m.to[0])).size },
    };
    mkdirSync('.local/bench', { recursive: true });
    writeFileSync('.local/bench/campaign.json', `${JSON.stringify(summary, null, 2)}\n`);
    console.log(JSON.stringify(summary, null, 2));
    console.log(
      `planning ${summary.planning.rowsPerSecond.toFixed(0)} rows/s (sweep + plan), sending ${achieved.toFixed(1)}/s of ${allowed}/s allowed = ${(achieved / allowed).toFixed(3)} (target ≥ 0.9), largest one-second window ${worstWindow} (≤ ${allowed})`,
    );
    console.log(
      `DynamoDB requests per apology ${sending.dynamoDbPerApology.total} (all functions), throttles ${sending.throttles.total}; sender: ${sending.sender.heldMsPerApology.median} ms held per batch beyond its slots (median), ${sending.sender.workingMsPerApology} ms of its threads' work per apology`,
    );
    const ok = worstWindow <= allowed && summary.emails.total === RECIPIENTS && summary.emails.distinctRecipients === RECIPIENTS && (counts.SENT ?? 0) === RECIPIENTS;
    if (!ok) {
      console.error('FAILED: a window above the allowed rate, or not exactly one email per recipient');
      process.exitCode = 1;
    } else if (achieved / allowed < 0.9) {
      // The bound held; the pace did not (a loaded machine, or too little sender concurrency).
      console.error('BELOW TARGET: achieved / allowed under 0.9');
      process.exitCode = 1;
    }
  } finally {
    planningDbClient?.destroy();
    clients.destroy();
    await local.stop();
    await counter?.close();
    await emulators.stop();
  }
}

/** Every email the SES emulator stored, recipients bare and lower-case, read in pages (`/store/page`, local/emulators/ses-process.ts). */
async function storedMail(sesEndpoint: string): Promise<{ to: string[] }[]> {
  const out: { to: string[] }[] = [];
  const bare = (address: string): string => (/<([^>]+)>/.exec(address)?.[1] ?? address).trim().toLowerCase();
  for (let offset = 0; ; ) {
    const response = await fetch(`${sesEndpoint.replace(/\/+$/, '')}/store/page?offset=${offset}&limit=5000`);
    if (!response.ok) throw new Error(`The SES emulator's store answered ${response.status}`);
    const page = (await response.json()) as { total: number; emails: { destination: { to: string[]; cc: string[]; bcc: string[] } }[] };
    for (const email of page.emails) out.push({ to: [...email.destination.to, ...email.destination.cc, ...email.destination.bcc].map(bare) });
    offset += page.emails.length;
    if (page.emails.length === 0 || offset >= page.total) return out;
  }
}

// The q-quantile, nearest rank (NaN for none).
function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (bytes: number | undefined): number | undefined => (bytes === undefined ? undefined : round(bytes / 2 ** 20, 1));
// `ApologySenderFunction1A2B3C4D` → `ApologySenderFunction`: CDK's logical-id hash is noise here.
const shortName = (logicalId: string): string => logicalId.replace(/[0-9A-F]{8}$/, '');

/**
 * What the sending phase cost, from the local IAM gate's counts (every call a function makes
 * passes it: no extra hop), the sender's batches and the environments' usage.
 */
function sendingFigures(input: {
  gateCalls: readonly GateCall[];
  senderBatches: readonly { durationMs: number; records: number }[];
  usageBefore: ReturnType<LocalStackFunctions['usage']>;
  usageAfter: ReturnType<LocalStackFunctions['usage']>;
  claimToSend: number[];
  sendToSettle: number[];
  sendSeconds: number;
  recipients: number;
  scheduleRate: number;
}) {
  const { gateCalls, senderBatches, recipients } = input;
  const perApology = (n: number): number => round(n / recipients, 3);
  const dynamo = gateCalls.filter((c) => c.service === 'dynamodb');
  const byOperation: Record<string, number> = {};
  const byFunction: Record<string, Record<string, number>> = {};
  for (const c of dynamo) {
    byOperation[c.operation] = (byOperation[c.operation] ?? 0) + c.count;
    const fn = (byFunction[shortName(c.functionLogicalId)] ??= {});
    fn[c.operation] = (fn[c.operation] ?? 0) + c.count;
  }
  const sortedPer = (counts: Record<string, number>): Record<string, number> =>
    Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, perApology(n)]));
  // Answers of 400 or more, by service, operation and error code: throttles, faults, and the expected refusals (a claim already taken).
  const errors: Record<string, number> = {};
  for (const c of gateCalls.filter((c) => c.status >= 400)) {
    const key = `${c.service} ${c.operation} ${c.status} ${c.errorType ?? ''}`.trim();
    errors[key] = (errors[key] ?? 0) + c.count;
  }
  const isThrottle = (c: GateCall): boolean => c.status === 429 || /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|TooManyRequests|LimitExceeded/i.test(c.errorType ?? '');
  const throttled = gateCalls.filter(isThrottle);
  const sesSends = gateCalls.filter((c) => c.service === 'ses' && /SendEmail|POST \/v2\/email\/outbound-emails/.test(c.operation)).reduce((n, c) => n + c.count, 0);

  const usage: Record<string, { environments: number; peakHeapTotalMb?: number; peakHeapUsedMb?: number; peakExternalMb?: number; workingSecondsWhileSending: number }> = {};
  for (const [logicalId, after] of input.usageAfter) {
    if (after.environments === 0) continue;
    const before = input.usageBefore.get(logicalId);
    usage[shortName(logicalId)] = {
      environments: after.environments,
      peakHeapTotalMb: mb(after.peakHeap?.totalBytes),
      peakHeapUsedMb: mb(after.peakHeap?.usedBytes),
      peakExternalMb: mb(after.peakHeap?.externalBytes),
      workingSecondsWhileSending: round((after.activeMs - (before?.activeMs ?? 0)) / 1000, 1),
    };
  }
  const senderId = [...input.usageAfter.keys()].find((id) => /Apolog(?:y|ies)Sender/i.test(id));
  const senderWorkMs = senderId ? (input.usageAfter.get(senderId)!.activeMs - (input.usageBefore.get(senderId)?.activeMs ?? 0)) : 0;
  // The sizing's model (lib/apology-sender-sizing.ts): a batch is held for msPerApology plus its slots (records ÷ schedule rate).
  const held = senderBatches.map((b) => b.durationMs - (b.records * 1000) / input.scheduleRate);
  const stats = (xs: number[]) => ({ median: round(quantile(xs, 0.5), 0), p10: round(quantile(xs, 0.1), 0), p90: round(quantile(xs, 0.9), 0) });
  const busyMs = senderBatches.reduce((n, b) => n + b.durationMs, 0);
  return {
    dynamoDbPerApology: { total: perApology(dynamo.reduce((n, c) => n + c.count, 0)), byOperation: sortedPer(byOperation), byFunction: Object.fromEntries(Object.entries(byFunction).map(([fn, ops]) => [fn, sortedPer(ops)])) },
    requestsPerApologyByService: sortedPer(Object.fromEntries(Object.entries(Object.groupBy(gateCalls, (c) => c.service)).map(([svc, cs]) => [svc, cs!.reduce((n, c) => n + c.count, 0)]))),
    errorAnswers: errors,
    throttles: { total: throttled.reduce((n, c) => n + c.count, 0), sesSendEmailCalls: sesSends },
    functions: usage,
    sender: {
      batches: senderBatches.length,
      recordsPerBatch: round(senderBatches.reduce((n, b) => n + b.records, 0) / Math.max(1, senderBatches.length), 2),
      batchMs: stats(senderBatches.map((b) => b.durationMs)),
      heldMsPerApology: stats(held),
      meanBatchesInFlight: round(busyMs / (input.sendSeconds * 1000), 2),
      workingMsPerApology: round(senderWorkMs / recipients, 1),
      claimToSendMs: stats(input.claimToSend),
      sesCallMs: stats(input.sendToSettle),
    },
  };
}
type LocalStackFunctions = Awaited<ReturnType<typeof startLocalStack>>['functions'];

await main();
