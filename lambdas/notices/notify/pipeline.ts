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
import { ledgerRetentionDaysFromEnv, readEnv, shopNameFromEnv } from '../../platform/env';
import { ConfigurationError } from '../../platform/function-errors';
import { linkConfigProblems, type LinkConfig } from '../../mail/link-config';
import type { PurchasePipeline } from './process-purchase';
import { NOTIFY_PIPELINE_ENV } from './env';

/**
 * Wires the notify function's adapters from its environment (./env.ts). Called once at cold
 * start; any missing or malformed setting fails the deploy's first invocation loudly.
 */
export function pipelineFromEnv(env: NodeJS.ProcessEnv = process.env): PurchasePipeline {
  const e = readEnv(NOTIFY_PIPELINE_ENV, env);
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
      // The claim checks the owner is not erased, in its own transaction.
      customersTable: e.CUSTOMERS_TABLE,
    }),
    mailer: new SesMailer({ client: sesV2, fromAddress: e.SENDER_ADDRESS, configurationSetName: e.SES_CONFIGURATION_SET }),
    killSwitch: new SsmKillSwitch({
      parameterName: e.KILL_SWITCH_PARAMETER,
      read: ssmParameterReader(ssm),
      maxAgeSeconds: e.KILL_SWITCH_CACHE_SECONDS,
    }),
    deferral: new SqsDeferral(sqs, e.PURCHASE_QUEUE_URL),
    links,
    shopName: shopNameFromEnv(env),
    claimLeaseMs: e.CLAIM_LEASE_SECONDS * 1000,
    now: () => new Date(),
  };
}
