import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { settlementOf, type MailEventRecord } from '../domain/mail-fate';
import type { SesEventType } from '../domain/ses-event';
import { RetryLaterError } from '../commons/errors';
import type { EventRecording, InDoubtEvidence } from '../ports/mail-feedback';
import { conditionHeld } from './dynamodb-helpers';

type Key = Record<string, string>;

/** Attribute holding the SES events of an email, a map by event type (`sesEvents.Delivery`, ...). */
export const SES_EVENTS_ATTRIBUTE = 'sesEvents';

/** How an item in doubt was settled, when an SES event settled it (`settledBy`). */
export const SETTLED_BY_SES_EVENT = 'SES_EVENT';

/** Attribute listing SES message ids of events that named the item but another email (a second email went). */
export const STRAY_MESSAGE_IDS_ATTRIBUTE = 'sesStrayMessageIds';

/** Where an item keeps its SES message id, and which attribute proves it exists. */
export interface MailEventItem {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly key: Key;
}

// The email's own id, once the item has one, must be the event's: an event for another
// email (an earlier uncertain attempt of a resent notice) is not this email's story.
const SAME_EMAIL = '(attribute_not_exists(sesMessageId) OR sesMessageId = :mid)';

/**
 * Keeps an SES event on an item (a ledger row, an apology claim) under `sesEvents.<type>`,
 * the first of each type only, and only if the item's SES message id, once it has one, is
 * the event's. Idempotent and order-safe: nothing is ever overwritten, so a repeat or a
 * late `Send` changes nothing. Never creates an item.
 *
 * The map is created by the first event (a nested `SET` needs its parent to exist, and
 * one update cannot both create the map and set inside it), hence up to two writes, and a
 * read to tell why both conditions failed.
 */
export async function recordMailEvent(item: MailEventItem, type: SesEventType, event: MailEventRecord): Promise<EventRecording> {
  const { client, tableName, key } = item;
  const keyName = Object.keys(key)[0] ?? '';
  // DynamoDB refuses names an expression does not use, so each write names only its own.
  const update = (expression: string, condition: string, names: Record<string, string>, values: Record<string, unknown>): Promise<boolean> =>
    conditionHeld(
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':mid': event.messageId, ...values },
        }),
      ),
    );

  // Two rounds: another writer may create the map between our two writes.
  for (let round = 0; round < 2; round += 1) {
    if (
      await update(
        'SET #events.#type = :event',
        `attribute_exists(#events) AND attribute_not_exists(#events.#type) AND ${SAME_EMAIL}`,
        { '#events': SES_EVENTS_ATTRIBUTE, '#type': type },
        { ':event': event },
      )
    ) {
      return 'recorded';
    }
    if (
      await update(
        'SET #events = :events',
        `attribute_exists(#key) AND attribute_not_exists(#events) AND ${SAME_EMAIL}`,
        { '#events': SES_EVENTS_ATTRIBUTE, '#key': keyName },
        { ':events': { [type]: event } },
      )
    ) {
      return 'recorded';
    }
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    if (!Item) return 'not-found';
    if (typeof Item.sesMessageId === 'string' && Item.sesMessageId !== event.messageId) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'ADD #stray :ids',
          ExpressionAttributeNames: { '#stray': STRAY_MESSAGE_IDS_ATTRIBUTE },
          ExpressionAttributeValues: { ':ids': new Set([event.messageId]) },
        }),
      );
      return 'other-message';
    }
    const events = Item[SES_EVENTS_ATTRIBUTE] as Record<string, unknown> | undefined;
    if (events?.[type] !== undefined) return 'duplicate';
  }
  throw new RetryLaterError(`the SES event for ${JSON.stringify(key)} met a concurrent write twice; retried`);
}

/** How an item records that its email's send is in doubt, and how it reads once settled. */
export interface InDoubtShape {
  /** The attribute of the item's state: `outcome` on a ledger row, `state` on an apology claim. */
  readonly stateAttribute: string;
  readonly uncertain: string;
  readonly sent: string;
  readonly failed: string;
  /** An attribute that marks the item as in doubt (an index key), removed once settled. */
  readonly inDoubtAttribute?: string;
}

/**
 * Settles an item whose send was in doubt by an SES event about its email: `sent` with the
 * event's message id and the time SES took it (any event but a Reject proves SES took it),
 * else `failed` (`SES_REJECTED`). Conditional on the item being in doubt and, once it has a
 * message id, on that id being the event's; `false` when it was not (any more).
 */
export function settleMailInDoubt(item: MailEventItem, evidence: InDoubtEvidence, shape: InDoubtShape): Promise<boolean> {
  return conditionHeld(item.client.send(new UpdateCommand(inDoubtSettlement(item, evidence, shape))));
}

/** The conditional update {@link settleMailInDoubt} makes, for a caller that writes it in a transaction with more. */
export function inDoubtSettlement(item: MailEventItem, evidence: InDoubtEvidence, shape: InDoubtShape): InDoubtSettlementUpdate {
  const sent = settlementOf(evidence.type) === 'SENT';
  const remove = shape.inDoubtAttribute ? ' REMOVE #doubt' : '';
  return {
    TableName: item.tableName,
    Key: item.key,
    UpdateExpression: `${sent ? 'SET #state = :state, sesMessageId = :mid, sentAt = :at, settledBy = :by' : 'SET #state = :state, reason = :reason, settledBy = :by'}${remove}`,
    ConditionExpression: '#state = :uncertain AND (attribute_not_exists(sesMessageId) OR sesMessageId = :mid)',
    ExpressionAttributeNames: { '#state': shape.stateAttribute, ...(shape.inDoubtAttribute ? { '#doubt': shape.inDoubtAttribute } : {}) },
    ExpressionAttributeValues: {
      ':state': sent ? shape.sent : shape.failed,
      ':uncertain': shape.uncertain,
      ':mid': evidence.messageId,
      ':by': SETTLED_BY_SES_EVENT,
      ...(sent ? { ':at': evidence.sentAt } : { ':reason': 'SES_REJECTED' }),
    },
  };
}

/** A conditional update of one item, as `UpdateCommand` and a transaction's `Update` both take it. */
export interface InDoubtSettlementUpdate {
  readonly TableName: string;
  readonly Key: Key;
  readonly UpdateExpression: string;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues: Record<string, unknown>;
}
