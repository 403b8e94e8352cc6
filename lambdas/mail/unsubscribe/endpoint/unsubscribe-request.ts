import * as z from 'zod/mini';
import { fieldNamesOf } from '../../../platform/contract-schema';
import type { Locale } from '../../../directory/facts';
import { ALL_MAIL_FIELD, ALL_MAIL_VALUE, FROM_PAGE_FIELD, languageFromAcceptLanguage } from '../../render/unsubscribe-page';
import { MAX_TOKEN_LENGTH } from '../unsubscribe-token';
import { UnsubscribeVia } from '../../ports/unsubscribes';

/** A form body is a few dozen bytes (`List-Unsubscribe=One-Click`); anything far larger is not one. */
const MAX_BODY_CHARS = 4096;

/** A request to the unsubscribe endpoint once validated. */
export interface UnsubscribeRequest {
  /** GET shows the confirmation page and changes nothing; POST unsubscribes. */
  readonly method: 'GET' | 'POST';
  /** As it came; the use case reads and checks it. */
  readonly token: string;
  /** The confirmation page's second button: stop every email, whatever the link's scope. */
  readonly allMail: boolean;
  readonly via: UnsubscribeVia;
  /** The browser's language, for pages about a link that says none. */
  readonly language: Locale;
}

/**
 * The function URL event as the endpoint accepts it: GET or POST, the token in the `token`
 * query parameter (other parameters, such as a mail client's tracking ones, are ignored), a
 * small body. The body is not required to be `List-Unsubscribe=One-Click`: mail providers send it
 * urlencoded or as multipart, and RFC 8058 makes the POST itself the act. Only our page's
 * `scope=all` and `via=page` fields are read from it.
 */
const eventSchema = z.object({
  requestContext: z.object({ http: z.object({ method: z.enum(['GET', 'POST'], { error: 'must be GET or POST' }) }) }),
  queryStringParameters: z.object({
    token: z.string({ error: 'is required' }).check(z.minLength(1, { error: 'is required' }), z.maxLength(MAX_TOKEN_LENGTH, { error: `must be at most ${MAX_TOKEN_LENGTH} characters` })),
  }),
  headers: z.optional(z.record(z.string(), z.optional(z.string()))),
  body: z.optional(z.string().check(z.maxLength(MAX_BODY_CHARS, { error: `must be at most ${MAX_BODY_CHARS} characters` }))),
  isBase64Encoded: z.optional(z.boolean()),
});

/** The contract of the endpoint's event, for `eventValidationMiddleware`; the parsed value is an {@link UnsubscribeRequest}. */
export const unsubscribeRequestSchema = z.pipe(
  eventSchema,
  z.transform((event): UnsubscribeRequest => {
    const body = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    const form = new URLSearchParams(body);
    return {
      method: event.requestContext.http.method,
      token: event.queryStringParameters.token,
      allMail: form.get(ALL_MAIL_FIELD) === ALL_MAIL_VALUE,
      via: form.get(FROM_PAGE_FIELD) === 'page' ? UnsubscribeVia.PAGE : UnsubscribeVia.ONE_CLICK,
      language: acceptLanguageOf(event),
    };
  }),
);

/** The field names of the contract: what an error may show unmasked. */
export const UNSUBSCRIBE_REQUEST_FIELDS: ReadonlySet<string> = fieldNamesOf(eventSchema);

/** The browser's language from any event, valid or not (a refused request is answered in it too). */
export function acceptLanguageOf(event: unknown): Locale {
  const headers = (event as { headers?: Record<string, string | undefined> } | null)?.headers;
  return languageFromAcceptLanguage(typeof headers === 'object' && headers !== null ? headers['accept-language'] : undefined);
}
