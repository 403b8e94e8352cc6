/**
 * Where the emulators listen: the same shape as `EmulatorEndpoints` from local/emulators,
 * so a running emulator set (or any other endpoints, e.g. in tests) can be passed in.
 */
export interface ServiceEndpoints {
  readonly sqs: string;
  readonly ses: string;
  readonly dynamodb: string;
  readonly ssm: string;
}

/** The account id the local stack answers `AWS::AccountId` with: fauxqs's fixed account. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** Dummy credentials; the emulators accept any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** The region the local stack uses unless told otherwise (`AWS_REGION`). */
export function localRegion(): string {
  return process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}
