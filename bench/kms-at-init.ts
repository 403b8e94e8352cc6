import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { LOCAL_AWS_REGION, localClients, startEmulators } from '@registry-notices/local-stack';

/** A KMS a function can reach at init: the local emulator and an HMAC key in it. */
export interface InitKms {
  /** The variables a function that derives its address-hash key at init starts with. */
  readonly environment: { readonly ADDRESS_HASH_KEY_ARN: string; readonly AWS_ENDPOINT_URL_KMS: string };
  stop(): Promise<void>;
}

/**
 * Starts the local KMS emulator and creates an HMAC_256 key (as the stack's address-hash key),
 * so a function that calls GenerateMac at init starts cold without AWS. The package starts
 * its emulators only all together; the others (DynamoDB Local's JVM, the SES emulator) sit
 * idle until `stop()`.
 *
 * @example
 * const kms = await startInitKms(); // kms.environment.AWS_ENDPOINT_URL_KMS === 'http://127.0.0.1:41234'
 */
export async function startInitKms(): Promise<InitKms> {
  const emulators = await startEmulators({ ports: { sqs: 0, ses: 0, dynamodb: 0, ssm: 0, kms: 0 } });
  const clients = localClients(emulators.endpoints, LOCAL_AWS_REGION);
  try {
    const { KeyMetadata } = await clients.kms.send(
      new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Description: 'bench: address-hash key' }),
    );
    if (!KeyMetadata?.Arn) throw new Error('the KMS emulator created a key without an ARN');
    return { environment: { ADDRESS_HASH_KEY_ARN: KeyMetadata.Arn, AWS_ENDPOINT_URL_KMS: emulators.endpoints.kms }, stop: () => emulators.stop() };
  } catch (error) {
    await emulators.stop();
    throw error;
  } finally {
    clients.destroy();
  }
}
