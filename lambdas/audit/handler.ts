import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { dynamoDb, sesV2, ssm } from '../commons/aws-clients';
import { logger, metrics } from '../commons/observability';
import { runDepsFromEnv } from './pipeline';
import { reportRun } from './report-run';
import { runAuditOnce, type RunReport } from './run-once';

const deps = runDepsFromEnv({ dynamoDb, sesV2, ssm });

/**
 * The audit function, started by EventBridge Scheduler (at least once, so runs may
 * overlap): audits new ledger rows and declared incidents, then progresses approved
 * apology campaigns until the per-run cap or shortly before its time limit.
 */
export const handler = middy(async (_event: unknown, context: Context): Promise<RunReport> => {
  const report = await runAuditOnce(deps, () => context.getRemainingTimeInMillis());
  reportRun(report, logger, metrics);
  return report;
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
