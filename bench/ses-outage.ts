// `npm run bench:outage`: SES killed while notices are in flight, on the local stack. See bench/README.md.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { operatorEndpoint } from '../cli/operator/operator-endpoint';
import { seedTablesOf, writeSeed } from '../cli/seed/write-seed';
import { useStackAddressHashKey } from '../cli/address-hash-key';
import { sendPurchaseEvents } from '../cli/send/send-purchase-events';
import { mailSubjectFromTags } from '../lambdas/mail/mail-tags';
import { type EmulatorEndpoints, emulatorEnv, LOCAL_AWS_REGION, localClients, type LocalStack, RestartableSes, startEmulators, startLocalStack, synthesize, writeStackState } from '@registry-notices/local-stack';
import { benchEvents, benchSeed } from './bench-data';
import { benchTempDir } from './temp-dir';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '500' },
    'down-seconds': { type: 'string', default: '15' },
    // SES dies once this many emails are in: the rest are in flight or still queued.
    'kill-after': { type: 'string', default: '100' },
    // The stack's uncertainSettleSeconds: how long a notice in doubt waits for SES's events before an operator may resolve it.
    'settle-seconds': { type: 'string', default: '10' },
    // Reuses .local/cdk.out as it is, settle window included (900 s unless it was synthesized with another).
    'no-synth': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(values.events);
const DOWN_MS = Number(values['down-seconds']) * 1000;
const KILL_AFTER = Number(values['kill-after']);
const SETTLE_SECONDS = Number(values['settle-seconds']);
// The operator who resolves, as the local function URL names a caller (locally a key's secret is its id).
const OPERATOR_KEY = 'outage-bench';

interface StoredMail {
  readonly tags?: Record<string, string>;
}

async function main(): Promise<void> {
  const cloudAssembly = values['no-synth']
    ? '.local/cdk.out'
    : await synthesize({ outdir: benchTempDir('outage-cdk-out-'), context: { uncertainSettleSeconds: String(SETTLE_SECONDS) } });
  const emulators = await startEmulators({ ports: { sqs: 0, ses: 0, dynamodb: 0, ssm: 0, kms: 0 } });
  // The stack's SES is one this script can kill; the shared one stays idle.
  const ses = await RestartableSes.start();
  const endpoints = { ...emulators.endpoints, ses: ses.url };
  const local = await startLocalStack({
    cloudAssembly,
    endpoints,
    functionEnvironment: emulatorEnv(endpoints),
    region: LOCAL_AWS_REGION,
    schedules: false,
    functionUrlPort: 0,
  });
  const clients = localClients(endpoints, LOCAL_AWS_REGION);
  const out = local.outputs.values;
  const mailTags = async (): Promise<StoredMail[]> => ((await (await fetch(`${ses.url}/store`)).json()) as { emails: StoredMail[] }).emails;
  const ledger = async (): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await clients.documentClient.send(new ScanCommand({ TableName: out.LedgerTableName, ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items.filter((i) => String(i.eventId).startsWith('outage-'));
  };

  try {
    await useStackAddressHashKey(clients.kms, { description: 'bench stack', outputs: out });
    await writeSeed(clients.documentClient, seedTablesOf((key) => out[key]!), benchSeed());
    const started = performance.now();
    const at = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;
    await sendPurchaseEvents(clients.sqs, out.PurchaseQueueUrl!, benchEvents('outage', EVENTS));
    console.log(`${EVENTS} purchase events sent; SES is killed once ${KILL_AFTER} emails are in, for ${DOWN_MS / 1000} s`);

    while ((await mailTags()).length < KILL_AFTER) await sleep(20);
    await ses.kill();
    const atKill = (await ledger()).filter((r) => r.outcome === 'SENT').length;
    console.log(`${at()}  SES killed (${atKill} notices SENT so far)`);
    await sleep(DOWN_MS);
    await ses.restart();
    console.log(`${at()}  SES back`);

    // Records that failed while SES was down come back after the queue's visibility timeout (180 s).
    let rows: Record<string, unknown>[] = [];
    for (;;) {
      rows = await ledger();
      const open = rows.filter((r) => r.outcome === 'SENDING').length;
      if (rows.length === EVENTS && open === 0) break;
      await sleep(1000);
    }
    // Give the SES events of the last emails their moment (they settle an UNCERTAIN notice).
    await local.mailEvents.flush();
    await sleep(3000);
    rows = await ledger();
    const decidedSeconds = (performance.now() - started) / 1000;
    const inDoubtBefore = rows.filter((r) => r.outcome === 'UNCERTAIN').length;

    // What SES said nothing about, the operator resolves once the settle window is over, as `notice uncertain` and
    // `notice resolve` do: through the stack's operator endpoint (SigV4, the caller recorded), never sending mail itself.
    const endpoint = operatorEndpoint({ stateFile: stateFileOf(local, endpoints) }, { AWS_ACCESS_KEY_ID: OPERATOR_KEY, AWS_SECRET_ACCESS_KEY: OPERATOR_KEY });
    const resolved: Record<string, number> = {};
    if (inDoubtBefore > 0) {
      const lastDoubt = Math.max(...rows.filter((r) => r.outcome === 'UNCERTAIN').map((r) => Date.parse(String(r.settledAt ?? r.decidedAt))));
      await sleep(Math.max(0, lastDoubt + SETTLE_SECONDS * 1000 + 1000 - Date.now()));
      const listed = await endpoint.call('notice uncertain', {});
      const ids = listed.items.filter((i) => i.kind === 'notice' && i.resolvable && i.id.startsWith('evt#outage-')).map((i) => i.id);
      for (let i = 0; i < ids.length; i += 100) {
        for (const outcome of await endpoint.call('notice resolve', { noticeIds: ids.slice(i, i + 100) })) resolved[outcome.result] = (resolved[outcome.result] ?? 0) + 1;
      }
      console.log(`${at()}  ${listed.items.length} in doubt past the ${SETTLE_SECONDS} s window; resolved: ${JSON.stringify(resolved)}`);
      // The notify function takes the purchase messages back and settles each re-send.
      const open = (r: Record<string, unknown>): boolean => r.outcome === 'UNCERTAIN' && ['APPROVED', 'SENDING'].includes(String((r.resend as { state?: string } | undefined)?.state));
      const until = Date.now() + 120_000;
      while ((await ledger()).some(open) && Date.now() < until) await sleep(500);
      await local.mailEvents.flush();
      await sleep(2000);
    }
    rows = await ledger();
    const seconds = (performance.now() - started) / 1000;

    const byOutcome: Record<string, number> = {};
    for (const r of rows) byOutcome[String(r.outcome)] = (byOutcome[String(r.outcome)] ?? 0) + 1;
    const mails = new Map<string, number>();
    for (const m of await mailTags()) {
      const subject = mailSubjectFromTags(Object.fromEntries(Object.entries(m.tags ?? {}).map(([k, v]) => [k, [v]])));
      if (subject?.kind === 'notice') mails.set(subject.noticeId, (mails.get(subject.noticeId) ?? 0) + 1);
    }
    const counts = rows.map((r) => mails.get(String(r.noticeId)) ?? 0);
    const uncertain = rows.filter((r) => r.outcome === 'UNCERTAIN');
    const report = {
      events: EVENTS,
      downSeconds: DOWN_MS / 1000,
      killedAfterEmails: KILL_AFTER,
      settleSeconds: SETTLE_SECONDS,
      outcomes: byOutcome,
      exactlyOneEmail: counts.filter((c) => c === 1).length,
      noEmail: counts.filter((c) => c === 0).length,
      moreThanOneEmail: counts.filter((c) => c > 1).length,
      uncertainBeforeResolve: inDoubtBefore,
      settledBySesEvent: rows.filter((r) => r.settledBy === 'SES_EVENT').length,
      resolvedByOperator: rows.filter((r) => r.settledBy === 'OPERATOR_RESEND').length,
      resolveAnswers: resolved,
      uncertain: uncertain.length,
      uncertainThatWent: uncertain.filter((r) => (mails.get(String(r.noticeId)) ?? 0) > 0).length,
      secondsToAllDecided: Number(decidedSeconds.toFixed(1)),
      secondsToAllSettled: Number(seconds.toFixed(1)),
    };
    console.log(JSON.stringify(report, null, 2));
    if (report.moreThanOneEmail > 0 || report.uncertain > 0 || report.exactlyOneEmail < EVENTS) process.exitCode = 1;
  } finally {
    await local.stop();
    clients.destroy();
    await ses.stop();
    await emulators.stop();
  }
}

/** A state file naming this run's local stack, so the operator endpoint is found as the CLI finds it. */
function stateFileOf(local: LocalStack, endpoints: EmulatorEndpoints): string {
  const file = path.join(benchTempDir('outage-state-'), 'stack.json');
  writeStackState(file, {
    version: 1,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    stackName: local.stack.stackName,
    region: LOCAL_AWS_REGION,
    endpoints,
    sesViewerUrl: endpoints.ses,
    outputs: local.outputs.values,
    resources: {},
  });
  return file;
}

await main();
