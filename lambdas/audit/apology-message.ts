import * as z from 'zod/mini';
import { AuditReason } from './audit-reasons';
import { INCIDENT_ID_PATTERN } from './incident';
import { contractObject, fieldNamesOf, text, typeRule } from '../platform/contract-schema';
import { SUPPORTED_LOCALES } from '../directory/facts';

/**
 * One planned apology on the apology queue (contract v1): who, by hash, and which row holds
 * the address. No address, no name: the sender reads the address from the ledger row at send
 * time, so the queue, its DLQ and its quarantine hold nothing personal.
 */
const apologyMessage = contractObject(
  {
    v: z.literal(1, typeRule('must be 1')),
    incidentId: z.string(typeRule('must be a string')).check(z.regex(INCIDENT_ID_PATTERN, { error: 'must be 3-64 characters of a-z 0-9 -' })),
    addressHash: z.string(typeRule('must be a string')).check(z.regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lower-case hex digits' })),
    noticeId: text(300),
    reason: z.enum(Object.values(AuditReason) as [AuditReason, ...AuditReason[]], typeRule(`must be one of ${Object.values(AuditReason).join(', ')}`)),
    locale: z.enum(SUPPORTED_LOCALES, typeRule(`must be one of ${SUPPORTED_LOCALES.join(', ')}`)),
  },
  'apology message v1',
);

/** One apology to send. */
export type ApologyMessage = z.infer<typeof apologyMessage>;

/** The contract as a Standard Schema, for the SQS record validation middleware. */
export const apologyMessageSchema = apologyMessage;

/** Field names of the contract, shown unmasked in logs. */
export const APOLOGY_MESSAGE_FIELDS: ReadonlySet<string> = fieldNamesOf(apologyMessage);

/** Largest body the sender reads (a valid one is about 300 bytes). */
export const APOLOGY_MESSAGE_MAX_BYTES = 4 * 1024;
