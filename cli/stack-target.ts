import { readFileSync } from 'node:fs';
import { awsClients, localClients, type SdkClients } from '../local/stack/aws-clients';
import { DEFAULT_STATE_FILE, readStackState } from '../local/stack/state-file';
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
 * options: the CLI entry and the audit commands parse the same line with them.
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

/**
 * The local stack `npm start` runs (read from its state file), or with `aws` a deployed
 * stack, whose outputs come from the file `cdk deploy --outputs-file` writes and whose
 * clients use the SDK's usual credential and region chain (AWS_PROFILE, AWS_REGION).
 *
 * @example
 * const target = resolveTarget({ stateFile: '.local/stack.json' });
 * target.outputs.PurchaseQueueUrl
 */
export function resolveTarget(options: TargetOptions): StackTarget {
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
    return { ...awsClients(), description: `AWS, stack ${stackName}`, outputs };
  }
  const state = readStackState(options.stateFile);
  return {
    ...localClients(state.endpoints, state.region),
    description: `local stack (pid ${state.pid})`,
    outputs: state.outputs,
    sqsEndpoint: state.endpoints.sqs,
    region: state.region,
  };
}

/**
 * An output the command needs; fails naming it when the stack does not have it.
 *
 * @example
 * requireOutput(target, 'PurchaseQueueUrl')
 */
export function requireOutput(target: StackTarget, key: string): string {
  const value = target.outputs[key];
  if (!value) throw new CliError(`The ${target.description} has no output ${key}.`);
  return value;
}
