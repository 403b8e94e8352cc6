import * as z from 'zod/mini';
import { contractObject, fieldNamesOf, typeRule } from '../platform/contract-schema';
import { isPendingState } from '../notices/ledger-table/audit-shards';

const KIND = 'AUDIT_SHARD';

const auditShardMessage = contractObject(
  {
    kind: z.literal(KIND, typeRule(`must be "${KIND}"`)),
    state: z.string(typeRule('must be a string')).check(z.refine(isPendingState, { error: 'must be PENDING or PENDING#00 to PENDING#15' })),
  },
  'the audit shard message',
  'must be a JSON object',
);

/** One message of the audit queue: audit the new rows of this pending state (shard). */
export type AuditShardMessage = z.infer<typeof auditShardMessage>;

/** The audit queue's message as a Standard Schema, for the SQS record validation middleware. */
export const auditShardMessageSchema = auditShardMessage;

/** Field names of the message, shown unmasked in a validation issue. */
export const AUDIT_SHARD_MESSAGE_FIELDS: ReadonlySet<string> = fieldNamesOf(auditShardMessage);

/**
 * The message that asks a row-audit worker to audit one shard.
 *
 * @example
 * auditShardMessageFor('PENDING#07') // { kind: 'AUDIT_SHARD', state: 'PENDING#07' }
 */
export function auditShardMessageFor(state: string): AuditShardMessage {
  return { kind: KIND, state };
}
