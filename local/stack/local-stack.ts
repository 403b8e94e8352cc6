import type { EmulatorEndpoints } from '../emulators';
import { readCloudAssembly, type StackArtifact } from './assembly/read-assembly';
import { AssemblyError } from '../errors';
import { provisionFromTemplate, type ProvisionedStack } from './provision/provision-from-template';
import { resolveStackOutputs, type StackOutputs } from './provision/stack-outputs';
import { startMailEvents, type RunningMailEvents } from './mail/start-mail-events';
import { startFunctions, type RunningFunctions, type StartFunctionsOptions } from './run-functions';

/**
 * Options for {@link startLocalStack}; `log`, `functionLog`, `observer`, `faults`, `schedules`
 * and `scheduleRetryDelaysMs` go to the function runner as they are ({@link StartFunctionsOptions}).
 */
export interface LocalStackOptions extends Omit<StartFunctionsOptions, 'stack' | 'assets' | 'environment'> {
  /** A synthesized cloud assembly (`cdk synth` output directory). */
  readonly cloudAssembly: string;
  /** Running emulators (`startEmulators().endpoints`). */
  readonly endpoints: EmulatorEndpoints;
  /** Added to every function's env: `emulatorEnv(endpoints)`. */
  readonly functionEnvironment: Readonly<Record<string, string>>;
  /** Region of the emulators. */
  readonly region: string;
  /** Which stack of the assembly; required only when it holds several. */
  readonly stackName?: string;
  /** Put before every generated name (tests sharing one set of emulators). */
  readonly namePrefix?: string;
  /** Port of the first function URL, the next ones after it; 0 = any free port. @default 0 */
  readonly functionUrlPort?: number;
}

/** The synthesized stack, provisioned and running. */
export interface LocalStack {
  readonly artifact: StackArtifact;
  readonly stack: ProvisionedStack;
  /** The template's Outputs (PurchaseQueueUrl, LedgerTableName, ...). */
  readonly outputs: StackOutputs;
  readonly functions: RunningFunctions;
  /** SES events published for the mail the stack sends through its configuration sets. */
  readonly mailEvents: RunningMailEvents;
  /** Stops the functions and the SES events (the emulators are the caller's). */
  stop(): Promise<void>;
}

/**
 * Runs one stack of a cloud assembly on the emulators: provisions it from its template,
 * starts its functions from their bundles with Lambda's event-source semantics, and
 * publishes SES events for mail sent through configuration sets with an SNS destination.
 * This is what `npm start` runs and what the integration tests drive.
 *
 * @example
 * const local = await startLocalStack({ cloudAssembly: '.local/cdk.out', endpoints, functionEnvironment: emulatorEnv(endpoints), region });
 * local.outputs.values.PurchaseQueueUrl
 * await local.stop();
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { cloudAssembly, endpoints, functionEnvironment, region, stackName, namePrefix, functionUrlPort, ...runner } = options;
  const artifact = pickStack(readCloudAssembly(cloudAssembly).stacks, stackName);
  const stack = await provisionFromTemplate(artifact.template, {
    endpoints,
    stackName: artifact.stackName,
    region,
    namePrefix,
    functionUrlPort,
    log: options.log,
  });
  const functions = await startFunctions({ ...runner, stack, assets: artifact.assetsByObjectKey, environment: functionEnvironment });
  const mailEvents = startMailEvents(stack, options.log);
  const stop = async (): Promise<void> => {
    await mailEvents.stop();
    await functions.stop();
  };
  return { artifact, stack, outputs: resolveStackOutputs(stack), functions, mailEvents, stop };
}

function pickStack(stacks: readonly StackArtifact[], name: string | undefined): StackArtifact {
  if (name !== undefined) {
    const found = stacks.find((stack) => stack.stackName === name || stack.artifactId === name);
    if (!found) throw new AssemblyError(`No stack ${name} in the cloud assembly (it has ${stacks.map((s) => s.stackName).join(', ')}).`);
    return found;
  }
  const [only, ...others] = stacks;
  if (only === undefined || others.length > 0) {
    throw new AssemblyError(`The cloud assembly has ${stacks.length} stacks (${stacks.map((s) => s.stackName).join(', ')}); say which one to run.`);
  }
  return only;
}
