import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * Headers of every page: no script, no frame, no outgoing referrer (the token is in the URL),
 * no caching (a page belongs to one moment of one link), no indexing.
 */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex',
} as const;

/**
 * A page as the function URL returns it.
 *
 * @example
 * pageAnswer(400, '<!doctype html>…') // { statusCode: 400, headers: { 'content-type': 'text/html; charset=utf-8', … }, body: … }
 */
export function pageAnswer(statusCode: number, html: string, extraHeaders: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...PAGE_HEADERS, ...extraHeaders }, body: html };
}
