import { readFileSync } from 'node:fs';
import { awsClients, DEFAULT_STATE_FILE, localClients, type LocalStackState, readStackState, type SdkClients } from '@registry-notices/local-stack';
import { CliError } from './errors';

/**
 * Which deployment a command talks to, the stack outputs it needs, and SDK clients for its
 * services (`destroy()` closes them).
 */
export interface StackTarget extends SdkClients {
  /** For messages: "local stack (pid 123)" or "AWS, stack RegistryNotices". */
  readonly description: string;
  /** The stack's outputs: PurchaseQueueUrl, RegistriesTableName, ... */
  readonly outputs: Readonly<Record<string, string>>;
  /** The SQS endpoint for the equivalent `aws` command line, when local. */
  readonly sqsEndpoint?: string;
  readonly region?: string;
}

/**
 * The command-line flags that pick the target (see {@link TargetOptions}), as `parseArgs`
 * options: every command that takes a target parses them (cli/framework/run-cli.ts).
 */
export const TARGET_OPTIONS = {
  state: { type: 'string', default: DEFAULT_STATE_FILE },
  aws: { type: 'boolean', default: false },
  'outputs-file': { type: 'string' },
  stack: { type: 'string' },
} as const;

/** Where to find the stack. */
export interface TargetOptions {
  /** Talk to AWS (usual profile/region chain) instead of the local stack. */
  readonly aws?: boolean;
  /** `cdk deploy --outputs-file` output, for `aws`. @default 'cdk-outputs.json' */
  readonly outputsFile?: string;
  /** Stack name in that file. @default 'RegistryNotices' */
  readonly stackName?: string;
  /** The local stack's state file. @default '.local/stack.json' */
  readonly stateFile: string;
}

/** A stack's outputs and where they came from, without any client. */
export interface StackOutputsOf {
  readonly description: string;
  readonly outputs: Readonly<Record<string, string>>;
  /** The running local stack's record; absent with `aws`. */
  readonly local?: LocalStackState;
}

/**
 * The outputs of the local stack `npm start` runs (from its state file), or with `aws` of a
 * deployed stack (from the file `cdk deploy --outputs-file` writes).
 *
 * @example
 * stackOutputsOf({ stateFile: '.local/stack.json' }).outputs.OperatorEndpointUrl
 */
export function stackOutputsOf(options: TargetOptions): StackOutputsOf {
  if (options.aws) {
    const file = options.outputsFile ?? 'cdk-outputs.json';
    const stackName = options.stackName ?? 'RegistryNotices';
    let outputs: Record<string, string> | undefined;
    try {
      outputs = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>)[stackName];
    } catch (error) {
      throw new CliError(`Cannot read ${file}: deploy with \`npx cdk deploy --outputs-file ${file}\` first.`, { cause: error });
    }
    if (outputs === undefined) throw new CliError(`${file} has no outputs of stack ${stackName}.`);
    return { description: `AWS, stack ${stackName}`, outputs };
  }
  const state = readStackState(options.stateFile);
  return { description: `local stack (pid ${state.pid})`, outputs: state.outputs, local: state };
}

/**
 * The local stack `npm start` runs, or with `aws` a deployed stack (see {@link stackOutputsOf}),
 * with SDK clients for its services: the emulators', or the SDK's usual credential and
 * region chain (AWS_PROFILE, AWS_REGION). For the producer and dev tools that write directly
 * (`seed`, `send`); operator commands go through the operator endpoint instead.
 *
 * @example
 * const target = resolveTarget({ stateFile: '.local/stack.json' });
 * target.outputs.PurchaseQueueUrl
 */
export function resolveTarget(options: TargetOptions): StackTarget {
  const { description, outputs, local } = stackOutputsOf(options);
  if (!local) return { ...awsClients(), description, outputs };
  return {
    ...localClients(local.endpoints, local.region),
    description,
    outputs,
    sqsEndpoint: local.endpoints.sqs,
    region: local.region,
  };
}

/**
 * An output the command needs; fails naming it when the stack does not have it.
 *
 * @example
 * requireOutput(target, 'PurchaseQueueUrl')
 */
export function requireOutput(target: Pick<StackTarget, 'description' | 'outputs'>, key: string): string {
  const value = target.outputs[key];
  if (!value) throw new CliError(`The ${target.description} has no output ${key}.`);
  return value;
}
