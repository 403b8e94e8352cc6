import { SqsDeferral } from '../../platform/queues/sqs-deferral';
import { documentClientOf } from '../../platform/dynamodb/document';
import { dynamoDb } from '../../platform/clients/dynamodb';
import { sqs } from '../../platform/clients/sqs';
import { sesV2 } from '../../platform/clients/ses';
import { SesAccountSuppressions } from '../../mail/ses/ses-account-suppressions';
import { SqsErasureDrainRequests } from '../queues/sqs-evidence-queue';
import { readEnv } from '../../platform/env';
import { directoryApplyDeps } from '../apply-deps-wiring';
import type { DirectoryPipeline } from './process-directory-event';
import { DIRECTORY_PIPELINE_ENV } from './env';

/**
 * Wires the directory function's adapters from its environment, once at cold start; a
 * missing setting fails the first invocation loudly.
 */
export function directoryPipelineFromEnv(env: NodeJS.ProcessEnv = process.env): DirectoryPipeline {
  const e = readEnv(DIRECTORY_PIPELINE_ENV, env);
  return {
    ...directoryApplyDeps(documentClientOf(dynamoDb), {
      history: e.DIRECTORY_HISTORY_TABLE,
      registries: e.REGISTRIES_TABLE,
      customers: e.CUSTOMERS_TABLE,
      ledger: e.LEDGER_TABLE,
    }),
    // An erasure takes the addresses off SES's account suppression list too.
    accountSuppressions: new SesAccountSuppressions(sesV2),
    // And asks for the DLQs, quarantines and import bucket to lose what names the customer.
    evidenceDrain: new SqsErasureDrainRequests(sqs, e.ERASURE_DRAIN_QUEUE_URL),
    deferral: new SqsDeferral(sqs, e.DIRECTORY_QUEUE_URL),
  };
}
