// `npm run bench:campaign`: a 10,000-recipient apology campaign on the local stack, at an SES
// rate high enough to matter: planning rows/s, apologies/s, and achieved / allowed rate with the
// largest sliding one-second window. See bench/README.md, "The apology campaign".
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbImportedNotices } from '../lambdas/imports/tables/imported-notices';
import { AuditKeys, incidentPartitions, layoutOf } from '../lambdas/audit/audit-table/keys';
import { declareIncident } from '../lambdas/audit/declare-incident';
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
import { allowedRate, maxInWindow } from '../lambdas/mail/send-rate';
import { sentMail } from '../cli/demo/sent-mail';
import { emulatorEnv, LOCAL_AWS_REGION, LOCAL_CREDENTIALS, localClients, startEmulators, startLocalStack, synthesize } from '@registry-notices/local-stack';
import { startOperationCounter, type OperationCounter } from './operation-counter';
import { cpuBetween, readCpu } from './process-cpu';

const { values } = parseArgs({
  options: {
    recipients: { type: 'string', default: '10000' },
    'ses-rate': { type: 'string', default: '200' },
    share: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '10' },
    // Counts every call the stack makes to the emulators while sending (through proxies: they cost CPU, so not for the rate).
    'count-calls': { type: 'boolean', default: false },
    // V8 CPU profiles of the sending phase: one per execution environment and one of the main thread, in this directory.
    'cpu-prof': { type: 'string' },
  },
});
const RECIPIENTS = Number(values.recipients);
const SES_RATE = Number(values['ses-rate']);
const SHARE = Number(values.share);

async function main(): Promise<void> {
  // The SES emulator's GetAccount answers this MaxSendRate (local/emulators/ses.ts).
  process.env.LOCAL_SES_MAX_SEND_RATE = String(SES_RATE);
  const cloudAssembly = await synthesize({
    outdir: mkdtempSync(path.join(tmpdir(), 'bench-campaign-cdk-out-')),
    context: {
      apologyRateSharePercent: String(SHARE),
      apologyApprovalThreshold: String(RECIPIENTS * 10),
      apologySenderMaxConcurrency: values.concurrency,
    },
  });
  const emulators = await startEmulators({ ports: { sqs: 0, ses: 0, dynamodb: 0, ssm: 0, kms: 0 } });
  const counter: OperationCounter | undefined = values['count-calls'] ? await startOperationCounter({ ...emulators.endpoints }) : undefined;
  const stackEndpoints = counter ? (counter.endpoints as unknown as typeof emulators.endpoints) : emulators.endpoints;
  const profileDir = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const local = await startLocalStack({
    cloudAssembly,
    endpoints: stackEndpoints,
    functionEnvironment: emulatorEnv(stackEndpoints),
    region: LOCAL_AWS_REGION,
    schedules: false,
    runtimeExecArgv: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  const clients = localClients(emulators.endpoints, LOCAL_AWS_REGION);
  try {
    const out = local.outputs.values;
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
    const deps = runDepsFromEnv({ dynamoDb: clients.dynamodb, sesV2: sesClient({ region: LOCAL_AWS_REGION, credentials: LOCAL_CREDENTIALS, endpoint: emulators.endpoints.ses, maxAttempts: 3 }), sqs, readParameter }, env);
    const imports = new DynamoDbImportedNotices({ client: clients.documentClient, ledgerTable: env.LEDGER_TABLE, auditTable: env.AUDIT_TABLE, retentionDays: 400 });

    // An incident of RECIPIENTS addresses nobody knows (one notice each): every one gets an apology.
    console.log(`importing ${RECIPIENTS} send-log lines…`);
    for (let start = 0; start < RECIPIENTS; start += 5_000) {
      const lines = Array.from({ length: Math.min(5_000, RECIPIENTS - start) }, (_, i) =>
        JSON.stringify({ source: 'bench-crm', sentAt: '2025-03-01T10:00:00Z', sourceNoticeId: `b-${start + i}`, recipientAddress: `p${start + i}@bench.example`, registryId: 'reg-ghost', purchaseId: `pb-${start + i}` }),
      );
      await importSendLog(lines, imports, { now: () => new Date(), firstLine: start + 1 });
    }
    const incident = await declareIncident({ description: 'bench blast', source: 'bench-crm' }, deps.incidents, new Date());
    const incidentId = incident.incidentId;

    // Planning: the sweep (audit every row) and the paged plan, as the dry run does them.
    const sweepStart = performance.now();
    await sweepIncident((await deps.incidents.get(incidentId))!, await deps.incidents.list(), deps, { maxRows: Number.POSITIVE_INFINITY, hasTime: () => true });
    const sweepSeconds = (performance.now() - sweepStart) / 1000;
    const planStart = performance.now();
    const plan = await planCampaign(incidentId, deps, { approvalThreshold: RECIPIENTS * 10, hasTime: () => true });
    const planSeconds = (performance.now() - planStart) / 1000;
    if (plan.summary.toApologise !== RECIPIENTS || plan.state !== 'APPROVED') throw new Error(`unexpected plan: ${JSON.stringify(plan.summary)} ${plan.state}`);
    console.log(`planned: sweep ${sweepSeconds.toFixed(1)} s, plan ${planSeconds.toFixed(1)} s`);

    // Sending: the audit function enqueues; the engine runs the sender from the apology queue.
    const auditFn = [...local.functions.definitions.keys()].find((id) => id.includes('AuditFunction'))!;
    // Slots the shared schedule handed out (its `handedOut` count): those no send used were missed or went unused.
    const handedOut = async (): Promise<number> =>
      Number((await clients.documentClient.send(new GetCommand({ TableName: env.AUDIT_TABLE, Key: AuditKeys.rateSchedule('apology-sends'), ConsistentRead: true }))).Item?.handedOut ?? 0);
    const slotsBefore = await handedOut();
    counter?.reset();
    const profiler = profileDir ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const cpuBefore = readCpu();
    const loadBefore = loadavg();
    const sendStart = performance.now();
    while (!(await deps.campaigns.get(incidentId))?.enqueue?.done) await local.functions.invoke(auditFn, AUDIT_RUN_EVENT);
    const enqueueSeconds = (performance.now() - sendStart) / 1000;
    console.log(`enqueued in ${enqueueSeconds.toFixed(1)} s; sending…`);
    let settled = 0;
    let quietSince = Date.now();
    while (settled < RECIPIENTS) {
      await sleep(1_000);
      const now = settledCount(await completeIfSettled(incidentId, deps.campaigns, new Date()));
      if (now !== settled) quietSince = Date.now();
      settled = now;
      if (Date.now() - quietSince > 120_000) throw new Error(`stalled at ${settled} settled`);
      process.stdout.write(`\r  ${settled}/${RECIPIENTS} settled`);
    }
    process.stdout.write('\n');
    const sendSeconds = (performance.now() - sendStart) / 1000;
    const cpuSending = cpuBetween(cpuBefore, readCpu());
    const slotsHandedOut = (await handedOut()) - slotsBefore;
    const calls = counter?.counts();
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(path.join(profileDir!, 'main-thread.cpuprofile'), JSON.stringify(profile));
      profiler.disconnect();
    }

    // The send log: when each SES call started (the claims' sendStartedAt, ms precision).
    const times: number[] = [];
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
            ProjectionExpression: 'sendStartedAt, #s, reason',
            ExpressionAttributeNames: { '#s': 'state' },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          if (typeof item.sendStartedAt === 'string') times.push(Date.parse(item.sendStartedAt));
          const why = `${String(item.state)} ${String(item.reason ?? '')}`.trim();
          if (item.state !== 'SENT') notSentReasons[why] = (notSentReasons[why] ?? 0) + 1;
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
    times.sort((a, b) => a - b);
    const counts = await deps.campaigns.claimCounts(incidentId);
    const mail = (await sentMail(emulators.endpoints.ses)).filter((m) => m.to.some((a) => a.endsWith('@bench.example')));
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
      planning: { sweepSeconds, planSeconds, rowsPerSecond: RECIPIENTS / (sweepSeconds + planSeconds), planRowsPerSecond: RECIPIENTS / planSeconds },
      sending: { enqueueSeconds, wallSeconds: sendSeconds, apologiesPerSecond: times.length / sendSeconds, firstToLastSendSeconds: spanSeconds, achievedPerSecond: achieved },
      achievedOverAllowed: achieved / allowed,
      // Every slot the schedule handed out while sending, and those no send started in (late by more than the tolerance, or unused).
      slots: { handedOut: slotsHandedOut, withoutSend: slotsHandedOut - times.length },
      largestOneSecondWindow: worstWindow,
      largestWindowOverAllowed: worstWindow / allowed,
      // CPU seconds used while sending (enqueue to the last settle), by thread and emulator process.
      cpuSecondsWhileSending: cpuSending,
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
    clients.destroy();
    await local.stop();
    await counter?.close();
    await emulators.stop();
  }
}

await main();
