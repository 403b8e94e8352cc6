import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { dynamoDb } from '../../platform/clients/dynamodb';
import { kms } from '../../platform/clients/kms';
import { DirectoryMetric } from '../../platform/metric-names';
import { eventValidationMiddleware } from '../../platform/middleware/event-validation';
import { logger, metrics } from '../../platform/observability';
import { useAddressHashKeyFromEnv } from '../kms-address-hash-key';
import { rekeyDepsFromEnv } from './pipeline';
import { rekeyHashes, type RekeyReport, type RekeyRequest } from './rekey-hashes';
import { REKEY_REQUEST_FIELDS, rekeyRequestSchema } from './rekey-request';

// The address-hash key, derived in KMS once per execution environment: the keyed hash is computed here.
await useAddressHashKeyFromEnv(kms);
const deps = rekeyDepsFromEnv(dynamoDb);

/** Stops paging with this much time left, so the answer (and its cursor) always gets back. */
const STOP_WITH_MS_LEFT = 30_000;

/**
 * The one-off re-keying job (docs/data-model.md, "Address hashes", "Re-keying"), invoked by an
 * operator per table (`aws lambda invoke … '{"table":"customers"}'`), again with the answer's
 * `cursor` until `done`: rewrites legacy (unkeyed SHA-256) hashes of rows that hold their address
 * to the keyed hash, and moves those addresses' suppressions and unsubscribes. Pages until the
 * table is done or 30 s are left; the answer says what it did, with counts only (no address).
 */
export const handler = middy<RekeyRequest, RekeyReport, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(eventValidationMiddleware({ schema: rekeyRequestSchema, rootField: '(request)', knownFields: REKEY_REQUEST_FIELDS }))
  .handler(async (request, context) => {
    const report = await rekeyHashes(request, deps.tables, deps.settings, () => context.getRemainingTimeInMillis() > STOP_WITH_MS_LEFT);
    metrics.addMetric(DirectoryMetric.HASHES_REKEYED, MetricUnit.Count, report.rekeyed);
    const { cursor: _cursor, ...counts } = report;
    logger.info('address hashes re-keyed', { ...counts });
    return report;
  });
