import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj, type Request } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { dynamoDb } from '../../../platform/clients/dynamodb';
import { kms } from '../../../platform/clients/kms';
import { shopNameFromEnv } from '../../../platform/env';
import { InvalidEventError, KeyUnavailableError } from '../../../platform/function-errors';
import { UnsubscribeMetric } from '../../../platform/metric-names';
import { logger, metrics } from '../../../platform/observability';
import { describeError } from '../../../platform/redact';
import { renderUnsubscribePage } from '../../render/unsubscribe-page';
import { eventValidationMiddleware } from '../../../platform/middleware/event-validation';
import { answerUnsubscribe, type UnsubscribeOutcome } from './answer-unsubscribe';
import { pageAnswer } from './page-answer';
import { unsubscribeDepsFromEnv } from './pipeline';
import { acceptLanguageOf, UNSUBSCRIBE_REQUEST_FIELDS, unsubscribeRequestSchema, type UnsubscribeRequest } from './unsubscribe-request';

const deps = unsubscribeDepsFromEnv({ dynamoDb, kms });
const shopName = shopNameFromEnv();

/** How long a browser (or a mail provider's one-click client) should wait before trying again. */
const RETRY_AFTER_SECONDS = '60';

/**
 * A request that broke the contract gets the same 400 page as a bad link; one that could not be
 * decided (the key or the table unavailable, or a bug) gets the try-later page. Nothing is recorded either way.
 */
function unsubscribeErrorPages(): MiddlewareObj<UnsubscribeRequest, APIGatewayProxyStructuredResultV2, Error, Context> {
  const unsubscribeErrorPagesOnError = (request: Request<UnsubscribeRequest, APIGatewayProxyStructuredResultV2, Error, Context>): void => {
    const locale = acceptLanguageOf(request.event);
    if (request.error instanceof InvalidEventError) {
      metrics.addMetric(UnsubscribeMetric.LINK_REFUSED, MetricUnit.Count, 1);
      logger.info('unsubscribe request refused', { issues: request.error.issues });
      request.response = pageAnswer(400, renderUnsubscribePage({ kind: 'INVALID_LINK' }, locale, shopName));
      return;
    }
    metrics.addMetric(UnsubscribeMetric.UNAVAILABLE, MetricUnit.Count, 1);
    logger.error('unsubscribe request failed: nothing recorded', { error: describeError(request.error) });
    const status = request.error instanceof KeyUnavailableError ? 503 : 500;
    request.response = pageAnswer(status, renderUnsubscribePage({ kind: 'TRY_LATER' }, locale, shopName), { 'retry-after': RETRY_AFTER_SECONDS });
  };
  return { onError: unsubscribeErrorPagesOnError };
}

/** Logs and counts what a request came to: ids and scopes only, never the token. */
function report(outcome: UnsubscribeOutcome): void {
  switch (outcome.kind) {
    case 'REFUSED':
      metrics.addMetric(UnsubscribeMetric.LINK_REFUSED, MetricUnit.Count, 1);
      logger.info('unsubscribe link refused', { refusal: outcome.refusal });
      return;
    case 'DEFERRED':
      metrics.addMetric(UnsubscribeMetric.DEFERRED, MetricUnit.Count, 1);
      logger.warn('unsubscribe deferred: no key check left in the budget', { addressHash: outcome.addressHash });
      return;
    case 'CONFIRMATION_SHOWN':
      metrics.addMetric(UnsubscribeMetric.CONFIRMATION_SHOWN, MetricUnit.Count, 1);
      logger.info('unsubscribe confirmation shown', { scope: outcome.scope });
      return;
    default:
      metrics.addMetric(outcome.kind === 'RECORDED' ? UnsubscribeMetric.RECORDED : UnsubscribeMetric.REPEATED, MetricUnit.Count, 1);
      logger.info(outcome.kind === 'RECORDED' ? 'unsubscribe recorded' : 'unsubscribe already recorded', {
        scope: outcome.scope,
        addressHash: outcome.addressHash,
      });
  }
}

/**
 * The one-click unsubscribe endpoint (RFC 8058), behind a function URL with `AuthType: NONE`:
 * every email's `List-Unsubscribe` and its body's unsubscribe link point here with a signed
 * token. GET shows a confirmation page in the recipient's language without asking the key; POST
 * (a mail client's one click, or the page's button) checks the token (cheap checks first, then
 * KMS within a budget: docs/unsubscribe.md) and records the unsubscribe where the guards read
 * it. A bad, tampered or expired token gets a 400 page and changes nothing.
 */
export const handler = middy<UnsubscribeRequest, APIGatewayProxyStructuredResultV2, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(unsubscribeErrorPages())
  .use(eventValidationMiddleware({ schema: unsubscribeRequestSchema, rootField: '(request)', knownFields: UNSUBSCRIBE_REQUEST_FIELDS }))
  .handler(async (request) => {
    const answer = await answerUnsubscribe(request, deps);
    report(answer.outcome);
    const retry: Record<string, string> = answer.retryAfterSeconds === undefined ? {} : { 'retry-after': String(answer.retryAfterSeconds) };
    return pageAnswer(answer.statusCode, renderUnsubscribePage(answer.page, answer.locale, shopName), retry);
  });
