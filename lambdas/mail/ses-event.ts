import * as z from 'zod/mini';
import { typeRule } from '../platform/contract-schema';
import { SesEventType } from './ses-event-type';

export { SesEventType };

/**
 * The SES events the configuration set publishes to us (its SNS event destination), as
 * SES writes them: `eventType`, the `mail` they are about (message id, tags, destination)
 * and one object with the details of that type (`bounce`, `complaint`, `delivery`, ...).
 * See "Contents of event data that Amazon SES publishes to Amazon SNS" in the SES guide.
 *
 * SES adds fields over time, so objects SES owns accept fields we do not read; what we
 * read is checked. Addresses are in here (`mail.destination`, the recipients of a bounce
 * or complaint): personal data, never logged.
 */

/** Largest event body we read (SNS allows 256 KiB; events with all headers stay far below). */
export const MAX_SES_EVENT_BYTES = 256 * 1024;

const text = z.string(typeRule('must be a string'));
const nonEmpty = z.string(typeRule('must be a string')).check(z.minLength(1, { error: 'must not be empty' }));
const timestamp = z.iso.datetime({ offset: true, ...typeRule('must be an ISO 8601 date-time') });
const object = <S extends z.core.$ZodLooseShape>(shape: S) => z.looseObject(shape, typeRule('must be an object'));
const recipients = z
  .array(object({ emailAddress: nonEmpty }), typeRule('must be a list'))
  .check(z.minLength(1, { error: 'must name at least one recipient' }));

const mail = object({
  timestamp,
  messageId: nonEmpty,
  destination: z.array(text, typeRule('must be a list')),
  // Each tag is a list of values, e.g. { "noticeId": ["ZXZ0I2RlbW8tMDAx"] }.
  tags: z.optional(z.record(z.string(), z.array(text, typeRule('must be a list')), typeRule('must be an object'))),
});

const bounce = object({
  bounceType: z.enum(['Permanent', 'Transient', 'Undetermined'], typeRule('must be Permanent, Transient or Undetermined')),
  bounceSubType: nonEmpty,
  bouncedRecipients: recipients,
  timestamp,
});

const complaint = object({
  complainedRecipients: recipients,
  timestamp,
  complaintFeedbackType: z.optional(text),
  complaintSubType: z.nullish(text),
});

const delivery = object({ timestamp });
const reject = object({ reason: text });
const deliveryDelay = object({ timestamp, delayType: z.optional(text), expirationTime: z.optional(timestamp) });

const sesEventSchema = z.discriminatedUnion(
  'eventType',
  [
    object({ eventType: z.literal(SesEventType.SEND), mail }),
    object({ eventType: z.literal(SesEventType.DELIVERY), mail, delivery }),
    object({ eventType: z.literal(SesEventType.BOUNCE), mail, bounce }),
    object({ eventType: z.literal(SesEventType.COMPLAINT), mail, complaint }),
    object({ eventType: z.literal(SesEventType.REJECT), mail, reject }),
    object({ eventType: z.literal(SesEventType.DELIVERY_DELAY), mail, deliveryDelay }),
  ],
  { error: `must be one of ${Object.values(SesEventType).join(', ')}` },
);

/** The schema of one SES event (a Standard Schema: zod/mini), for the validation middleware. */
export const sesEvent = sesEventSchema;

/** One SES event that passed {@link sesEvent}. */
export type SesEvent = z.infer<typeof sesEventSchema>;

/** An SES Bounce event. */
export type SesBounceEvent = Extract<SesEvent, { eventType: 'Bounce' }>;
