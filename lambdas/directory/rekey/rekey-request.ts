import * as z from 'zod/mini';
import { fieldNamesOf } from '../../platform/contract-schema';
import { REKEY_TABLES, type RekeyRequest } from './rekey-hashes';

/**
 * What an operator invokes the re-keying function with (`aws lambda invoke`, docs/data-model.md
 * "Re-keying"): the table, the cursor of the last answer to go on from, and the page size.
 */
const schema = z.strictObject({
  table: z.enum(REKEY_TABLES, { error: `must be one of ${REKEY_TABLES.join(', ')}` }),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048, { error: 'must be at most 2048 characters' }), z.regex(/^[A-Za-z0-9_-]+$/, { error: 'must be base64url' }))),
  pageSize: z.optional(z.int().check(z.minimum(1, { error: 'must be at least 1' }), z.maximum(1000, { error: 'must be at most 1000' }))),
});

/** The request contract, for `eventValidationMiddleware`; `pageSize` defaults to 100. */
export const rekeyRequestSchema = z.pipe(schema, z.transform((r): RekeyRequest => ({ table: r.table, pageSize: r.pageSize ?? 100, ...(r.cursor ? { cursor: r.cursor } : {}) })));

/** The field names of the contract: what an error may show unmasked. */
export const REKEY_REQUEST_FIELDS: ReadonlySet<string> = fieldNamesOf(schema);
