import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithRequestContext, APIGatewayEventRequestContextV2 } from 'aws-lambda';
import type { IamCaller, ReceivedRequest } from './sigv4-verifier';

/** The event Lambda gives a function behind a function URL (payload format 2.0). */
export type FunctionUrlEvent = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & { readonly authorizer?: { readonly iam: IamCaller } }
>;

/** What the function URL answers the caller. */
export interface FunctionUrlResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/** Where the URL lives, for the event's `requestContext`. */
export interface FunctionUrlSite {
  /** The URL id (`<urlId>.lambda-url.<region>.on.aws` on AWS). */
  readonly urlId: string;
  readonly accountId: string;
  readonly sourceIp: string;
  /** @default new Date() */
  readonly now?: Date;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

/**
 * Builds the payload-2.0 event a function URL passes to its function: headers in lower case,
 * cookies apart, query string as given and as parameters (repeated keys joined with `,`), the
 * body as text or base64 (binary content types), and `requestContext` with the IAM caller
 * under `authorizer.iam` when the URL's auth type is `AWS_IAM`.
 *
 * @example
 * const event = functionUrlEvent(request, { urlId: 'abc', accountId: '000000000000', sourceIp: '127.0.0.1' }, caller);
 * event.requestContext.authorizer?.iam.userArn // 'arn:aws:iam::000000000000:user/alice'
 */
export function functionUrlEvent(request: ReceivedRequest, site: FunctionUrlSite, caller?: IamCaller): FunctionUrlEvent {
  const now = site.now ?? new Date();
  const { cookie, ...headers } = request.headers;
  const query: Record<string, string> = {};
  for (const key of new Set(request.query.keys())) query[key] = request.query.getAll(key).join(',');
  const rawQueryString = request.query.toString();
  const contentType = headers['content-type'] ?? '';
  const binary = request.body.length > 0 && !TEXT_TYPES.test(contentType);
  const domainName = headers.host ?? `${site.urlId}.lambda-url.local`;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.rawPath,
    rawQueryString,
    ...(cookie === undefined ? {} : { cookies: cookie.split(/;\s*/).filter((c) => c !== '') }),
    headers,
    ...(rawQueryString === '' ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: caller ? caller.accountId : 'anonymous',
      apiId: site.urlId,
      ...(caller ? { authorizer: { iam: caller } } : {}),
      domainName,
      domainPrefix: domainName.split('.')[0] ?? site.urlId,
      http: {
        method: request.method,
        path: decodeURIComponent(request.rawPath),
        protocol: 'HTTP/1.1',
        sourceIp: site.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: formatRequestTime(now),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length === 0 ? {} : { body: binary ? request.body.toString('base64') : request.body.toString('utf8') }),
    isBase64Encoded: binary,
  };
}

/**
 * Turns what the handler returned into the HTTP answer, as Lambda does for function URLs:
 * an object with `statusCode` is taken as the response (headers, cookies, body, base64);
 * anything else is a 200 with the value as its JSON body.
 *
 * @example
 * functionUrlResponse({ statusCode: 400, body: '{"error":"x"}' }).statusCode // 400
 * functionUrlResponse({ ok: true }).headers['content-type'] // 'application/json'
 */
export function functionUrlResponse(payload: unknown): FunctionUrlResponse {
  if (payload !== null && typeof payload === 'object' && 'statusCode' in payload) {
    const r = payload as { statusCode: unknown; headers?: Record<string, unknown>; cookies?: unknown; body?: unknown; isBase64Encoded?: unknown };
    const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const text = r.body === undefined || r.body === null ? '' : String(r.body);
    return {
      statusCode: Number(r.statusCode),
      headers,
      cookies: Array.isArray(r.cookies) ? r.cookies.map(String) : [],
      body: r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
    };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(payload === undefined ? 'null' : JSON.stringify(payload), 'utf8'),
  };
}

/** Lambda's `requestContext.time` format: `12/Mar/2024:19:03:58 +0000`. */
function formatRequestTime(at: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(at.getUTCDate())}/${months[at.getUTCMonth()]}/${at.getUTCFullYear()}:${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`;
}
