import { inject } from 'vitest';
import { type CfnTemplate, type ProvisionedStack, provisionFromTemplate } from '@registry-notices/local-stack';
import { synthesize } from '../infra/helpers';

/** The synthesized stack, provisioned in this run's emulators, and what the notify function would be given. */
export interface ProvisionedNotifyStack {
  readonly stack: ProvisionedStack;
  /** The notify function's environment exactly as the template sets it, resolved. */
  readonly notifyEnvironment: Readonly<Record<string, string>>;
  /** Physical names of the resources tests look at. */
  readonly names: {
    readonly registriesTable: string;
    readonly customersTable: string;
    readonly suppressionsTable: string;
    readonly unsubscribesTable: string;
    readonly ledgerTable: string;
    readonly purchaseQueueUrl: string;
    readonly quarantineQueueUrl: string;
    readonly killSwitchParameter: string;
  };
}

/**
 * Synthesizes the CDK app in-process (no bundling: these tests import the handler's
 * source) and creates its tables, queues and parameters in the emulators under a
 * unique prefix, so each test file has its own copy.
 */
export async function provisionNotifyStack(namePrefix: string): Promise<ProvisionedNotifyStack> {
  const template = synthesize().template.toJSON() as CfnTemplate;
  const stack = await provisionFromTemplate(template, {
    endpoints: inject('emulatorEndpoints'),
    stackName: 'RegistryNotices',
    namePrefix,
  });
  const notify = [...stack.resources.values()].find(
    (r) => r.type === 'AWS::Lambda::Function' && r.logicalId.includes('NotifyFunction'),
  );
  if (!notify) throw new Error('the template has no notify function');
  const variables = (notify.properties.Environment as { Variables: Record<string, string> }).Variables;
  return {
    stack,
    notifyEnvironment: variables,
    names: {
      registriesTable: variables.REGISTRIES_TABLE!,
      customersTable: variables.CUSTOMERS_TABLE!,
      suppressionsTable: variables.SUPPRESSIONS_TABLE!,
      unsubscribesTable: variables.UNSUBSCRIBES_TABLE!,
      ledgerTable: variables.LEDGER_TABLE!,
      purchaseQueueUrl: variables.PURCHASE_QUEUE_URL!,
      quarantineQueueUrl: variables.QUARANTINE_QUEUE_URL!,
      killSwitchParameter: variables.KILL_SWITCH_PARAMETER!,
    },
  };
}
