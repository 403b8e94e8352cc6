import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj, type Request } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ssmParameterReader } from '../platform/ssm-parameter-reader';
import { ssmParameterWriter } from '../platform/ssm-parameter-writer';
import { dynamoDb } from '../platform/clients/dynamodb';
import { sesV2 } from '../platform/clients/ses';
import { sqs } from '../platform/clients/sqs';
import { ssm } from '../platform/clients/ssm';
import { OperatorMetric } from '../platform/metric-names';
import { logger, metrics } from '../platform/observability';
import { reportRun } from '../audit/audit-outcomes';
import { describeError } from '../platform/redact';
import { assertViaFunctionUrl, callerOf } from './caller';
import { eventValidationMiddleware } from '../platform/middleware/event-validation';
import { OPERATOR_COMMAND_LIST } from './commands';
import { errorAnswer, jsonAnswer } from './http-answers';
import { operatorDepsFromEnv } from './operator-deps';
import { operatorFieldNames, operatorRequestSchema, type OperatorEvent } from './request-validation';
import { kms } from '../platform/clients/kms';
import { lambda } from '../platform/clients/lambda';
import { useAddressHashKeyFromEnv } from '../directory/kms-address-hash-key';

// The address-hash key, derived in KMS once per execution environment, before any record.
await useAddressHashKeyFromEnv(kms);
const deps = operatorDepsFromEnv({ dynamoDb, sesV2, sqs, lambda, readParameter: ssmParameterReader(ssm), writeParameter: ssmParameterWriter(ssm) });

/** Turns a refused or failed request into its JSON answer (400/403/404/409/500/502/503) and counts it. */
function operatorErrorAnswers(): MiddlewareObj<OperatorEvent, APIGatewayProxyStructuredResultV2, Error, Context> {
  const operatorErrorAnswersOnError = (request: Request<OperatorEvent, APIGatewayProxyStructuredResultV2, Error, Context>): void => {
    const answer = errorAnswer(request.error, request.context.awsRequestId);
    const command = request.event.operatorRequest?.command.name ?? '(invalid)';
    metrics.addMetric(OperatorMetric.COMMAND_REFUSED, MetricUnit.Count, 1);
    if (!answer.known) logger.error('operator request failed', { command, error: describeError(request.error) });
    // A known failure (502/503: the apology preview function's) is still a failure to look at.
    else if ((answer.statusCode ?? 500) >= 500) logger.error('operator request failed', { command, status: answer.statusCode, error: describeError(request.error) });
    else logger.info('operator request refused', { command, status: answer.statusCode, error: describeError(request.error) });
    const { known: _known, ...response } = answer;
    request.response = response;
  };
  return { onError: operatorErrorAnswersOnError };
}

/** Refuses, before anything reads the body, an event that did not come through the function URL (docs/operator.md, "Only through its URL"). */
function functionUrlOnly(): MiddlewareObj<OperatorEvent, APIGatewayProxyStructuredResultV2, Error, Context> {
  return { before: (request) => assertViaFunctionUrl(request.event) };
}

/**
 * The operator endpoint, behind a function URL with `AuthType: AWS_IAM`: one JSON request
 * `{ "command": "…", …args }` runs one use case with the deployed settings, inside this
 * function's role, as the caller Lambda verified (`requestContext.authorizer.iam`). Every
 * answer is JSON: `{ command, result }` or `{ error: { code, message, issues? } }`.
 */
export const handler = middy<OperatorEvent, APIGatewayProxyStructuredResultV2, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(operatorErrorAnswers())
  .use(functionUrlOnly())
  .use(
    eventValidationMiddleware({
      schema: operatorRequestSchema(OPERATOR_COMMAND_LIST),
      rootField: '(body)',
      knownFields: operatorFieldNames(OPERATOR_COMMAND_LIST),
    }),
  )
  .handler(async (event, context) => {
    // Who the caller is as a person: the deployed person-bound roles (two-person rule, docs/operator.md).
    const caller = callerOf(event, deps.run.settings.personRoles);
    const { command, args } = event.operatorRequest;
    // The caller id (AIDA…/AROA…) is opaque; the ARN, which may hold a person's name, stays out of the logs.
    logger.appendKeys({ command: command.name, callerId: caller.callerId });
    const result = await command.run(args, {
      deps,
      caller,
      remainingMs: () => context.getRemainingTimeInMillis(),
      reportRun: (run) => reportRun(run),
    });
    metrics.addMetric(OperatorMetric.COMMAND_DONE, MetricUnit.Count, 1);
    logger.info('operator command done', { command: command.name });
    return jsonAnswer(200, { command: command.name, result });
  });
