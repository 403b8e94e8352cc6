import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { settlementOf, type MailEventRecord } from '../../mail/mail-fate';
import type { SesEventType } from '../../mail/ses-event';
import { RetryLaterError } from '../../platform/function-errors';
import type { InDoubtEvidence, RecordedMailEvent } from '../../mail/ports/mail-feedback';
import { conditionalWrite, conditionHeld } from '../../platform/dynamodb/helpers';

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
// email (an earlier uncertain attempt of a resent notice) is not this email's story. An item
// without one takes an event only while its email is open (sending, or in doubt: SES's answer
// may not be written yet, or was lost); a BLOCKED or FAILED row sent nothing to hear about.
const SAME_EMAIL = '(sesMessageId = :mid OR (attribute_not_exists(sesMessageId) AND #state IN (:open0, :open1)))';
// And the event's one recipient must be the item's (where the item keeps it as an attribute).
const SAME_RECIPIENT = ' AND #recipient = :rh';

/** Which of an item's states an SES event may still settle: its state attribute and the states its email is open in. */
export interface OpenStates {
  readonly stateAttribute: string;
  /** The email is being sent, or in doubt: an event about it may settle it (`SENDING`, `UNCERTAIN`). */
  readonly open: readonly [string, string];
  /**
   * The attribute holding the hash of the item's recipient (`recipientAddressHash` on a ledger
   * row); absent when the key itself names the recipient (an apology claim), which the caller
   * checks.
   */
  readonly recipientAttribute?: string;
}

/**
 * Keeps an SES event on an item (a ledger row, an apology claim) under `sesEvents.<type>`,
 * the first of each type only, and only if the event is about the item's own email: its SES
 * message id (or none yet, while the email is open) and its recipient (`recipientHash`, when
 * the item has `states.recipientAttribute`). Idempotent and order-safe: nothing is ever
 * overwritten, so a repeat or a late `Send` changes nothing. Never creates an item.
 *
 * The map is created by the first event unless the item was written with it (a nested `SET`
 * needs its parent to exist, and one update cannot both create the map and set inside it),
 * hence up to two writes. Each write returns the item (as written, or as it was when its
 * condition failed), which tells why a write failed and whether the item's email is still
 * open to settling, without a read.
 */
export async function recordMailEvent(
  item: MailEventItem,
  type: SesEventType,
  event: MailEventRecord,
  states: OpenStates,
  recipientHash: string,
): Promise<RecordedMailEvent> {
  const { client, tableName, key } = item;
  const keyName = Object.keys(key)[0] ?? '';
  const settleable = (found: Record<string, unknown> | undefined): boolean => states.open.includes(String(found?.[states.stateAttribute]));
  const recipient = states.recipientAttribute;
  const sameEmail = `${SAME_EMAIL}${recipient ? SAME_RECIPIENT : ''}`;
  const emailNames = { '#state': states.stateAttribute, ...(recipient ? { '#recipient': recipient } : {}) };
  const emailValues = { ':open0': states.open[0], ':open1': states.open[1], ...(recipient ? { ':rh': recipientHash } : {}) };
  // DynamoDB refuses names an expression does not use, so each write names only its own.
  const update = async (expression: string, condition: string, names: Record<string, string>, values: Record<string, unknown>) => {
    let written: Record<string, unknown> | undefined;
    const write = await conditionalWrite(
      client
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: expression,
            ConditionExpression: condition,
            ExpressionAttributeNames: { ...emailNames, ...names },
            ExpressionAttributeValues: { ':mid': event.messageId, ...emailValues, ...values },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        )
        .then((out) => (written = out.Attributes)),
    );
    return write.written ? { written: true as const, item: written } : { written: false as const, item: write.existing };
  };

  // Two rounds: another writer may create the map between our two writes.
  for (let round = 0; round < 2; round += 1) {
    const nested = await update(
      'SET #events.#type = :event',
      `attribute_exists(#events) AND attribute_not_exists(#events.#type) AND ${sameEmail}`,
      { '#events': SES_EVENTS_ATTRIBUTE, '#type': type },
      { ':event': event },
    );
    if (nested.written) return { recording: 'recorded', settleable: settleable(nested.item) };
    const found = nested.item;
    if (!found) return { recording: 'not-found', settleable: false };
    // Another recipient first: such an event is not this email's at all, and leaves no trace.
    if (recipient && found[recipient] !== recipientHash) return { recording: 'foreign-recipient', settleable: false };
    if (typeof found.sesMessageId === 'string' && found.sesMessageId !== event.messageId) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'ADD #stray :ids',
          ExpressionAttributeNames: { '#stray': STRAY_MESSAGE_IDS_ATTRIBUTE },
          ExpressionAttributeValues: { ':ids': new Set([event.messageId]) },
        }),
      );
      return { recording: 'other-message', settleable: false };
    }
    if (typeof found.sesMessageId !== 'string' && !settleable(found)) return { recording: 'unknown-message', settleable: false };
    const events = found[SES_EVENTS_ATTRIBUTE] as Record<string, unknown> | undefined;
    if (events?.[type] !== undefined) return { recording: 'duplicate', settleable: settleable(found) };
    if (events !== undefined) continue; // the map came meanwhile: the nested write again
    const created = await update(
      'SET #events = :events',
      `attribute_exists(#key) AND attribute_not_exists(#events) AND ${sameEmail}`,
      { '#events': SES_EVENTS_ATTRIBUTE, '#key': keyName },
      { ':events': { [type]: event } },
    );
    if (created.written) return { recording: 'recorded', settleable: settleable(created.item) };
    if (!created.item) return { recording: 'not-found', settleable: false };
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
  /** The attribute of the recipient's hash, which must be the evidence's (see {@link OpenStates}). */
  readonly recipientAttribute?: string;
}

/**
 * Settles an item whose send was in doubt by an SES event about its email: `sent` with the
 * event's message id and the time SES took it (any event but a Reject proves SES took it),
 * else `failed` (`SES_REJECTED`). Conditional on the item being in doubt, once it has a
 * message id on that id being the event's, and on its recipient being the evidence's; `false`
 * when it was not (any more).
 */
export function settleMailInDoubt(item: MailEventItem, evidence: InDoubtEvidence, shape: InDoubtShape): Promise<boolean> {
  return conditionHeld(item.client.send(new UpdateCommand(inDoubtSettlement(item, evidence, shape))));
}

/** The conditional update {@link settleMailInDoubt} makes, for a caller that writes it in a transaction with more. */
export function inDoubtSettlement(item: MailEventItem, evidence: InDoubtEvidence, shape: InDoubtShape): InDoubtSettlementUpdate {
  const sent = settlementOf(evidence.type) === 'SENT';
  const remove = shape.inDoubtAttribute ? ' REMOVE #doubt' : '';
  const recipient = shape.recipientAttribute;
  return {
    TableName: item.tableName,
    Key: item.key,
    UpdateExpression: `${sent ? 'SET #state = :state, sesMessageId = :mid, sentAt = :at, settledBy = :by' : 'SET #state = :state, reason = :reason, settledBy = :by'}${remove}`,
    ConditionExpression: `#state = :uncertain AND (attribute_not_exists(sesMessageId) OR sesMessageId = :mid)${recipient ? ' AND #recipient = :rh' : ''}`,
    ExpressionAttributeNames: {
      '#state': shape.stateAttribute,
      ...(shape.inDoubtAttribute ? { '#doubt': shape.inDoubtAttribute } : {}),
      ...(recipient ? { '#recipient': recipient } : {}),
    },
    ExpressionAttributeValues: {
      ...(recipient ? { ':rh': evidence.recipientHash } : {}),
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
