import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as z from 'zod/mini';
import { contractObject, typeRule } from '../../platform/contract-schema';

const CONTRACT = 'import message';
const str = z.string(typeRule('must be a string'));
const offset = z.number(typeRule('must be a number')).check(z.int({ error: 'must be an integer' }), z.gte(0, { error: 'must be at least 0' }));

/**
 * S3's event message (structure 2.x) as far as an import reads it: bucket, key (form-encoded),
 * ETag of each new object. Not strict: S3 adds fields over time and this is S3's contract, not ours.
 */
const s3Event = z.object({
  Records: z.array(
    z.object({
      eventName: str,
      /** Who put the object: `AWS:AIDA…` (an IAM user) or `AWS:AROA…:<session>` (a role session). */
      userIdentity: z.optional(z.object({ principalId: z.optional(str) })),
      s3: z.object({
        bucket: z.object({ name: str }),
        object: z.object({ key: str, eTag: z.optional(str), size: z.optional(z.number()) }),
      }),
    }),
  ),
});

/** What S3 sends once when a notification is configured. */
const s3TestEvent = z.object({ Event: z.literal('s3:TestEvent'), Bucket: str });

/** The next chunk of an import, sent by the import function to its own queue. */
const continuation = contractObject({ kind: z.literal('continue', typeRule('must be "continue"')), importId: str, fromOffset: offset }, CONTRACT);

const importMessage = z.union([continuation, s3Event, s3TestEvent], { error: 'must be an S3 event, an S3 test event or an import continuation' });

/** A message on the import queue. */
export type ImportMessage = z.infer<typeof importMessage>;
export type ImportContinuation = z.infer<typeof continuation>;

/** The import queue's messages as a Standard Schema, for the validation middleware. */
export const importMessageSchema: StandardSchemaV1<unknown, ImportMessage> = importMessage;

/** Whether a message is a continuation (else S3's). */
export function isContinuation(message: ImportMessage): message is ImportContinuation {
  return 'kind' in message;
}
