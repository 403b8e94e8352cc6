import { localClients } from '../aws-clients';
import type { ProvisionedStack } from '../provision/provision-from-template';
import { LocalRole } from '../template/resource-types';
import { mailEventDestination } from './event-destination';
import { SesEventPublisher } from './ses-event-publisher';

/** SES event publishing of a running local stack. */
export interface RunningMailEvents {
  /** The configuration-set event destinations that publish (SNS), by logical id. */
  readonly destinations: readonly string[];
  /** Publishes the events of every email the SES emulator holds now; resolves when done. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts publishing SES events for the stack's configuration sets that have an SNS event
 * destination (`AWS::SES::ConfigurationSetEventDestination`), from the mail the SES
 * emulator takes; nothing runs when there are none.
 */
export function startMailEvents(stack: ProvisionedStack, log: (line: string) => void = () => undefined): RunningMailEvents {
  const destinations = [...stack.resources.values()]
    .filter((r) => r.role === LocalRole.MAIL_EVENT_DESTINATION)
    .flatMap((r) => mailEventDestination(r) ?? []);
  if (destinations.length === 0) {
    return { destinations: [], flush: async () => undefined, stop: async () => undefined };
  }
  const clients = localClients(stack.endpoints, stack.pseudo.region);
  const publisher = new SesEventPublisher({
    sesEndpoint: stack.endpoints.ses,
    destinations,
    sns: clients.sns,
    account: { region: stack.pseudo.region, accountId: stack.pseudo.accountId },
    log,
  });
  publisher.start();
  for (const d of destinations) log(`SES events: configuration set ${d.configurationSetName} → ${d.topicArn} (${[...d.eventTypes].join(', ')})`);
  return {
    destinations: destinations.map((d) => d.logicalId),
    flush: () => publisher.flush(),
    stop: async () => {
      await publisher.stop();
      clients.destroy();
    },
  };
}
