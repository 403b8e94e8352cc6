import type { EvidenceObjects } from '../../lambdas/directory/ports/evidence';

/** An import bucket with no object, for drain tests about queues: reading or removing one is a bug. */
export const noEvidenceObjects: EvidenceObjects = {
  keys: async function* () {},
  read: () => Promise.reject(new Error('no object')),
  remove: () => Promise.reject(new Error('no object')),
};
