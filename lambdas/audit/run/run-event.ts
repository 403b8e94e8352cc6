import * as z from 'zod/mini';
import { contractObject, fieldNamesOf, typeRule } from '../../platform/contract-schema';

/** What the audit schedule sends (lib/constructs/audit-apology.ts sets it as the target's input). */
export const AUDIT_RUN_EVENT = { kind: 'AUDIT_RUN' } as const;

const auditRunEvent = contractObject({ kind: z.literal(AUDIT_RUN_EVENT.kind, typeRule(`must be "${AUDIT_RUN_EVENT.kind}"`)) }, 'the audit run event', 'must be a JSON object');

/** The audit function's event: one scheduled run. Anything else fails the invocation. */
export type AuditRunEvent = z.infer<typeof auditRunEvent>;

/** The audit run event as a Standard Schema, for the event validation middleware. */
export const auditRunEventSchema = auditRunEvent;

/** Field names of the event, shown unmasked in a validation error. */
export const AUDIT_RUN_EVENT_FIELDS: ReadonlySet<string> = fieldNamesOf(auditRunEvent);
