import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { type CfnTemplate, type ProvisionedStack, provisionFromTemplate } from '@registry-notices/local-stack';
import { useStackAddressHashKey } from './address-hash-key';
import { oncePerRun } from './once-per-run';

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
 * Creates the tables, queues and parameters of the synthesized stack ({@link stackTemplate}) in
 * the emulators under a unique prefix, so each test file has its own copy.
 */
export async function provisionNotifyStack(namePrefix: string): Promise<ProvisionedNotifyStack> {
  const template = await stackTemplate();
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
  // This process hashes as the copy's functions would: what a test seeds, a handler it imports finds.
  await useStackAddressHashKey(variables.ADDRESS_HASH_KEY_ARN!);
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

/**
 * The template of the CDK app as cdk.json configures it, synthesized in-process without bundling
 * (these tests import the handlers' source), once per test run and shared by the files that
 * provision it: each file otherwise paid for a synth and its CloudFormation validation engine,
 * about 5 CPU-seconds. aws-cdk-lib is imported only by the file that synthesizes (about 1
 * CPU-second a file the others spare; a second or two of its hook's 60).
 */
export async function stackTemplate(): Promise<CfnTemplate> {
  const dir = await oncePerRun('template-default', async (outdir) => {
    const { synthesize } = await import('../infra/helpers');
    mkdirSync(outdir, { recursive: true });
    writeFileSync(path.join(outdir, 'template.json'), JSON.stringify(synthesize().template.toJSON()));
  });
  return JSON.parse(readFileSync(path.join(dir, 'template.json'), 'utf8')) as CfnTemplate;
}
