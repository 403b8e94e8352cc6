/** A `FunctionName` of the Lambda API, taken apart. */
export interface FunctionNameParts {
  /** The function's name. */
  readonly name: string;
  /** A version or alias after the name (`my-function:v1`), if any. */
  readonly qualifier?: string;
  /** Given by a full ARN only. */
  readonly region?: string;
  /** Given by a full or partial ARN. */
  readonly accountId?: string;
}

/**
 * A `FunctionName` as Lambda accepts it (and the SDK sends it, URL-decoded): the name
 * (`my-function`), the full ARN (`arn:aws:lambda:us-east-1:123456789012:function:my-function`) or
 * the partial one (`123456789012:function:my-function`), each optionally with `:<qualifier>`.
 * Undefined when it is none of these.
 *
 * @example
 * functionNameParts('arn:aws:lambda:us-east-1:000000000000:function:Preview:live') // { name: 'Preview', qualifier: 'live', region: 'us-east-1', accountId: '000000000000' }
 */
export function functionNameParts(functionName: string): FunctionNameParts | undefined {
  const full = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/.exec(functionName);
  if (full) return { name: full[3] ?? '', region: full[1], accountId: full[2], ...(full[4] ? { qualifier: full[4] } : {}) };
  const partial = /^(\d{12}):function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/.exec(functionName);
  if (partial) return { name: partial[2] ?? '', accountId: partial[1], ...(partial[3] ? { qualifier: partial[3] } : {}) };
  const bare = /^([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/.exec(functionName);
  if (bare) return { name: bare[1] ?? '', ...(bare[2] ? { qualifier: bare[2] } : {}) };
  return undefined;
}

/** The function and qualifier an Invoke request names: `/2015-03-31/functions/{FunctionName}/invocations[?Qualifier=…]`. */
export function invokeTarget(url: string): { readonly functionName: string; readonly qualifier?: string } | undefined {
  const parsed = new URL(url, 'http://local');
  const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/.exec(parsed.pathname);
  if (!match) return undefined;
  let functionName: string;
  try {
    functionName = decodeURIComponent(match[1] ?? '');
  } catch {
    return undefined;
  }
  const qualifier = parsed.searchParams.get('Qualifier');
  return { functionName, ...(qualifier ? { qualifier } : {}) };
}
