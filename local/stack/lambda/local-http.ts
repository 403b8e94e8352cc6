import type { IncomingMessage, Server } from 'node:http';

/** Lambda's limit on a synchronous invocation's request payload (6 MB), which a function URL's request shares. */
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

/** The body, or undefined once it passes {@link MAX_REQUEST_BYTES} (the rest is drained, not kept). */
export async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
  }
  return size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks);
}

/** Listens on 127.0.0.1 (`port` 0: any free one); rejects with the listen error (EADDRINUSE...). */
export async function listenLocal(server: Server, port = 0, exclusive = false): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
