import type { EvidenceObjects, UploadImports } from '../../lambdas/directory/ports/evidence';

/** An import bucket with no object, for drain tests about queues: reading or removing one is a bug. */
export const noEvidenceObjects: EvidenceObjects = {
  list: async function* () {},
  read: () => Promise.reject(new Error('no object')),
  remove: () => Promise.reject(new Error('no object')),
};

/** No import to ask about, for the same tests: asking is a bug. */
export const noUploadImports: UploadImports = {
  reads: () => true,
  finished: () => Promise.reject(new Error('no upload')),
};
