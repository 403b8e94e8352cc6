import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { useStackAddressHashKey } from './address-hash-key';
import { createAwsClients, type AwsClients } from './aws-clients';
import { captureOutput } from './captured-output';
import { lambdaContextFactory } from './lambda-context';
import { provisionNotifyStack, type ProvisionedNotifyStack } from './notify-stack';
import { seedWorld, type World } from './seed-world';

type Handler = (event: SQSEvent, context: ReturnType<typeof lambdaContextFactory>) => Promise<SQSBatchResponse>;

/** The notify handler loaded in-process over its own provisioned copy of the stack. */
export interface NotifyHandlerHarness {
  readonly provisioned: ProvisionedNotifyStack;
  readonly aws: AwsClients;
  /** What the handler wrote to stdout/stderr (its logs and metrics). */
  readonly output: () => string;
  /** Calls the handler with one batch. */
  invoke(...records: SQSRecord[]): Promise<SQSBatchResponse>;
  /** The ledger row of one of our events. */
  ledgerRow(eventId: string): Promise<Record<string, unknown> | undefined>;
  /** Restores the environment and stdout, closes the clients. */
  close(): void;
}

/**
 * Provisions the synthesized stack under `namePrefix`, seeds `world`, and imports the
 * handler with the template's environment (plus `env`), exactly as Lambda would load it.
 * Import once per test file: the handler reads its settings at import.
 */
export async function startNotifyHandler(namePrefix: string, world: World, env: Record<string, string> = {}): Promise<NotifyHandlerHarness> {
  const savedEnv = { ...process.env };
  const output = captureOutput();
  const provisioned = await provisionNotifyStack(namePrefix);
  const aws = createAwsClients();
  // The handler derives its stack's key at import; the world is seeded under the same one.
  await useStackAddressHashKey(provisioned.notifyEnvironment.ADDRESS_HASH_KEY_ARN!);
  await seedWorld(aws.documentClient, provisioned.names, world);
  Object.assign(process.env, provisioned.notifyEnvironment, env);
  const { handler } = (await import('../../lambdas/notices/notify/handler')) as unknown as { handler: Handler };
  return {
    provisioned,
    aws,
    output: output.text,
    invoke: (...records) => handler({ Records: records }, lambdaContextFactory()),
    async ledgerRow(eventId) {
      const { Item } = await aws.documentClient.send(new GetCommand({ TableName: provisioned.names.ledgerTable, Key: { noticeId: `evt#${eventId}` } }));
      return Item;
    },
    close() {
      output.restore();
      process.env = savedEnv;
      aws.destroy();
    },
  };
}
