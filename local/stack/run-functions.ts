import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localClients } from './aws-clients';
import { functionCredentials, gatedEnvironment, upstreamsOf } from './iam/function-credentials';
import { PolicyGate, type AccessRefusal, type GateCall } from './iam/policy-gate';
import { stackResourceNames } from './iam/resource-names';
import { functionIdentities, keyPolicies, type FunctionIdentity } from './iam/role-policies';
import type { FileAsset } from './assembly/read-assembly';
import { sqsMapping, type SqsMapping } from './lambda/event-source-mapping';
import type { InvocationResult } from './lambda/execution-environment';
import { functionDefinition, type LocalFunctionDefinition } from './lambda/function-definition';
import { FunctionPool, type FunctionUsage } from './lambda/function-pool';
import { functionUrlDefinition, type LocalFunctionUrl } from './lambda/function-url-definition';
import { FunctionUrlServer } from './lambda/function-url-server';
import { LambdaInvokeServer } from './lambda/invoke-server';
import { lambdaEnvironment } from './lambda/lambda-runtime-env';
import { SqsEventSource, type BatchReport, type EventSourceFaults } from './lambda/sqs-event-source';
import { bucketNotifications } from './provision/bucket-notifications';
import type { ProvisionedStack } from './provision/provision-from-template';
import { BucketNotifier } from './s3/bucket-notifier';
import { LocalScheduler } from './schedule/local-scheduler';
import { scheduleDefinition, type ScheduleDefinition } from './schedule/schedule-definition';
import { LocalRole } from './template/resource-types';

/** Options for {@link startFunctions}. */
export interface StartFunctionsOptions {
  /** The provisioned template. */
  readonly stack: ProvisionedStack;
  /** The cloud assembly's file assets (bundles) by S3 object key. */
  readonly assets: ReadonlyMap<string, FileAsset>;
  /**
   * Added to every function's environment last, e.g. `emulatorEnv(endpoints)`:
   * `AWS_ENDPOINT_URL_*`, region and dummy credentials.
   */
  readonly environment: Readonly<Record<string, string>>;
  /** Runner messages (event sources, schedules). */
  readonly log?: (line: string) => void;
  /** Each line a function logs, with the function's logical id. */
  readonly functionLog?: (functionLogicalId: string, line: string) => void;
  /** Told about each SQS batch processed. */
  readonly observer?: (report: BatchReport) => void;
  readonly faults?: EventSourceFaults;
  /** Arm the template's schedules. @default true */
  readonly schedules?: boolean;
  /** How often buckets with event notifications are listed for new objects. @default 500 */
  readonly bucketPollMs?: number;
  /** Lambda's async retry delays for schedule targets. @default [60_000, 120_000] */
  readonly scheduleRetryDelaysMs?: readonly number[];
  /** Node flags for every execution environment, e.g. `--cpu-prof` (benchmarks). @default [] */
  readonly runtimeExecArgv?: readonly string[];
  /**
   * Each function calls the emulators with its own credentials through the local IAM gate,
   * which refuses (as AWS does) what its role's policies in the template do not allow
   * (`iam/policy-gate.ts`), so a missing or cut grant fails here, not after `cdk deploy`.
   * Off (`false`): every call goes straight to the emulators, allowed (a fixture without roles).
   * @default true
   */
  readonly enforcePolicies?: boolean;
}

/** The stack's functions running locally. */
export interface RunningFunctions {
  /** Each function's definition, by logical id. */
  readonly definitions: ReadonlyMap<string, LocalFunctionDefinition>;
  readonly mappings: readonly SqsMapping[];
  readonly schedules: readonly ScheduleDefinition[];
  /** The function URLs served, each on its local port. */
  readonly urls: readonly LocalFunctionUrl[];
  /** Invokes a function synchronously (as `aws lambda invoke` would). */
  invoke(functionLogicalId: string, event: unknown): Promise<InvocationResult>;
  /** Runs a schedule's target now. */
  fireSchedule(scheduleLogicalId: string): Promise<void>;
  /**
   * Kills the function's execution environments that are running an invocation, as a host
   * failure would (fault tests); returns how many. Their batches return to the queue.
   */
  crashRunning(functionLogicalId: string): number;
  /**
   * The calls the functions made through the local IAM gate since the start or the last
   * `resetCalls()`, by function, operation and answer (empty when `enforcePolicies` is off):
   * counted where every call already passes, so counting costs no extra hop.
   */
  calls(): readonly GateCall[];
  resetCalls(): void;
  /** What each function's environments used so far (started, largest V8 heap, working time), by logical id. */
  usage(): ReadonlyMap<string, FunctionUsage>;
  /** The calls the local IAM gate refused so far (empty when `enforcePolicies` is off). */
  accessRefusals(): readonly AccessRefusal[];
  /** The local IAM gate's URL, every function's AWS endpoint (undefined when `enforcePolicies` is off). */
  readonly gateUrl: string | undefined;
  /**
   * The local Lambda endpoint (`Invoke`, `lambda/invoke-server.ts`): what the functions'
   * `AWS_ENDPOINT_URL_LAMBDA` names (through the gate, when `enforcePolicies` is on). Anyone on
   * this machine may call it directly, unchecked, like the emulators.
   */
  readonly lambdaUrl: string;
  /** Stops pollers and schedules, waits for running invocations, ends every environment. */
  stop(): Promise<void>;
}

/**
 * Runs a provisioned stack's functions from their cdk.out bundles: one pool of
 * execution environments per `AWS::Lambda::Function`, an SQS poller set per
 * `AWS::Lambda::EventSourceMapping`, a timer per `AWS::Scheduler::Schedule`, an HTTP
 * server per `AWS::Lambda::Url`, and one for Lambda's `Invoke` API, which the functions reach
 * as `AWS_ENDPOINT_URL_LAMBDA`. Resolves once the servers listen.
 *
 * @example
 * const running = await startFunctions({ stack, assets: assembly.stacks[0].assetsByObjectKey, environment: emulatorEnv(endpoints) });
 * // ... send messages to the queue ...
 * await running.stop();
 */
export async function startFunctions(options: StartFunctionsOptions): Promise<RunningFunctions> {
  const { stack } = options;
  const log = options.log ?? (() => undefined);
  const resources = [...stack.resources.values()];

  const definitions = new Map<string, LocalFunctionDefinition>();
  for (const resource of resources.filter((r) => r.role === LocalRole.FUNCTION)) {
    definitions.set(resource.logicalId, functionDefinition(resource, options.assets));
  }
  const mappings = resources
    .filter((r) => r.role === LocalRole.EVENT_SOURCE_MAPPING)
    .map((resource) => sqsMapping(resource, stack, definitions));
  const schedules = resources
    .filter((r) => r.role === LocalRole.SCHEDULE)
    .map((resource) => scheduleDefinition(resource, stack, definitions, new Date()));
  const urls = resources.filter((r) => r.role === LocalRole.FUNCTION_URL).map((resource) => functionUrlDefinition(resource, definitions));

  const pools = new Map<string, FunctionPool>();
  const poolOf = (logicalId: string): FunctionPool => {
    const pool = pools.get(logicalId);
    if (pool === undefined) throw new RangeError(`No function ${logicalId} in this stack`);
    return pool;
  };
  // Lambda's Invoke API for the functions' own calls (one function invoking another), started first: its URL is in their environment.
  const lambdaServer = new LambdaInvokeServer({
    functions: [...definitions.values()],
    region: stack.pseudo.region,
    accountId: stack.pseudo.accountId,
    invoke: (logicalId, event, awsRequestId) => poolOf(logicalId).invoke(event, awsRequestId),
    log,
  });
  await lambdaServer.start();
  const functionEnvironment = { ...options.environment, AWS_ENDPOINT_URL_LAMBDA: lambdaServer.url };
  let gate;
  try {
    gate = options.enforcePolicies === false ? undefined : await startGate(stack, definitions, functionEnvironment, log);
  } catch (error) {
    await lambdaServer.stop();
    throw error;
  }
  const environmentOf = (definition: LocalFunctionDefinition): Record<string, string> => {
    const environment = lambdaEnvironment(definition, stack.pseudo.region, functionEnvironment);
    return gate ? gatedEnvironment(environment, gate.gate.url, functionCredentials(definition.logicalId)) : environment;
  };
  // Lambda polls a function's queue with the function's role: through the gate, its pollers too.
  const pollerClients = new Map<string, SQSClient>();
  const pollerClient = (functionLogicalId: string): SQSClient => {
    if (!gate) return clients.sqs;
    let client = pollerClients.get(functionLogicalId);
    if (!client) {
      client = new SQSClient({ endpoint: gate.gate.url, region: stack.pseudo.region, credentials: functionCredentials(functionLogicalId), maxAttempts: 3 });
      pollerClients.set(functionLogicalId, client);
    }
    return client;
  };

  for (const definition of definitions.values()) {
    pools.set(
      definition.logicalId,
      new FunctionPool({
        definition,
        environment: environmentOf(definition),
        log: (line) => options.functionLog?.(definition.logicalId, line),
        execArgv: options.runtimeExecArgv,
      }),
    );
  }
  const clients = localClients(stack.endpoints, stack.pseudo.region);
  const sources = mappings
    .filter((mapping) => {
      if (!mapping.enabled) log(`event source ${mapping.settings.logicalId} is disabled (Enabled: false)`);
      return mapping.enabled;
    })
    .map(
      (mapping) =>
        new SqsEventSource({
          settings: mapping.settings,
          pool: poolOf(mapping.functionLogicalId),
          client: pollerClient(mapping.functionLogicalId),
          region: stack.pseudo.region,
          log,
          observer: options.observer,
          faults: options.faults,
        }),
    );
  const queueUrls = new Map(
    resources.filter((r) => r.role === LocalRole.QUEUE).map((r) => [String(r.outputs.attributes.Arn), r.outputs.ref] as const),
  );
  const notifiers = resources
    .filter((r) => r.role === LocalRole.BUCKET_NOTIFICATIONS)
    .map(
      (resource) =>
        new BucketNotifier({
          definition: bucketNotifications({ logicalId: resource.logicalId, stackName: stack.stackName, properties: resource.properties }).definition,
          queueUrls,
          s3: clients.s3,
          sqs: clients.sqs,
          region: stack.pseudo.region,
          intervalMs: options.bucketPollMs,
          log,
        }),
    );
  const scheduler = new LocalScheduler({
    schedules,
    log,
    retryDelaysMs: options.scheduleRetryDelaysMs,
    actions: {
      invokeFunction: async (logicalId, payload) => {
        await poolOf(logicalId).invoke(payload);
      },
      sendToQueue: async (queueUrl, body) => {
        await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      },
    },
  });

  const urlServers = urls.map(
    (url) =>
      new FunctionUrlServer({ url, invoke: (event) => poolOf(url.functionLogicalId).invoke(event), region: stack.pseudo.region, log }),
  );
  try {
    await Promise.all(urlServers.map((server) => server.start()));
  } catch (error) {
    await Promise.all([...urlServers.map((server) => server.stop()), ...[...pools.values()].map((pool) => pool.stop())]);
    for (const client of pollerClients.values()) client.destroy();
    await gate?.gate.stop();
    await lambdaServer.stop();
    clients.destroy();
    throw error;
  }

  for (const source of sources) source.start();
  for (const notifier of notifiers) notifier.start();
  if (options.schedules !== false) scheduler.start();
  for (const mapping of mappings) {
    const s = mapping.settings;
    log(
      `${mapping.functionLogicalId} ← ${s.logicalId}: batch ${s.batchSize}, window ${s.maximumBatchingWindowSeconds} s, ` +
        `concurrency ${s.maximumConcurrency}${s.reportBatchItemFailures ? ', partial batch responses' : ''}`,
    );
  }
  for (const schedule of schedules) log(`${schedule.logicalId}: ${schedule.expression.text}${schedule.enabled ? '' : ' (disabled)'}`);
  for (const url of urls) log(`${url.functionLogicalId} ← ${url.logicalId}: ${url.url} (auth ${url.authType})`);
  log(`Lambda Invoke API: ${lambdaServer.url} (the functions' AWS_ENDPOINT_URL_LAMBDA${gate ? ', through the IAM gate' : ''})`);

  return {
    definitions,
    mappings,
    schedules,
    urls,
    invoke: (logicalId, event) => poolOf(logicalId).invoke(event),
    fireSchedule: (logicalId) => scheduler.fire(logicalId),
    crashRunning: (logicalId) => poolOf(logicalId).crashBusy(),
    calls: () => gate?.gate.calls() ?? [],
    resetCalls: () => gate?.gate.resetCalls(),
    usage: () => new Map([...pools].map(([logicalId, pool]) => [logicalId, pool.usage()] as const)),
    accessRefusals: () => gate?.gate.refusals ?? [],
    gateUrl: gate?.gate.url,
    lambdaUrl: lambdaServer.url,
    stop: async () => {
      await scheduler.stop();
      await Promise.all(urlServers.map((server) => server.stop()));
      await Promise.all(sources.map((source) => source.stop()));
      // A notifier left polling keeps the process alive after everything else stopped.
      await Promise.all(notifiers.map((notifier) => notifier.stop()));
      await Promise.all([...pools.values()].map((pool) => pool.stop()));
      for (const client of pollerClients.values()) client.destroy();
      await gate?.gate.stop();
      await lambdaServer.stop();
      clients.destroy();
    },
  };
}

/** The local IAM gate in front of the emulators named in `environment`, knowing each function by its credentials. */
async function startGate(
  stack: ProvisionedStack,
  definitions: ReadonlyMap<string, LocalFunctionDefinition>,
  environment: Readonly<Record<string, string>>,
  log: (line: string) => void,
): Promise<{ gate: PolicyGate; identities: ReadonlyMap<string, FunctionIdentity> }> {
  const names = new Map([...definitions.values()].map((d) => [d.logicalId, d.name] as const));
  const identities = functionIdentities(stack, [...definitions.keys()], names);
  for (const identity of identities.values()) {
    for (const note of identity.notes) log(`IAM: ${identity.functionLogicalId}: ${note}`);
  }
  const byKey = new Map([...identities.values()].map((identity) => [functionCredentials(identity.functionLogicalId).accessKeyId, identity] as const));
  const gate = new PolicyGate({ upstreams: upstreamsOf(environment), identities: byKey, keyPolicies: keyPolicies(stack), names: stackResourceNames(stack), log });
  await gate.start();
  log(`IAM: each function calls the emulators as its role through ${gate.url}; what the template's policies do not allow is refused`);
  return { gate, identities };
}
