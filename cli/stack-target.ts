import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS } from '../local/stack/endpoints';
import { readStackState } from '../local/stack/state-file';
import { CliError } from './errors';

/** Which deployment a command talks to, and the stack outputs it needs. */
export interface StackTarget {
  /** For messages: "local stack (pid 123)" or "AWS, stack RegistryNotices". */
  readonly description: string;
  /** The stack's outputs: PurchaseQueueUrl, RegistriesTableName, ... */
  readonly outputs: Readonly<Record<string, string>>;
  readonly sqs: SQSClient;
  readonly documentClient: DynamoDBDocumentClient;
  /** The SQS endpoint for the equivalent `aws` command line, when local. */
  readonly sqsEndpoint?: string;
  readonly region?: string;
  destroy(): void;
}

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
    return withClients(`AWS, stack ${stackName}`, outputs, new SQSClient({}), new DynamoDBClient({}));
  }
  const state = readStackState(options.stateFile);
  const common = { region: state.region, credentials: LOCAL_CREDENTIALS };
  return {
    ...withClients(
      `local stack (pid ${state.pid})`,
      state.outputs,
      new SQSClient({ ...common, endpoint: state.endpoints.sqs }),
      new DynamoDBClient({ ...common, endpoint: state.endpoints.dynamodb }),
    ),
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

function withClients(description: string, outputs: Record<string, string>, sqs: SQSClient, dynamodb: DynamoDBClient): StackTarget {
  const documentClient = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  return {
    description,
    outputs,
    sqs,
    documentClient,
    destroy: () => {
      sqs.destroy();
      documentClient.destroy();
      dynamodb.destroy();
    },
  };
}
