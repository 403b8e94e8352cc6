import { createHash } from 'node:crypto';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { functionUrlEventFactory } from '../helpers/factories';
import { createAuditWorld, type AuditWorld } from '../integration/audit/audit-world';
import { createAwsClients, type AwsClients } from './aws-clients';
import { lambdaContextFactory } from './lambda-context';
import type { handler as operatorHandler } from '../../lambdas/operator/handler';

type Handler = typeof operatorHandler;

/** An answer's JSON body, read loosely: each test checks what it asserts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OperatorBody = { readonly error: { code: string; message: string; issues: { field: string; rule: string }[] }; readonly result: Record<string, any> };

/** Who calls: an IAM user's access key (a person), a role session whose name the caller chose, or nobody (no IAM caller). */
export type OperatorCaller = string | { readonly role: string; readonly session: string } | null;

/** The operator function in-process, as its function URL invokes it, over a fresh audit world. */
export interface OperatorHarness {
  readonly clients: AwsClients;
  /** Its tables and adapters; reg-ann is owned by cus-ann (ann). */
  readonly world: AuditWorld;
  /** Calls the handler as `caller`'s signed request would reach it: the answer's status and JSON body. */
  call(body: object | string, caller?: OperatorCaller): Promise<{ status: number; body: OperatorBody }>;
  /** Restores the environment and closes the clients. */
  stop(): void;
}

const ACCOUNT = '000000000000';

/** The authorizer's view of a role session: `AROA<role id>:<session>`, as IAM reports it. */
function roleSession(role: string, session: string) {
  const roleId = `AROA${createHash('sha256').update(role).digest('hex').slice(0, 17).toUpperCase()}`;
  return {
    accessKey: 'ASIAEXAMPLE',
    accountId: ACCOUNT,
    callerId: `${roleId}:${session}`,
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    userId: `${roleId}:${session}`,
  };
}

/**
 * Starts the operator function from source over a fresh audit world (DynamoDB Local, the SES
 * emulator), with its own kill switch, the world's environment and `env` over it (set before
 * the import: the handler wires itself at module load). One per test file: vitest gives each
 * file its own module state.
 *
 * @example
 * const operator = await startOperatorHarness({ APOLOGY_APPROVAL_THRESHOLD: '1' });
 * await operator.call({ command: 'incident list' }, 'alice');
 */
export async function startOperatorHarness(env: Readonly<Record<string, string>>): Promise<OperatorHarness> {
  const saved = { ...process.env };
  const clients = createAwsClients();
  const world = await createAuditWorld(clients);
  await world.putRegistry('reg-ann', 'cus-ann');
  await world.putCustomer('cus-ann', 'ann');
  const killSwitch = `/registry-notices/test-${world.domain}`;
  await clients.ssm.send(new PutParameterCommand({ Name: killSwitch, Value: 'false', Type: 'String', Overwrite: true }));
  Object.assign(process.env, world.env, {
    KILL_SWITCH_PARAMETER: killSwitch,
    APOLOGY_RATE_SHARE_PERCENT: '100',
    AUDIT_SAFETY_MARGIN_SECONDS: '2',
    // Required by the wiring; `apology preview` invokes that function, which runs only on the local stack (console-browser.test.ts).
    APOLOGY_PREVIEW_FUNCTION_NAME: 'apology-preview-not-run-in-process',
    POWERTOOLS_SERVICE_NAME: 'registry-notices',
    POWERTOOLS_METRICS_NAMESPACE: 'RegistryNotices',
    ...env,
  });
  const { handler } = await import('../../lambdas/operator/handler');
  return {
    clients,
    world,
    async call(body, caller = 'alice') {
      // What Lambda passes; the validation middleware turns it into the handler's OperatorEvent.
      const event = functionUrlEventFactory(body, typeof caller === 'string' ? caller : caller === null ? undefined : 'unused') as unknown as Parameters<Handler>[0];
      if (caller !== null && typeof caller !== 'string') {
        (event.requestContext as unknown as { authorizer: { iam: unknown } }).authorizer.iam = roleSession(caller.role, caller.session);
      }
      const answer = (await handler(event, lambdaContextFactory('operator', 60_000))) as APIGatewayProxyStructuredResultV2;
      return { status: answer.statusCode ?? 0, body: JSON.parse(answer.body ?? 'null') as OperatorBody };
    },
    stop() {
      process.env = saved;
      clients.destroy();
    },
  };
}
