import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { ssmParameterReader } from '../../platform/ssm-parameter-reader';
import { dynamoDb } from '../../platform/clients/dynamodb';
import { sesV2 } from '../../platform/clients/ses';
import { sqs } from '../../platform/clients/sqs';
import { ssm } from '../../platform/clients/ssm';
import { logger, metrics } from '../../platform/observability';
import { eventValidationMiddleware } from '../../platform/middleware/event-validation';
import { runDepsFromEnv } from '../audit-deps-from-env';
import { reportRun } from '../audit-outcomes';
import { AUDIT_RUN_EVENT_FIELDS, auditRunEventSchema } from './run-event';
import { runAuditOnce, type RunReport } from '../run-once';
import { kms } from '../../platform/clients/kms';
import { useAddressHashKeyFromEnv } from '../../directory/kms-address-hash-key';

// The address-hash key, derived in KMS once per execution environment, before any record.
await useAddressHashKeyFromEnv(kms);
const deps = runDepsFromEnv({ dynamoDb, sesV2, sqs, readParameter: ssmParameterReader(ssm) });

/**
 * The audit function, started by EventBridge Scheduler (at least once, so runs may
 * overlap): audits new ledger rows and declared incidents, plans their campaigns in pages,
 * and puts approved campaigns' recipients on the apology queue (the apology sender sends
 * them), stopping shortly before its time limit. Its event is
 * validated first: anything but the schedule's `{"kind":"AUDIT_RUN"}` fails and does nothing.
 */
export const handler = middy<unknown, RunReport, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(eventValidationMiddleware({ schema: auditRunEventSchema, knownFields: AUDIT_RUN_EVENT_FIELDS }))
  .handler(async (_event, context) => {
    const report = await runAuditOnce(deps, () => context.getRemainingTimeInMillis());
    reportRun(report);
    return report;
  });
