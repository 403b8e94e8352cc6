import { inject } from 'vitest';
import { type EmulatorEndpoints, LOCAL_AWS_REGION, LOCAL_CREDENTIALS, localClients, type SdkClients } from '@registry-notices/local-stack';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { sesClient } from '../../lambdas/platform/aws/ses-client';

/** SDK clients pointed at the emulators of this test run (call `destroy()` in `afterAll`). */
export type AwsClients = SdkClients & {
  /** SES as the functions send: `sesClient`, the same "never resend" handler and retries. */
  readonly sesSender: SESv2Client;
};

/** Clients for the emulators; endpoints default to the ones the global setup provides. */
export function createAwsClients(endpoints: EmulatorEndpoints = inject('emulatorEndpoints')): AwsClients {
  const sesSender = sesClient({ region: LOCAL_AWS_REGION, credentials: LOCAL_CREDENTIALS, endpoint: endpoints.ses, maxAttempts: 3 });
  return { ...localClients(endpoints, LOCAL_AWS_REGION), sesSender };
}
