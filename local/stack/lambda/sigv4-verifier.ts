import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { LOCAL_ACCOUNT_ID } from '../../emulators/local-aws';

/** A request as the server received it, enough to check its signature. */
export interface ReceivedRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  /** Header names in lower case; repeated headers joined with `,`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Who signed a request, shaped as Lambda's `requestContext.authorizer.iam`. */
export interface IamCaller {
  readonly accessKey: string;
  readonly accountId: string;
  readonly callerId: string;
  readonly cognitoIdentity: null;
  readonly principalOrgId: null;
  readonly userArn: string;
  readonly userId: string;
}

/** What {@link verifySigV4} found. */
export type SigV4Verdict = { readonly ok: true; readonly caller: IamCaller } | { readonly ok: false; readonly reason: string };

/** Options of {@link verifySigV4}. */
export interface SigV4Options {
  /** Region the signature must be scoped to. */
  readonly region: string;
  /** Service the signature must be scoped to. @default 'lambda' */
  readonly service?: string;
  /**
   * The secret of a local access key, or undefined for an unknown key.
   * @default the key id itself (access key `alice` has secret `alice`), see {@link localSecretOf}
   */
  readonly secretOf?: (accessKeyId: string) => string | undefined;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** How far a request's `X-Amz-Date` may be from now, as AWS allows. */
const MAX_SKEW_MS = 5 * 60_000;
const AUTH_PATTERN = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/**
 * The local credential store: every access key's secret is its own id, so `alice`/`alice`
 * and `bob`/`bob` are two principals, and the emulators' `local`/`local` is a third.
 */
export function localSecretOf(accessKeyId: string): string {
  return accessKeyId;
}

/**
 * The local IAM user of an access key, as a function URL's IAM authorizer reports it.
 *
 * @example
 * localCallerOf('alice').userArn // 'arn:aws:iam::000000000000:user/alice'
 */
export function localCallerOf(accessKeyId: string): IamCaller {
  // IAM user ids start with AIDA; a hash keeps it stable per key and of the usual shape.
  const userId = `AIDA${createHash('sha256').update(accessKeyId).digest('hex').slice(0, 17).toUpperCase()}`;
  return {
    accessKey: accessKeyId,
    accountId: LOCAL_ACCOUNT_ID,
    callerId: userId,
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${accessKeyId}`,
    userId,
  };
}

/**
 * Checks a request's SigV4 `Authorization` header as a function URL with `AuthType: AWS_IAM`
 * does before it invokes the function: the scope (region, service), the date (within 5
 * minutes), the payload hash, and the signature itself, recomputed with the key's secret by
 * the SDK's own signer over exactly the headers the caller signed. Hand-written around the
 * signer because no library verifies SigV4 on the server side.
 *
 * @example
 * const verdict = await verifySigV4(request, { region: 'us-east-1' });
 * if (verdict.ok) verdict.caller.userArn // 'arn:aws:iam::000000000000:user/alice'
 */
export async function verifySigV4(request: ReceivedRequest, options: SigV4Options): Promise<SigV4Verdict> {
  const service = options.service ?? 'lambda';
  const fail = (reason: string): SigV4Verdict => ({ ok: false, reason });
  const authorization = request.headers.authorization;
  if (authorization === undefined) {
    return fail(request.query.has('X-Amz-Signature') ? 'presigned URLs are not supported locally; sign the Authorization header' : 'the request is not signed');
  }
  const match = AUTH_PATTERN.exec(authorization);
  if (!match) return fail('the Authorization header is not AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…');
  const [, accessKeyId, day, region, scopeService, signedHeaderList, signature] = match as unknown as string[];
  if (region !== options.region || scopeService !== service) {
    return fail(`the signature is scoped to ${region}/${scopeService}, expected ${options.region}/${service}`);
  }
  const secret = (options.secretOf ?? localSecretOf)(accessKeyId!);
  if (secret === undefined) return fail(`unknown access key ${accessKeyId}`);

  const amzDate = request.headers['x-amz-date'];
  const signedAt = amzDate === undefined ? Number.NaN : Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (Number.isNaN(signedAt) || amzDate!.slice(0, 8) !== day) return fail('X-Amz-Date is missing or does not match the credential scope');
  if (Math.abs((options.now?.() ?? new Date()).getTime() - signedAt) > MAX_SKEW_MS) return fail('the signature has expired (X-Amz-Date more than 5 minutes away)');

  const signedHeaders = signedHeaderList!.split(';');
  if (!signedHeaders.includes('host')) return fail('the host header must be signed');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return fail(`signed header ${name} is missing`);
    headers[name] = value;
  }
  const contentHash = headers['x-amz-content-sha256'];
  if (contentHash !== undefined && contentHash !== createHash('sha256').update(request.body).digest('hex')) {
    return fail('the body does not match x-amz-content-sha256');
  }

  const signer = new SignatureV4({
    credentials: { accessKeyId: accessKeyId!, secretAccessKey: secret, sessionToken: headers['x-amz-security-token'] },
    region: options.region,
    service,
    sha256: Hash.bind(null, 'sha256'),
    // Only what the caller sent is hashed; nothing is added to the request.
    applyChecksum: false,
  });
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(request.query.keys())) {
    const values = request.query.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  const [hostname, port] = (headers.host ?? '').split(':');
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: hostname ?? '',
      ...(port ? { port: Number(port) } : {}),
      // The signer escapes the path again, as the caller's did before sending it.
      path: decodeURIComponent(request.rawPath),
      query,
      headers,
      body: request.body,
    },
    { signingDate: new Date(signedAt), signableHeaders: new Set(signedHeaders) },
  );
  const recomputed = /Signature=([0-9a-f]{64})$/.exec(String(expected.headers.authorization))?.[1] ?? '';
  if (recomputed.length !== signature!.length || !timingSafeEqual(Buffer.from(recomputed), Buffer.from(signature!))) {
    return fail('the signature does not match (locally, the secret of an access key is the key id itself)');
  }
  return { ok: true, caller: localCallerOf(accessKeyId!) };
}
