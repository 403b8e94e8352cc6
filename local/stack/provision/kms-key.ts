import { CreateKeyCommand, DisableKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { ProvisioningError, UnsupportedPropertyError } from '../../errors';
import type { CreatedResource, ResourceToCreate } from '../template/types';
import { checkProperties } from './property-check';

const TYPE = 'AWS::KMS::Key';
const NO_IAM = 'no IAM locally: every local caller may use the key';

/** What creating a key needs. */
export interface CreateKeyInput extends ResourceToCreate {
  readonly client: KMSClient;
}

/**
 * Creates an `AWS::KMS::Key` in the KMS emulator with the template's key spec and usage (a
 * symmetric encryption key, or an HMAC key that really generates and verifies MACs), disabled
 * if the template says so. `Ref` is the new key's id and `Fn::GetAtt … Arn` its ARN, as in
 * CloudFormation. The emulators do not encrypt at rest, so a table's or queue's key is created
 * but never used; the key policy is not enforced.
 *
 * @example
 * const key = await createKey({ logicalId: 'LinkKey', stackName: 'S', properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, client });
 * key.outputs.attributes.Arn // 'arn:aws:kms:us-east-1:000000000000:key/…'
 */
export async function createKey(input: CreateKeyInput): Promise<CreatedResource> {
  const { logicalId, properties: p } = input;
  const notes = checkProperties(logicalId, TYPE, p, {
    applied: ['KeySpec', 'KeyUsage', 'Description', 'Enabled', 'Origin'],
    ignored: {
      KeyPolicy: NO_IAM,
      BypassPolicyLockoutSafetyCheck: NO_IAM,
      EnableKeyRotation: 'keys live as long as the emulator; nothing to rotate',
      RotationPeriodInDays: 'keys live as long as the emulator; nothing to rotate',
      PendingWindowInDays: 'keys are never scheduled for deletion locally',
      MultiRegion: 'one region locally',
      Tags: 'tags are not needed locally',
    },
  });
  if (p.Origin !== undefined && p.Origin !== 'AWS_KMS') {
    throw new UnsupportedPropertyError(logicalId, TYPE, 'Origin', `only AWS_KMS key material exists locally, got ${String(p.Origin)}`);
  }
  try {
    const { KeyMetadata } = await input.client.send(
      new CreateKeyCommand({
        KeySpec: p.KeySpec as CreateKeyCommand['input']['KeySpec'],
        KeyUsage: p.KeyUsage as CreateKeyCommand['input']['KeyUsage'],
        Description: typeof p.Description === 'string' ? p.Description : undefined,
      }),
    );
    const keyId = KeyMetadata?.KeyId ?? '';
    if (p.Enabled === false || p.Enabled === 'false') await input.client.send(new DisableKeyCommand({ KeyId: keyId }));
    return { notes, outputs: { ref: keyId, attributes: { Arn: KeyMetadata?.Arn ?? '', KeyId: keyId } } };
  } catch (error) {
    throw new ProvisioningError(logicalId, TYPE, { cause: error });
  }
}
