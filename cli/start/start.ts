// `npm start`: the whole system on this machine. See docs/local-stack.md.
import { constants } from 'node:os';
import { formatSummary } from '../demo/stack-summary';
import { scheduledFunctionRun } from '../demo/history-scenario';
import { playScenario, type ScenarioResult } from '../demo/play-scenario';
import {
  emulatorEnv,
  LOCAL_AWS_REGION,
  localClients,
  openLineLog,
  PortInUseError,
  removeStackState,
  startEmulators,
  startLocalStack,
  synthesizeUnlessUnchanged,
  writeStackState,
  type LocalStack,
  type LocalStackState,
  type RunningEmulators,
} from '@registry-notices/local-stack';
import { isForTheOperator, OperatorError } from '../operator-error';
import { startConsole } from '../console/start-console';
import type { RunningConsole } from '../console/console-server';
import { readyBanner } from './start-banner';
import { parseStartOptions, START_USAGE, type StartOptions } from './start-options';

async function main(options: StartOptions): Promise<number> {
  const startedAt = performance.now();
  const elapsed = (): string => `${((performance.now() - startedAt) / 1000).toFixed(1)} s`;
  const stop = stopOnSignals();
  const emulatorLog = openLineLog(options.logDirectory, 'emulators', { echo: options.verbose, prefix: '[emulators] ' });
  const functionLog = openLineLog(options.logDirectory, 'functions', { echo: options.verbose });
  const stackLog = openLineLog(options.logDirectory, 'stack');
  // Aborted by a stop signal, or when start-up fails: a synth still running is then stopped too.
  const startup = new AbortController();
  const abandon = AbortSignal.any([stop, startup.signal]);

  console.log(options.synth ? 'Starting the emulators and synthesizing the CDK app…' : 'Starting the emulators…');
  // Independent and each several seconds long: run them side by side. Each start is kept as a
  // promise, so that whatever is under way when a signal comes is awaited and stopped.
  const emulatorsStarting = startEmulators({ ports: options.ports, log: emulatorLog }).then((started) => {
    console.log(`  emulators ready (${elapsed()})`);
    return started;
  });
  const assemblyReady = options.synth
    ? synthesizeUnlessUnchanged({
        outdir: options.cdkOut,
        force: options.forceSynth,
        signal: abandon,
        log: (line) => stackLog(`[synth] ${line}`),
      }).then(({ outdir, unchangedSince, reason }) => {
        console.log(
          unchangedSince
            ? `  cdk synth skipped: sources unchanged since ${unchangedSince} (--force-synth runs it) (${elapsed()})`
            : `  cdk synth done: ${reason} (${elapsed()})`,
        );
        return outdir;
      })
    : Promise.resolve(options.cdkOut);
  let localStarting: Promise<LocalStack> | undefined;
  // The operator console, as the operator of this terminal (docs/console.md); not with --once.
  let operatorConsole: RunningConsole | undefined;

  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (stopping ??= (async () => {
      startup.abort();
      const settled = <T>(work: Promise<T> | undefined): Promise<T | undefined> => (work ?? Promise.resolve(undefined)).catch(() => undefined);
      await operatorConsole?.close();
      await (await settled(localStarting))?.stop();
      await (await settled(emulatorsStarting))?.stop();
      await settled(assemblyReady);
      removeStackState(options.stateFile);
      await Promise.all([emulatorLog.close(), functionLog.close(), stackLog.close()]);
    })());

  try {
    const [running, cloudAssembly] = await untilStopped(stop, Promise.all([emulatorsStarting, assemblyReady]));
    localStarting = startLocalStack({
      cloudAssembly,
      endpoints: running.endpoints,
      functionEnvironment: emulatorEnv(running.endpoints),
      region: LOCAL_AWS_REGION,
      functionUrlPort: options.functionUrlPort,
      log: stackLog,
      functionLog: (id, line) => functionLog(`[${id}] ${line}`),
    });
    const local = await untilStopped(stop, localStarting);
    const ignored = [...local.stack.resources.values()].filter((resource) => resource.ignoredBecause !== undefined);
    console.log(
      `  stack ${local.stack.stackName} provisioned from its template: ${local.stack.resources.size - ignored.length} resources run locally, ` +
        `${ignored.length} have no local meaning (see ${options.logDirectory}/stack.log) (${elapsed()})`,
    );
    const state: LocalStackState = {
      version: 1,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      stackName: local.stack.stackName,
      region: LOCAL_AWS_REGION,
      endpoints: running.endpoints,
      sesViewerUrl: running.sesViewerUrl,
      outputs: local.outputs.values,
      functionUrls: Object.fromEntries(
        local.functions.urls.map((u) => [u.logicalId, { url: u.url, authType: u.authType, functionLogicalId: u.functionLogicalId }]),
      ),
      resources: Object.fromEntries([...local.stack.resources].map(([id, r]) => [id, { type: r.type, ref: r.outputs.ref }])),
    };
    writeStackState(options.stateFile, state);
    const readySeconds = (performance.now() - startedAt) / 1000;

    let failed = false;
    if (options.demo) {
      const result = await untilStopped(stop, playDemo(running, local, state, options.logDirectory));
      failed = result.timedOut || result.checks.some((check) => !check.ok);
    }
    if (!options.once) operatorConsole = await untilStopped(stop, startConsole({ stateFile: options.stateFile }, process.env));
    for (const line of readyBanner(state, {
      readySeconds,
      logDirectory: options.logDirectory,
      stateFile: options.stateFile,
      ...(operatorConsole ? { consoleUrl: operatorConsole.url } : {}),
    })) {
      console.log(line);
    }

    if (options.once) {
      await shutdown();
      console.log(failed ? 'The demo did not go as expected (see above).' : 'Done: every expectation held.');
      return failed ? 1 : 0;
    }
    console.log('Running. Ctrl-C (or SIGTERM) stops everything.');
    await untilStopped(stop, new Promise<never>(() => {})).catch(() => undefined);
    await shutdown();
    console.log('Stopped.');
    return 0;
  } catch (error) {
    await shutdown();
    if (error instanceof StopRequested) {
      console.log('Stopped.');
      return 0;
    }
    throw error;
  }
}

/** A stop signal came while something was still under way. */
class StopRequested extends OperatorError {
  override name = 'StopRequested';
}

/**
 * The first SIGINT, SIGTERM or SIGHUP aborts the returned signal: everything started is then
 * stopped in order. Ctrl-C reaches this process twice at once (from the terminal, and relayed
 * by npm), so only a later, deliberate second signal forces the exit (the reaper then kills
 * the emulator processes).
 */
function stopOnSignals(): AbortSignal {
  const controller = new AbortController();
  let firstAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!controller.signal.aborted) {
      firstAt = Date.now();
      console.log(`\n${signal}: stopping the functions and the emulators… (Ctrl-C again to force)`);
      controller.abort(new StopRequested(`stopped by ${signal}`));
    } else if (Date.now() - firstAt > 1000) {
      process.exit(128 + (constants.signals[signal] ?? 0));
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  return controller.signal;
}

/** `work`'s result, or a {@link StopRequested} rejection as soon as `stop` aborts (`work` goes on: shutdown awaits it). */
function untilStopped<T>(stop: AbortSignal, work: Promise<T>): Promise<T> {
  const stopped = new Promise<never>((_, reject) => {
    const fail = (): void => reject(stop.reason instanceof StopRequested ? stop.reason : new StopRequested('stopped'));
    if (stop.aborted) fail();
    else stop.addEventListener('abort', fail, { once: true });
  });
  return Promise.race([work, stopped]);
}

async function playDemo(running: RunningEmulators, local: LocalStack, state: LocalStackState, logDirectory: string): Promise<ScenarioResult> {
  const clients = localClients(running.endpoints, state.region);
  try {
    console.log('\nPlaying the demo scenario (cli/demo: seed.json, purchases.json, then later-purchases.json, history.json, expectations.json)…');
    const result = await playScenario({
      documentClient: clients.documentClient,
      sqs: clients.sqs,
      kms: clients.kms,
      sesEndpoint: running.endpoints.ses,
      outputs: state.outputs,
      runAudit: scheduledFunctionRun(local.functions),
      log: (line) => console.log(`  ${line}`),
    });
    console.log(`\nSummary (from the ledger and the queues, ${result.settledSeconds.toFixed(1)} s after sending):`);
    for (const line of formatSummary(result.summary, result.emails)) console.log(line);
    console.log('\nWhat was true when (cli/demo/history.json), after one audit run:');
    for (const episode of result.episodes) {
      const plan = episode.campaign ? `${episode.campaign.rows} notice${episode.campaign.rows === 1 ? '' : 's'}, ${episode.campaign.toApologise} to apologise to (${episode.campaign.state})` : 'no plan yet';
      console.log(`  ${episode.title.padEnd(26)} incident ${episode.declaredAs}: ${plan}`);
    }
    console.log('\nExpectations:');
    for (const check of result.checks) {
      console.log(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.what}${check.found === undefined ? '' : ` — found ${check.found}`}`);
    }
    if (result.timedOut) console.log(`  FAIL not every event was decided in time (see ${logDirectory}/functions.log)`);
    return result;
  } finally {
    clients.destroy();
  }
}

let options: StartOptions;
try {
  options = parseStartOptions(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
if (options.help) {
  console.log(START_USAGE);
  process.exit(0);
}
main(options).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Ours are written for the person at the terminal (what is wrong, what to do); anything else keeps its stack.
    console.error(isForTheOperator(error) ? `\n${error.message}` : error);
    if (error instanceof PortInUseError) console.error(`With npm start: npm start -- --${error.emulator}-port <port>`);
    process.exit(1);
  },
);
