import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailNotAcceptedError, MailOutcomeUnknownError } from '../../lambdas/platform/function-errors';
import { SesMailer } from '../../lambdas/mail/ses/ses-mailer';
import { sesClient } from '../../lambdas/platform/aws/ses-client';
import { findFreePort, LOCAL_CREDENTIALS, RestartableSes } from '@registry-notices/local-stack';

const EMAIL = { to: 'ann@ses-faults.example.com', subject: 'Hello', html: '<p>Hi</p>', text: 'Hi', tags: { template: 'test' } };

/** A mailer over the functions' SESv2Client (`sesClient`), pointed at `endpoint`, with short timeouts and two attempts. */
function mailerAt(endpoint: string): SesMailer {
  const client = sesClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 2, socketTimeoutMs: 400 });
  return new SesMailer({ client, fromAddress: 'gifts@notices.example.com', configurationSetName: 'cs' });
}

/** What a send came to: the message id, or the error's class and its `because`. */
async function outcome(mailer: SesMailer): Promise<string> {
  try {
    return `SENT ${await mailer.send(EMAIL)}`;
  } catch (error) {
    if (error instanceof MailNotAcceptedError) return `NOT_ACCEPTED ${error.because}`;
    if (error instanceof MailOutcomeUnknownError) return 'UNKNOWN';
    throw error;
  }
}

/** A server that plays one way of failing, and counts the requests (or connections) it saw. */
async function misbehaving(kind: 'http', handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; seen: () => number; close: () => Promise<void> }>;
async function misbehaving(kind: 'tcp', handle: (socket: Socket) => void): Promise<{ url: string; seen: () => number; close: () => Promise<void> }>;
async function misbehaving(kind: 'http' | 'tcp', handle: (a: never, b: never) => void) {
  let seen = 0;
  const server: Server | ReturnType<typeof createTcpServer> =
    kind === 'http'
      ? createHttpServer((req, res) => {
          seen += 1;
          (handle as (req: IncomingMessage, res: ServerResponse) => void)(req, res);
        })
      : createTcpServer((socket) => {
          seen += 1;
          (handle as (socket: Socket) => void)(socket);
        });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `${kind === 'tcp' ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen: () => seen,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A peer that answers every request with SES's JSON error: `status`, `x-amzn-errortype: errorType` and `message`. */
function answeringError(status: number, errorType: string, message: string) {
  return misbehaving('http', (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': errorType }).end(JSON.stringify({ message }));
  });
}

/** The outcome of one send to a misbehaving peer, closed after. */
async function outcomeAt(peer: { url: string; close: () => Promise<void> }): Promise<string> {
  try {
    return await outcome(mailerAt(peer.url));
  } finally {
    await peer.close();
  }
}

describe('SES send failures through SESv2Client with our request handler and retry strategy, judged by what SES can have received', () => {
  describe('the SES emulator killed and restarted', () => {
    let ses: RestartableSes;

    beforeAll(async () => {
      ses = await RestartableSes.start();
    });

    afterAll(async () => {
      await ses?.stop();
    });

    it('refuses connections while it is down: nothing was sent, so the send may be retried; after the restart it goes through', async () => {
      // Prepare
      const mailer = mailerAt(ses.url);
      const before = await outcome(mailer);

      // Act
      await ses.kill();
      const whileDown = await outcome(mailer);
      await ses.restart();
      const after = await outcome(mailer);

      // Assess
      expect(before).toMatch(/^SENT /);
      expect(whileDown).toBe('NOT_ACCEPTED UNREACHABLE');
      expect(after).toMatch(/^SENT /);
      // It kept the first email across the restart, and never got the refused one.
      expect(await ses.messageIds()).toEqual([before.slice(5), after.slice(5)]);
    });
  });

  it('a port nobody listens on: connection refused, not sent', async () => {
    // Prepare
    const mailer = mailerAt(`http://127.0.0.1:${await findFreePort()}`);

    // Act
    const result = await outcome(mailer);

    // Assess
    expect(result).toBe('NOT_ACCEPTED UNREACHABLE');
  });

  it('a host name that does not resolve: not sent', async () => {
    // Prepare
    const mailer = mailerAt('http://email.ses-faults.invalid');

    // Act
    const result = await outcome(mailer);

    // Assess
    expect(result).toBe('NOT_ACCEPTED UNREACHABLE');
  });

  it('a TLS handshake that fails before any request byte: not sent', async () => {
    // Prepare: a TCP peer that answers the TLS hello with plain text.
    const peer = await misbehaving('tcp', (socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));

    // Act
    const result = await outcomeAt(peer);

    // Assess
    expect(result).toBe('NOT_ACCEPTED UNREACHABLE');
    expect(peer.seen()).toBeGreaterThanOrEqual(1);
  });

  it('a 5xx answer: not sent, and retried by the SDK', async () => {
    // Prepare
    const peer = await answeringError(500, 'InternalFailure', 'internal');

    // Act
    const result = await outcomeAt(peer);

    // Assess
    expect(result).toBe('NOT_ACCEPTED SES_ERROR');
    expect(peer.seen()).toBe(2);
  });

  it('throttling: not sent', async () => {
    // Prepare
    const peer = await answeringError(429, 'TooManyRequestsException', 'slow down');

    // Act
    const result = await outcomeAt(peer);

    // Assess
    expect(result).toBe('NOT_ACCEPTED THROTTLED');
  });

  it('a reset after the request was written: unknown, and never sent a second time', async () => {
    // Prepare: the peer reads the whole request, then resets the connection.
    const peer = await misbehaving('http', (req) => req.resume().once('end', () => req.socket.resetAndDestroy()));

    // Act
    const result = await outcomeAt(peer);

    // Assess
    expect(result).toBe('UNKNOWN');
    expect(peer.seen()).toBe(1);
  });

  it('no answer after the request was written (socket timeout): unknown, and never sent a second time', async () => {
    // Prepare: the peer reads the request and says nothing.
    const peer = await misbehaving('http', (req) => req.resume());

    // Act
    const result = await outcomeAt(peer);

    // Assess
    expect(result).toBe('UNKNOWN');
    expect(peer.seen()).toBe(1);
  });
});
