import { inject } from 'vitest';
import { LOCAL_AWS_REGION, type EmulatorEndpoints } from '../../local/emulators';
import { localClients, type SdkClients } from '../../local/stack/aws-clients';

/** SDK clients pointed at the emulators of this test run (call `destroy()` in `afterAll`). */
export type AwsClients = SdkClients;

/** Clients for the emulators; endpoints default to the ones the global setup provides. */
export function createAwsClients(endpoints: EmulatorEndpoints = inject('emulatorEndpoints')): AwsClients {
  return localClients(endpoints, LOCAL_AWS_REGION);
}
