import { declareIncident } from '../../../lambdas/audit/declare-incident';
import { importSendLog } from '../../../lambdas/imports/send-log/import-send-log';
import { addressHash } from '../../../lambdas/directory/address-hash';
import type { AuditWorld } from './audit-world';
import { sendLogLine } from './audit-world';

/** An operator who is a person (an IAM user), approving campaigns nobody recorded a declarer of. */
export const OPS_PERSON = 'arn:aws:iam::123456789012:user/ops';

/** Who, in the seeded incident, must get an apology (and in which language). */
export const EXPECTED_APOLOGIES = { bob: 'de', zoe: 'en', carl: 'en' } as const;
/** Who must not: rightly notified (ann), opted out (dora), suppressed (eve). */
export const NO_APOLOGY = ['ann', 'dora', 'eve'] as const;

/**
 * The registries and customers of the incident: ann's and bob's (German) registries, carl's
 * closed one, each with its owner.
 */
export async function seedIncidentDirectory(world: AuditWorld): Promise<void> {
  await world.putRegistry('reg-ann', 'cus-ann');
  await world.putRegistry('reg-closed', 'cus-carl', 'CLOSED');
  await world.putRegistry('reg-bob', 'cus-bob');
  await world.putCustomer('cus-ann', 'ann');
  await world.putCustomer('cus-bob', 'bob', 'de');
  await world.putCustomer('cus-carl', 'carl');
}

/**
 * Seeds the incident of PRODUCT.md in miniature: another system's blast with right and
 * wrong notices, imported and declared. Returns the incident id.
 */
export async function seedIncident(world: AuditWorld, extraWrong = 0): Promise<string> {
  await seedIncidentDirectory(world);
  await world.putCustomer('cus-dora', 'dora', 'en', true);
  await world.suppress('eve');
  const to = (local: string, registryId: string, purchaseId: string, sourceNoticeId: string) =>
    sendLogLine({ sourceNoticeId, recipientAddress: world.address(local), registryId, purchaseId });
  const lines = [
    to('ann', 'reg-ann', 'p-1', 'n-1'), // right
    to('ann', 'reg-ann', 'p-1', 'n-1b'), // duplicate of a right one: no apology
    to('bob', 'reg-ann', 'p-2', 'n-2'), // not the owner: bob owns another registry (German)
    to('zoe', 'reg-ghost', 'p-3', 'n-3'), // nobody we know
    to('zoe', 'reg-ghost', 'p-4', 'n-4'), // twice: still one apology
    to('carl', 'reg-closed', 'p-5', 'n-5'), // closed registry
    to('dora', 'reg-ann', 'p-6', 'n-6'), // a customer with no registry (not a participant), but opted out
    to('eve', 'reg-ghost', 'p-7', 'n-7'), // nobody we know, but suppressed
    ...Array.from({ length: extraWrong }, (_, i) => to(`x${i}`, 'reg-ghost', `px-${i}`, `nx-${i}`)),
  ];
  await importSendLog(lines, world.imports, { now: () => new Date() });
  // Notices of ours went to zoe and the extras once, long ago (audited, outside the incident):
  // the import names no strangers, so a small campaign may approve itself (strangers:
  // two-person-rule tests).
  for (const local of ['zoe', ...Array.from({ length: extraWrong }, (_, i) => `x${i}`)]) await mailedByUs(world, local);
  const incident = await declareIncident({ description: 'legacy CRM sent registry mail to everyone', source: 'legacy-crm' }, world.deps.incidents, new Date());
  return incident.incidentId;
}

/** A notice of ours to `local`, sent and audited long ago, outside any incident: the address is no stranger. */
export async function mailedByUs(world: AuditWorld, local: string): Promise<void> {
  const address = world.address(local);
  await world.putNotice(`evt#earlier-${local}`, {
    decidedAt: '2024-06-01T10:00:00.000Z',
    recipientAddress: address,
    recipientAddressHash: addressHash(address),
    registryId: 'reg-earlier',
    auditState: undefined,
  });
}
