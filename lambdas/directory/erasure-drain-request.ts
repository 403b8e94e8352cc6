import * as z from 'zod/mini';
import { contractObject, fieldNamesOf, instant, typeRule } from '../platform/contract-schema';
import { identifier } from '../platform/identifier';

const KIND = 'ERASURE_DRAIN';
const HASH = /^[0-9a-f]{64}$/;

// Where a follow-up pass stands (lambdas/directory/erasure-follow-up.ts); a request without it is a first pass.
const followUp = contractObject(
  {
    erasedAt: instant(),
    previousPassAt: instant(),
    nextPassAt: instant(),
    // The oldest upload the previous pass kept (its import not over): this pass reads the objects from it.
    deferredSince: z.optional(instant()),
  },
  'the erasure drain follow-up',
  'must be a JSON object',
);

const erasureDrainRequest = contractObject(
  {
    kind: z.literal(KIND, typeRule(`must be "${KIND}"`)),
    customerId: identifier,
    // Keyed (and legacy) hashes only: the request itself must not carry the address it erases.
    addressHashes: z
      .array(z.string(typeRule('must be a string')).check(z.regex(HASH, { error: 'must be 64 lower-case hex digits' })), typeRule('must be an array'))
      .check(z.maxLength(100, { error: 'must have at most 100 hashes' })),
    followUp: z.optional(followUp),
  },
  'the erasure drain request',
  'must be a JSON object',
);

/**
 * One message of the erasure drain queue: a customer was erased, so the evidence stores (DLQs,
 * quarantines, the import bucket) must lose what names them (docs/data-model.md, "Erasure").
 * The drain sends it again with `followUp` for the passes after the first.
 */
export type ErasureDrainRequest = z.infer<typeof erasureDrainRequest>;

/** The request as a Standard Schema, for the SQS record validation middleware. */
export const erasureDrainRequestSchema = erasureDrainRequest;

/** Where a follow-up pass stands: the first pass's start, the previous pass's start, when this one is due (and the oldest upload the previous pass kept). */
export type ErasureFollowUp = NonNullable<ErasureDrainRequest['followUp']>;

/** Field names of the request, shown unmasked in a validation issue. */
export const ERASURE_DRAIN_REQUEST_FIELDS: ReadonlySet<string> = fieldNamesOf(erasureDrainRequest);

/** Where an erasure asks for its drain (the erasure drain queue). */
export interface ErasureDrainRequests {
  request(customerId: string, addressHashes: readonly string[]): Promise<void>;
}

/** The erasure drain queue as the drain sends a request again, for a pass (or a wait) after the delay. */
export interface ErasureDrainFollowUps {
  send(request: ErasureDrainRequest, delaySeconds: number): Promise<void>;
}

/**
 * The request for one erased customer.
 *
 * @example
 * erasureDrainRequestFor('c-erin', [hash]) // { kind: 'ERASURE_DRAIN', customerId: 'c-erin', addressHashes: [hash] }
 */
export function erasureDrainRequestFor(customerId: string, addressHashes: readonly string[]): ErasureDrainRequest {
  return { kind: KIND, customerId, addressHashes: [...new Set(addressHashes)] };
}
