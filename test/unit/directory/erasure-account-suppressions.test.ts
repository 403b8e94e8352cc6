import { DeleteSuppressedDestinationCommand, NotFoundException, SESv2Client, SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { applyDirectoryEvent } from '../../../lambdas/directory/apply-directory-event';
import type { AccountSuppressionList } from '../../../lambdas/directory/ports/directory-store';
import { SesAccountSuppressions } from '../../../lambdas/mail/ses/ses-account-suppressions';
import { RetryLaterError } from '../../../lambdas/platform/function-errors';
import { customerErasedFactory, customerUpsertedFactory } from '../../helpers/factories';
import { InMemoryDirectoryStore } from '../../helpers/in-memory-directory-store';

const OLD = 'ann.old@erasure.example';
const NEW = 'ann.new@erasure.example';

/** Ann with two addresses over time, then her erasure, applied with `list` as SES's account suppression list. */
async function eraseAnn(list: AccountSuppressionList, store = new InMemoryDirectoryStore()) {
  const deps = { store, erasure: store, accountSuppressions: list, now: () => new Date('2026-07-01T12:00:00Z') };
  await applyDirectoryEvent(customerUpsertedFactory({ version: 1, effectiveAt: '2026-01-01T00:00:00Z', email: OLD }), deps);
  await applyDirectoryEvent(customerUpsertedFactory({ version: 2, effectiveAt: '2026-03-01T00:00:00Z', email: NEW }), deps);
  return { store, erase: () => applyDirectoryEvent(customerErasedFactory({ version: 3, effectiveAt: '2026-06-01T00:00:00Z' }), deps) };
}

const addressesIn = (store: InMemoryDirectoryStore): string => JSON.stringify([...store.history.values()]);

describe('an erasure and SES\'s account suppression list', () => {
  it('takes every address the customer had off the list, then scrubs the history', async () => {
    // Prepare
    const forgotten: string[] = [];
    const { store, erase } = await eraseAnn({ forget: async (address) => void forgotten.push(address) });

    // Act
    await erase();

    // Assess
    expect(forgotten.sort()).toEqual([NEW, OLD].sort());
    expect(addressesIn(store)).not.toContain(OLD);
    expect(addressesIn(store)).not.toContain(NEW);
  });

  it('leaves the history unscrubbed when SES cannot answer, so the retry still knows what to take off', async () => {
    // Prepare: SES fails once.
    const forgotten: string[] = [];
    let failures = 1;
    const { store, erase } = await eraseAnn({
      forget: async (address) => {
        if (failures-- > 0) throw new RetryLaterError('SES unavailable');
        forgotten.push(address);
      },
    });

    // Act
    await expect(erase()).rejects.toThrow(RetryLaterError);
    const between = addressesIn(store);
    await erase();

    // Assess
    expect(between).toContain(NEW);
    expect(forgotten.sort()).toEqual([NEW, OLD].sort());
    expect(addressesIn(store)).not.toContain(NEW);
  });
});

// aws-sdk-client-mock for this one call: the SES emulator (aws-ses-v2-local) has no suppression
// list API. The instance is mocked, not the class, so no other file's client is touched.
describe('SesAccountSuppressions (SES v2 DeleteSuppressedDestination)', () => {
  const client = new SESv2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const ses = mockClient(client);
  afterEach(() => ses.reset());

  it('deletes the address from the account suppression list', async () => {
    ses.on(DeleteSuppressedDestinationCommand).resolves({});
    await new SesAccountSuppressions(client).forget(NEW);
    expect(ses.commandCalls(DeleteSuppressedDestinationCommand).map((c) => c.args[0].input)).toEqual([{ EmailAddress: NEW }]);
  });

  it('takes NotFoundException (never suppressed) as done', async () => {
    ses.on(DeleteSuppressedDestinationCommand).rejects(new NotFoundException({ message: 'not on the list', $metadata: {} }));
    await expect(new SesAccountSuppressions(client).forget(NEW)).resolves.toBeUndefined();
  });

  it('turns any other failure into a retry that names no address', async () => {
    ses.on(DeleteSuppressedDestinationCommand).rejects(new SESv2ServiceException({ name: 'TooManyRequestsException', $fault: 'client', message: 'slow down', $metadata: {} }));
    const failure = await new SesAccountSuppressions(client).forget(NEW).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RetryLaterError);
    expect((failure as Error).message).toBe('SES DeleteSuppressedDestination failed (TooManyRequestsException): the erased address could not be taken off the account suppression list');
    expect((failure as Error).message).not.toContain(NEW);
  });
});
