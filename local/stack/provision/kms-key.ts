import { CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import { UnsupportedPropertyError } from '../../errors';
import { NO_TAGS, type Provisioner } from './provisioner';

const KEY_POLICY_NOTE = 'checked by the IAM gate for function calls only (unless enforcePolicies is false): the CLI and tests may use the key';

/**
 * Creates an `AWS::KMS::Key` in the KMS emulator with the template's key spec and usage (a
 * symmetric encryption key, or an HMAC key that really generates and verifies MACs), disabled
 * if the template says so. `Ref` is the new key's id and `Fn::GetAtt … Arn` its ARN, as in
 * CloudFormation. The emulators do not encrypt at rest, so a table's or queue's key is created
 * but never used. The key policy is not the emulator's: the IAM gate (local/stack/iam) checks
 * a function's KMS calls against it; other local callers go straight to the emulator.
 *
 * @example
 * const key = await provision(KMS_KEY, { logicalId: 'LinkKey', type: 'AWS::KMS::Key', stackName: 'S', properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' } }, target);
 * key.outputs.attributes.Arn // 'arn:aws:kms:us-east-1:000000000000:key/…'
 */
export const KMS_KEY: Provisioner = {
  properties: {
    applied: ['KeySpec', 'KeyUsage', 'Description', 'Enabled', 'Origin'],
    ignored: {
      KeyPolicy: KEY_POLICY_NOTE,
      BypassPolicyLockoutSafetyCheck: 'the IAM gate has no lockout to guard against',
      EnableKeyRotation: 'keys live as long as the emulator; nothing to rotate',
      RotationPeriodInDays: 'keys live as long as the emulator; nothing to rotate',
      PendingWindowInDays: 'keys are never scheduled for deletion locally',
      MultiRegion: 'one region locally',
      Tags: NO_TAGS,
    },
  },
  async create({ logicalId, type, properties: p }, { clients }) {
    if (p.Origin !== undefined && p.Origin !== 'AWS_KMS') {
      throw new UnsupportedPropertyError(logicalId, type, 'Origin', `only AWS_KMS key material exists locally, got ${String(p.Origin)}`);
    }
    const { KeyMetadata } = await clients.kms.send(
      new CreateKeyCommand({
        KeySpec: p.KeySpec as CreateKeyCommand['input']['KeySpec'],
        KeyUsage: p.KeyUsage as CreateKeyCommand['input']['KeyUsage'],
        Description: typeof p.Description === 'string' ? p.Description : undefined,
      }),
    );
    const keyId = KeyMetadata?.KeyId ?? '';
    if (p.Enabled === false || p.Enabled === 'false') await clients.kms.send(new DisableKeyCommand({ KeyId: keyId }));
    return { outputs: { ref: keyId, attributes: { Arn: KeyMetadata?.Arn ?? '', KeyId: keyId } } };
  },
};
