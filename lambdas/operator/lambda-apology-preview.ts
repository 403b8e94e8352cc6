import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod/mini';
import { SUPPORTED_LOCALES } from '../directory/facts';
import type { ApologyPreview, ApologyPreviewRequest } from './apology-preview';
import { ApologyPreviewFailedError, ApologyPreviewUnavailableError } from './errors';

/** `apology preview`, as the operator's commands call it: the apology rendered elsewhere. */
export type PreviewApology = (request: ApologyPreviewRequest) => Promise<ApologyPreview>;

/** What the preview function answers; anything else is no preview (never passed on half). */
const previewAnswer = z.object({
  locale: z.enum(SUPPORTED_LOCALES),
  subject: z.string(),
  headers: z.array(z.object({ name: z.string(), value: z.string() })),
  html: z.string(),
  text: z.string(),
  linkGuardFindings: z.array(z.string()),
});

/** Lambda's error payload of a failed invocation (`X-Amz-Function-Error`). */
const functionErrorPayload = z.object({ errorType: z.optional(z.string()), errorMessage: z.optional(z.string()) });

/** How much of an error message an answer repeats (a stack trace or a long message stays in the log). */
const MESSAGE_CHARS = 500;

/**
 * `apology preview` through the apology preview function (`lambdas/operator/preview/`): one
 * synchronous `Invoke` of it with the validated request, its answer checked before it is passed
 * on. The renderer and the link guard's libraries live in that function, not in the operator's
 * bundle (bench/README.md, the operator's own + libs). A failure is one clear error, never a
 * half answer: the function's own error, or Lambda's refusal, as {@link ApologyPreviewFailedError};
 * throttling or no answer, after the SDK's retries (the preview sends nothing: a retry is
 * harmless), as {@link ApologyPreviewUnavailableError}.
 *
 * @example
 * const preview = lambdaApologyPreview(lambda, 'RegistryNotices-ApologyPreview');
 * await preview({ locale: 'de' }); // { locale: 'de', subject: 'Wir haben Ihnen …', … }
 */
export function lambdaApologyPreview(client: Pick<LambdaClient, 'send'>, functionName: string): PreviewApology {
  return async (request) => {
    let answer;
    try {
      answer = await client.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(request)) }),
      );
    } catch (error) {
      throw invokeError(error, functionName);
    }
    const text = answer.Payload ? new TextDecoder().decode(answer.Payload) : '';
    const payload = parseJson(text);
    if (answer.FunctionError) {
      const failure = functionErrorPayload.safeParse(payload);
      const what = failure.success ? [failure.data.errorType, failure.data.errorMessage].filter(Boolean).join(': ') : '';
      throw new ApologyPreviewFailedError(
        `the apology preview function ${functionName} failed (${answer.FunctionError}): ${clip(what || text || 'no error payload')}`,
      );
    }
    const preview = previewAnswer.safeParse(payload);
    if (!preview.success) throw new ApologyPreviewFailedError(`the apology preview function ${functionName} answered no preview: ${clip(text || '(empty)')}`);
    return preview.data;
  };
}

/** An `Invoke` that got no answer from the function: throttled or unreachable (try later), else refused. */
function invokeError(error: unknown, functionName: string): Error {
  const e = error as { name?: string; message?: string; Reason?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const what = `${e.name ?? 'Error'}${e.Reason ? ` (${e.Reason})` : ''}: ${clip(e.message ?? String(error))}`;
  if (status === undefined || status === 429 || status >= 500) {
    const why = status === 429 ? 'is throttled' : status === undefined ? 'could not be reached' : 'is not available';
    return new ApologyPreviewUnavailableError(`the apology preview function ${functionName} ${why}; try again in a minute (${what})`, { cause: error });
  }
  return new ApologyPreviewFailedError(`Lambda refused to invoke the apology preview function ${functionName} (${what})`, { cause: error });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function clip(text: string): string {
  return text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS)}…` : text;
}
