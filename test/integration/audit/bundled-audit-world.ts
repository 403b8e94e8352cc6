import type { LocalStack } from '@registry-notices/local-stack';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { startBundledStack } from '../../support/bundled-stack';
import { createAuditWorld, tablesFromOutputs, type AuditWorld } from './audit-world';

/** The bundled app on the local engine, with an audit world over its own tables. */
export interface BundledAuditWorld {
  readonly local: LocalStack;
  readonly clients: AwsClients;
  readonly world: AuditWorld;
  /** Stops the stack and the clients. */
  stop(): Promise<void>;
}

/** {@link startBundledStack}, then the test clients and an audit world over the stack's tables. */
export async function startBundledAuditWorld(options: Parameters<typeof startBundledStack>[0]): Promise<BundledAuditWorld> {
  const { local } = await startBundledStack(options);
  const clients = createAwsClients();
  const world = await createAuditWorld(clients, {}, tablesFromOutputs(local.outputs.values), local.outputs.values.AddressHashKeyArn);
  return {
    local,
    clients,
    world,
    async stop() {
      await local.stop();
      clients.destroy();
    },
  };
}
