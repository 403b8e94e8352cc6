import { DynamoDbNoticeLedger } from '../ledger-table/notice-ledger';
import { DynamoDbCustomerDirectory, DynamoDbRegistryDirectory } from '../../directory/tables/directories';
import { DynamoDbDoNotMail } from '../../mail/tables/do-not-mail';
import { unsubscribeLinksFromEnv } from '../../mail/unsubscribe/unsubscribe-links-from-env';
import { SesMailer } from '../../mail/ses/ses-mailer';
import { SqsDeferral } from '../../platform/queues/sqs-deferral';
import { SsmKillSwitch } from '../../mail/ssm-kill-switch';
import { ssmParameterReader } from '../../platform/ssm-parameter-reader';
import { dynamoDb } from '../../platform/clients/dynamodb';
import { kms } from '../../platform/clients/kms';
import { sesV2 } from '../../platform/clients/ses';
import { sqs } from '../../platform/clients/sqs';
import { ssm } from '../../platform/clients/ssm';
import { ledgerRetentionDaysFromEnv, positiveIntFromEnv, requireEnv, shopNameFromEnv } from '../../platform/env';
import { ConfigurationError } from '../../platform/function-errors';
import { linkConfigProblems, type LinkConfig } from '../../mail/link-config';
import type { PurchasePipeline } from './process-purchase';

/**
 * Wires the notify function's adapters from its environment. Called once at cold
 * start; any missing or malformed setting fails the deploy's first invocation loudly.
 */
export function pipelineFromEnv(env: NodeJS.ProcessEnv = process.env): PurchasePipeline {
  const e = requireEnv(
    [
      'REGISTRIES_TABLE',
      'CUSTOMERS_TABLE',
      'SUPPRESSIONS_TABLE',
      'UNSUBSCRIBES_TABLE',
      'LEDGER_TABLE',
      'SES_CONFIGURATION_SET',
      'SENDER_ADDRESS',
      'REGISTRY_BASE_URL',
      'HELP_URL',
      'KILL_SWITCH_PARAMETER',
      'PURCHASE_QUEUE_URL',
    ],
    env,
  );
  const links: LinkConfig = {
    registryBaseUrl: e.REGISTRY_BASE_URL,
    helpUrl: e.HELP_URL,
  };
  const problems = linkConfigProblems(links);
  if (problems.length > 0) throw new ConfigurationError(`bad link settings: ${problems.join('; ')}`);

  return {
    registries: new DynamoDbRegistryDirectory(dynamoDb, e.REGISTRIES_TABLE),
    customers: new DynamoDbCustomerDirectory(dynamoDb, e.CUSTOMERS_TABLE),
    doNotMail: new DynamoDbDoNotMail(dynamoDb, { suppressions: e.SUPPRESSIONS_TABLE, unsubscribes: e.UNSUBSCRIBES_TABLE }),
    unsubscribeLinks: unsubscribeLinksFromEnv(kms, env),
    ledger: new DynamoDbNoticeLedger({
      client: dynamoDb,
      tableName: e.LEDGER_TABLE,
      retentionDays: ledgerRetentionDaysFromEnv(env),
    }),
    mailer: new SesMailer({ client: sesV2, fromAddress: e.SENDER_ADDRESS, configurationSetName: e.SES_CONFIGURATION_SET }),
    killSwitch: new SsmKillSwitch({
      parameterName: e.KILL_SWITCH_PARAMETER,
      read: ssmParameterReader(ssm),
      // How long a flip of the switch takes to reach a warm function.
      maxAgeSeconds: positiveIntFromEnv('KILL_SWITCH_CACHE_SECONDS', 10, env),
    }),
    deferral: new SqsDeferral(sqs, e.PURCHASE_QUEUE_URL),
    links,
    shopName: shopNameFromEnv(env),
    // Longer than a run of the function (30 s), shorter than the queue's visibility
    // timeout (180 s): a redelivery always finds an abandoned claim expired.
    claimLeaseMs: positiveIntFromEnv('CLAIM_LEASE_SECONDS', 120, env) * 1000,
    now: () => new Date(),
  };
}
