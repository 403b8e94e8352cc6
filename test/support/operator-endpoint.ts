import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { randomUUID } from 'node:crypto';
import { FunctionUrlServer, LOCAL_AWS_REGION } from '@registry-notices/local-stack';
import type { AwsClients } from './aws-clients';
import { lambdaContextFactory } from './lambda-context';
import { writeTestStackState } from './local-stack-state';

/**
 * The context of the local stacks the operator's end-to-end tests run on (one synth shared by
 * them all, test/support/bundled-stack.ts): campaigns of two wait for a second person, apologies
 * may use all of SES's rate, and alice (only she) may reveal addresses.
 */
export const OPERATOR_STACK_CONTEXT = { apologyApprovalThreshold: 1, apologyRateSharePercent: 100, operatorRevealerRoles: 'user/alice' } as const;

/** The operator handler served in-process behind a local `AWS_IAM` function URL, and a state file that names it. */
export interface InProcessOperatorEndpoint {
  readonly url: string;
  /** A `.local/stack.json` whose `OperatorEndpointUrl` is {@link url}, for the CLI's `--state`. */
  readonly stateFile: string;
  stop(): Promise<void>;
}

/**
 * Imports the operator handler from source with `env` as its environment (set before the
 * import: the handler wires itself at module load) and serves it on a free port through the
 * local stack's function URL server, which verifies SigV4 and passes the caller as Lambda does.
 * One per test file (vitest gives each file its own module state).
 */
export async function startInProcessOperatorEndpoint(clients: AwsClients, env: Readonly<Record<string, string>>): Promise<InProcessOperatorEndpoint> {
  const killSwitch = `/registry-notices/test-operator-${randomUUID().slice(0, 8)}`;
  await clients.ssm.send(new PutParameterCommand({ Name: killSwitch, Value: 'false', Type: 'String', Overwrite: true }));
  Object.assign(process.env, env, {
    KILL_SWITCH_PARAMETER: killSwitch,
    APOLOGY_RATE_SHARE_PERCENT: '100',
    AUDIT_SAFETY_MARGIN_SECONDS: '1',
    // Required by the wiring; `apology preview` invokes that function, which runs only on the local stack (console-browser.test.ts).
    APOLOGY_PREVIEW_FUNCTION_NAME: 'apology-preview-not-run-in-process',
    POWERTOOLS_SERVICE_NAME: 'registry-notices',
    POWERTOOLS_METRICS_NAMESPACE: 'RegistryNotices',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const { handler } = await import('../../lambdas/operator/handler');
  const server = new FunctionUrlServer({
    url: { logicalId: 'OperatorUrl', functionLogicalId: 'OperatorFunction', authType: 'AWS_IAM', url: 'http://127.0.0.1:0/', port: 0, urlId: 'operator' },
    invoke: async (event) => ({ payload: await handler(event as never, lambdaContextFactory('operator', 120_000)) }),
    region: LOCAL_AWS_REGION,
  });
  await server.start();
  const stateFile = writeTestStackState({ OperatorEndpointUrl: server.url });
  return { url: server.url, stateFile, stop: () => server.stop() };
}
