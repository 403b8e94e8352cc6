import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { localCallerOf } from '@registry-notices/local-stack';
import { localCredentials, operatorEndpoint } from '../operator/operator-endpoint';
import { stackOutputsOf, type TargetOptions } from '../stack-target';
import { buildConsoleAssets } from './console-assets';
import { startConsoleServer, type RunningConsole } from './console-server';

/**
 * Starts the operator console for the target stack (the local one, or with `aws` a deployed
 * one): the CLI's operator endpoint client, signed as the operator (their environment's keys
 * locally, the SDK's default chain on AWS), and the console's pages bundled now.
 *
 * @example
 * const running = await startConsole({ stateFile: '.local/stack.json' }, process.env);
 * console.log(running.url);
 */
export async function startConsole(target: TargetOptions, env: NodeJS.ProcessEnv, options: { readonly port?: number } = {}): Promise<RunningConsole> {
  const endpoint = operatorEndpoint(target, env);
  const [assets, identity] = await Promise.all([buildConsoleAssets(), identityOf(target, env)]);
  return startConsoleServer({ endpoint, identity, assets, ...(options.port !== undefined ? { port: options.port } : {}) });
}

/**
 * Who the endpoint will see. Locally the key names the user, as the local function URL reports
 * it. On AWS only IAM knows the ARN (asking STS would be a request the CLI does not make):
 * the key's last characters say which credentials sign.
 */
async function identityOf(target: TargetOptions, env: NodeJS.ProcessEnv): Promise<string> {
  if (stackOutputsOf(target).local) return localCallerOf(localCredentials(env).accessKeyId).userArn;
  const { accessKeyId } = await fromNodeProviderChain()();
  return `the principal of your AWS credentials (access key …${accessKeyId.slice(-4)})`;
}
