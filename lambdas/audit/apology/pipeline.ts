import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbApologySends } from '../audit-table/campaigns';
import { documentClientOf } from '../../platform/dynamodb/document';
import { DynamoDbRecipientFacts } from './dynamodb-recipient-facts';
import { DynamoDbSendSlots } from '../audit-table/send-slots';
import { SesMailer } from '../../mail/ses/ses-mailer';
import { SesSendQuota } from '../../mail/ses/ses-send-quota';
import { SqsApologyQueue } from '../queues/sqs-apology-queue';
import { SsmKillSwitch } from '../../mail/ssm-kill-switch';
import { unsubscribeLinksFromEnv } from '../../mail/unsubscribe/unsubscribe-links-from-env';
import { readEnv, shopNameFromEnv } from '../../platform/env';
import { apologyLinksFromEnv, rateSharePercentFromEnv, type AuditClients } from '../audit-deps-from-env';
import type { SenderDeps } from './send-apology';
import { SlotPacer } from './slot-pacer';
import { SENDER_PIPELINE_ENV } from './env';

/**
 * Wires the apology sender from its environment (./env.ts), once at cold start; a missing or malformed
 * setting fails loudly.
 */
export function senderDepsFromEnv(clients: AuditClients & { readonly kms: Pick<KMSClient, 'send'> }, env: NodeJS.ProcessEnv = process.env): SenderDeps {
  const e = readEnv(SENDER_PIPELINE_ENV, env);
  const db = documentClientOf(clients.dynamoDb);
  const timeoutSeconds = e.APOLOGY_SENDER_TIMEOUT_SECONDS;
  const slotToleranceMs = e.APOLOGY_SLOT_TOLERANCE_MS;
  const clock = { nowMs: () => Date.now(), sleep: (ms: number) => sleep(ms) };
  return {
    campaigns: new DynamoDbApologySends(db, e.AUDIT_TABLE),
    recipients: new DynamoDbRecipientFacts({
      client: db,
      ledgerTable: e.LEDGER_TABLE,
      customersTable: e.CUSTOMERS_TABLE,
      suppressionsTable: e.SUPPRESSIONS_TABLE,
      unsubscribesTable: e.UNSUBSCRIBES_TABLE,
    }),
    mailer: new SesMailer({ client: clients.sesV2, fromAddress: e.SENDER_ADDRESS, configurationSetName: e.SES_CONFIGURATION_SET }),
    killSwitch: new SsmKillSwitch({ parameterName: e.KILL_SWITCH_PARAMETER, read: clients.readParameter, maxAgeSeconds: e.KILL_SWITCH_CACHE_SECONDS }),
    quota: new SesSendQuota(clients.sesV2, { maxAgeMs: 60_000 }),
    pacer: new SlotPacer(new DynamoDbSendSlots(db, e.AUDIT_TABLE), { toleranceMs: slotToleranceMs, maxAheadMs: 20_000 }, clock),
    queue: new SqsApologyQueue(clients.sqs, e.APOLOGY_QUEUE_URL),
    links: apologyLinksFromEnv(e),
    unsubscribeLinks: unsubscribeLinksFromEnv(clients.kms, env),
    shopName: shopNameFromEnv(env),
    clock,
    now: () => new Date(),
    newRunId: () => randomUUID(),
    settings: {
      sendRateShare: rateSharePercentFromEnv(env) / 100,
      slotToleranceMs,
      // Kept back for claim, send and settle after the last slot: a quarter of the timeout, at most 10 s.
      safetyMarginMs: Math.min(10_000, timeoutSeconds * 250),
      // Longer than one invocation: a claim this old was made by one that is over.
      staleClaimMs: (timeoutSeconds + 30) * 1000,
      pausedDelaySeconds: 60,
      quotaHorizonSeconds: 60,
    },
  };
}
