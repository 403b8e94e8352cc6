/**
 * The fixed facts of "AWS" on this machine, shared by the emulators, the local stack, the CLI
 * and the tests. A leaf module (no imports), so the CLI can use it without loading the emulators.
 */

/** The region the emulators, the local stack and {@link LOCAL_CREDENTIALS} clients use. */
export const LOCAL_AWS_REGION = 'us-east-1';

/** The account id of everything local: fauxqs's fixed account, and the local stack's `AWS::AccountId`. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** Dummy credentials; the emulators accept any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
