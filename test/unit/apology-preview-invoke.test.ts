import { InvokeCommand, LambdaClient, ServiceException, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ApologyPreviewFailedError, ApologyPreviewUnavailableError } from '../../lambdas/operator/errors';
import { errorAnswer } from '../../lambdas/operator/http-answers';
import { lambdaApologyPreview } from '../../lambdas/operator/lambda-apology-preview';

/**
 * What the operator function makes of the preview function's answers. The answers that work, a
 * refusal (AccessDenied) and the error payload of a failed invocation are exercised for real on
 * the local stack (test/integration/audit/cli-operator-flow.test.ts, local-stack-iam.test.ts);
 * throttling, a service fault and a malformed answer no emulator here produces, so the client
 * is mocked for those, and for the error payload to check the message passed on.
 */
const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

const FUNCTION = 'RegistryNotices-ApologyPreview';
const preview = lambdaApologyPreview(new LambdaClient({ region: 'us-east-1', maxAttempts: 1 }), FUNCTION);
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const rendered = { locale: 'en', subject: 'We sent you an email by mistake', headers: [{ name: 'List-Unsubscribe', value: '<https://u.example/>' }], html: '<p>x</p>', text: 'x', linkGuardFindings: [] };

async function failure(request = { locale: 'en' as const }): Promise<{ error: unknown; status: number | undefined; code: string }> {
  const error = await preview(request).then(
    () => undefined,
    (e: unknown) => e,
  );
  const answer = errorAnswer(error, 'req-1');
  return { error, status: answer.statusCode, code: (JSON.parse(String(answer.body)) as { error: { code: string } }).error.code };
}

describe('apology preview through the preview function', () => {
  it('invokes the function synchronously with the request and passes its preview on', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: bytes(rendered) as never });

    expect(await preview({ locale: 'en', customer: false })).toEqual(rendered);
    const sent = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(sent).toMatchObject({ FunctionName: FUNCTION, InvocationType: 'RequestResponse' });
    expect(JSON.parse(new TextDecoder().decode(sent?.Payload as Uint8Array))).toEqual({ locale: 'en', customer: false });
  });

  it("answers 502 PREVIEW_FAILED with the function's error type and message when it failed", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: bytes({ errorType: 'ConfigurationError', errorMessage: 'bad link settings: helpUrl must use https', trace: ['…'] }) as never });

    const { error, status, code } = await failure();
    expect(error).toBeInstanceOf(ApologyPreviewFailedError);
    expect([status, code]).toEqual([502, 'PREVIEW_FAILED']);
    expect((error as Error).message).toBe(`the apology preview function ${FUNCTION} failed (Unhandled): ConfigurationError: bad link settings: helpUrl must use https`);
  });

  it('answers 502 PREVIEW_FAILED, never a half answer, when the function answers no preview', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: bytes({ ...rendered, html: undefined }) as never });

    const { error, status, code } = await failure();
    expect([status, code]).toEqual([502, 'PREVIEW_FAILED']);
    expect((error as Error).message).toContain('answered no preview');
  });

  it('answers 503 PREVIEW_UNAVAILABLE when Lambda throttles the function or fails, after the retries', async () => {
    lambda
      .on(InvokeCommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'Rate Exceeded.', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', $metadata: { httpStatusCode: 429 } }))
      .rejectsOnce(new ServiceException({ message: 'internal', $metadata: { httpStatusCode: 500 } }));
    const throttled = await failure();
    const broken = await failure();

    expect([throttled.status, throttled.code, broken.status, broken.code]).toEqual([503, 'PREVIEW_UNAVAILABLE', 503, 'PREVIEW_UNAVAILABLE']);
    expect(throttled.error).toBeInstanceOf(ApologyPreviewUnavailableError);
    expect((throttled.error as Error).message).toBe(
      `the apology preview function ${FUNCTION} is throttled; try again in a minute (TooManyRequestsException (ReservedFunctionConcurrentInvocationLimitExceeded): Rate Exceeded.)`,
    );
  });
});
