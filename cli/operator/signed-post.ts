import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** Credentials as the signer takes them: fixed ones, or a provider (the SDK's default chain). */
export type SigningCredentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

/** Where and as whom to POST. */
export interface SignedPostTarget {
  /** The function URL, e.g. `https://abc….lambda-url.eu-central-1.on.aws/` or `http://127.0.0.1:9000/`. */
  readonly url: string;
  /** Region the signature is scoped to (the function's). */
  readonly region: string;
  /** Whose signature; `undefined` sends the request unsigned (an `AuthType: NONE` URL). */
  readonly credentials?: SigningCredentials;
  /** @default 'lambda' */
  readonly service?: string;
}

/** The HTTP answer, body as text. */
export interface PostAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * POSTs a JSON body to a Lambda function URL, signed with SigV4 for service `lambda` (as an
 * `AuthType: AWS_IAM` URL requires) by the SDK's own signer, over `fetch`.
 *
 * @example
 * const answer = await signedPost({ url, region: 'eu-central-1', credentials: fromNodeProviderChain() }, '{"command":"incident list"}');
 */
export async function signedPost(target: SignedPostTarget, json: string): Promise<PostAnswer> {
  const url = new URL(target.url);
  const headers: Record<string, string> = { host: url.host, 'content-type': 'application/json' };
  let signedHeaders = headers;
  if (target.credentials !== undefined) {
    const signer = new SignatureV4({
      credentials: target.credentials,
      region: target.region,
      service: target.service ?? 'lambda',
      sha256: Hash.bind(null, 'sha256'),
    });
    const query: Record<string, string> = Object.fromEntries(url.searchParams);
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers,
      body: json,
    });
    signedHeaders = signed.headers as Record<string, string>;
  }
  // fetch sets Host itself from the URL (the same value that was signed).
  const { host: _host, ...sent } = signedHeaders;
  const response = await fetch(url, { method: 'POST', headers: sent, body: json });
  return { status: response.status, body: await response.text() };
}

/**
 * The region of an AWS function URL (`<id>.lambda-url.<region>.on.aws`), or undefined.
 *
 * @example
 * regionOfFunctionUrl('https://abc.lambda-url.eu-central-1.on.aws/') // 'eu-central-1'
 */
export function regionOfFunctionUrl(url: string): string | undefined {
  return /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(new URL(url).hostname)?.[1];
}
