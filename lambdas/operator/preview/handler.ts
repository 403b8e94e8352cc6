import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { OperatorMetric } from '../../platform/metric-names';
import { eventValidationMiddleware } from '../../platform/middleware/event-validation';
import { logger, metrics } from '../../platform/observability';
import { previewApology, type ApologyPreview, type ApologyPreviewRequest } from '../apology-preview';
import { APOLOGY_PREVIEW_REQUEST_FIELDS, apologyPreviewRequestSchema } from '../apology-preview-request';
import { previewSettingsFromEnv } from './pipeline';

// The shop's name and links, read (and the links checked) once per execution environment.
const settings = previewSettingsFromEnv();

/**
 * The apology preview function: `apology preview` for the operator function, which invokes it
 * (`lambda:InvokeFunction`, RequestResponse) with the request it has validated. Renders the
 * apology with the sender's renderer and settings (`apology-preview.ts`); no SDK client, no
 * table, nothing sent. A function of its own so that the renderer and the link guard's
 * libraries are not in the operator's bundle (bench/README.md). An invalid request fails the
 * invocation with `InvalidEventError`, every field and rule named.
 */
export const handler = middy<ApologyPreviewRequest, ApologyPreview, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(eventValidationMiddleware({ schema: apologyPreviewRequestSchema, rootField: '(request)', knownFields: APOLOGY_PREVIEW_REQUEST_FIELDS }))
  .handler(async (request) => {
    const preview = previewApology(request, settings);
    metrics.addMetric(OperatorMetric.APOLOGY_PREVIEW_RENDERED, MetricUnit.Count, 1);
    logger.info('apology preview rendered', { locale: preview.locale, linkGuardFindings: preview.linkGuardFindings.length });
    return preview;
  });
