import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { LOCAL_CREDENTIALS } from '@registry-notices/local-stack';
import type { OperatorArgs, OperatorCommandName, OperatorResult } from '../../lambdas/operator/commands';
import type { OperatorErrorBody, OperatorSuccessBody } from '../../lambdas/operator/http-answers';
import { CliError } from '../errors';
import { requireOutput, stackOutputsOf, type TargetOptions } from '../stack-target';
import { regionOfFunctionUrl, signedPost, type SigningCredentials } from './signed-post';

/** The stack's operator endpoint, as the CLI talks to it. */
export interface OperatorEndpoint {
  /** For messages: "local stack (pid 123)" or "AWS, stack RegistryNotices". */
  readonly description: string;
  readonly url: string;
  /** Sends one command and returns its `result`; a refusal becomes an {@link OperatorRefusedError}. */
  call<N extends OperatorCommandName>(command: N, args: OperatorArgs<N>): Promise<OperatorResult<N>>;
}

/** The endpoint refused or failed a request; the message is the endpoint's, with every issue. */
export class OperatorRefusedError extends CliError {
  override name = 'OperatorRefusedError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The operator endpoint of the target stack: `OperatorEndpointUrl` from the local stack's state
 * file, or with `aws` from `cdk-outputs.json`. Requests are signed (SigV4, service `lambda`):
 * on AWS with the SDK's default credential chain (AWS_PROFILE, SSO, env, …); locally with
 * `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` from the environment if both are set (locally a
 * key's secret is its id: `alice`/`alice`), else the emulators' `local`/`local`.
 *
 * @example
 * const endpoint = operatorEndpoint({ stateFile: '.local/stack.json' }, process.env);
 * await endpoint.call('campaign status', { incidentId: 'inc-legacy' });
 */
export function operatorEndpoint(target: TargetOptions, env: NodeJS.ProcessEnv): OperatorEndpoint {
  const stack = stackOutputsOf(target);
  const url = requireOutput(stack, 'OperatorEndpointUrl');
  let region: string;
  let credentials: SigningCredentials;
  if (stack.local) {
    region = stack.local.region;
    credentials = localCredentials(env);
  } else {
    const fromUrl = regionOfFunctionUrl(url);
    if (!fromUrl) throw new CliError(`OperatorEndpointUrl ${url} is not a Lambda function URL (<id>.lambda-url.<region>.on.aws).`);
    region = fromUrl;
    credentials = fromNodeProviderChain();
  }
  return {
    description: stack.description,
    url,
    async call(command, args) {
      let answer;
      try {
        answer = await signedPost({ url, region, credentials }, JSON.stringify({ command, ...args }));
      } catch (error) {
        throw new CliError(`Cannot reach the operator endpoint of the ${stack.description} (${url}): ${(error as Error).message}`, { cause: error });
      }
      let body: unknown;
      try {
        body = JSON.parse(answer.body);
      } catch {
        body = undefined;
      }
      if (answer.status === 200 && body !== undefined) return (body as OperatorSuccessBody<OperatorResult<typeof command>>).result;
      throw refusal(answer.status, body, stack.description);
    },
  };
}

/**
 * What the CLI signs with on the local stack: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` from
 * the environment when both are set, else the emulators' `local`/`local`.
 *
 * @example
 * localCredentials({ AWS_ACCESS_KEY_ID: 'alice', AWS_SECRET_ACCESS_KEY: 'alice' }).accessKeyId // 'alice'
 */
export function localCredentials(env: NodeJS.ProcessEnv): { readonly accessKeyId: string; readonly secretAccessKey: string } {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : LOCAL_CREDENTIALS;
}

function refusal(status: number, body: unknown, where: string): OperatorRefusedError {
  const error = (body as Partial<OperatorErrorBody> | undefined)?.error;
  if (error) {
    const issues = (error.issues ?? []).map((i) => `\n  - ${i.field}: ${i.rule}`).join('');
    return new OperatorRefusedError(status, error.code, `${error.message}${issues}`);
  }
  // Lambda itself answered: the signature or the permission was refused before the function ran.
  if (status === 403) {
    const reason = (body as { reason?: string } | undefined)?.reason;
    return new OperatorRefusedError(
      status,
      'FORBIDDEN',
      `The operator endpoint of the ${where} refused the request (403 Forbidden${reason ? `: ${reason}` : ''}). ` +
        'Your principal needs lambda:InvokeFunctionUrl on it: attach the stack output OperatorPolicyArn (docs/operator.md).',
    );
  }
  return new OperatorRefusedError(status, 'HTTP', `The operator endpoint of the ${where} answered ${status}: ${JSON.stringify(body ?? null).slice(0, 300)}`);
}
