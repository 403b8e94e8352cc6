import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Keys of the SigV4 specification's examples, with a session token. */
export const KEYS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' };

/** One request as a {@link scriptedServer} received it. */
export interface Captured {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A reply a {@link scriptedServer} gives: status, JSON body, extra headers. */
export interface ScriptedReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** An HTTP server that records each request and answers with the next scripted reply (the last one again once they run out). */
export async function scriptedServer(replies: ScriptedReply[]): Promise<{ url: string; requests: Captured[]; server: Server }> {
  const requests: Captured[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = replies[Math.min(requests.length - 1, replies.length - 1)]!;
      response.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1', ...reply.headers }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

/**
 * Signature Version 4 recomputed from the specification with node:crypto alone, so a test
 * does not check the signer against itself. For requests without a query string, whose path
 * needs no encoding.
 */
export function expectedSignature(request: Captured, secret: string): string {
  const auth = String(request.headers.authorization);
  const [, credential = '', signedHeaders = ''] = /Credential=([^,]+), SignedHeaders=([^,]+), Signature=/.exec(auth) ?? [];
  const scope = credential.split('/').slice(1).join('/');
  const [date = '', region = '', service = ''] = scope.split('/');
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${String(request.headers[name]).trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [request.method, request.path, '', canonicalHeaders, signedHeaders, sha256(request.body)].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', String(request.headers['x-amz-date']), scope, sha256(canonicalRequest)].join('\n');
  const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
  const signingKey = [date, region, service, 'aws4_request'].reduce<string | Buffer>((key, part) => hmac(key, part), `AWS4${secret}`);
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}
