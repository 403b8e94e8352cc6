import { createServer } from 'node:net';
import { PortInUseError } from '../errors';
import type { EmulatorName } from './names';

/** Whether `port` is a TCP port number (0 = any free port). */
export function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= 65_535;
}

/** Asks the OS for a port that is free right now (for emulators that cannot bind port 0 themselves). */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await listen(server, 0, host);
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not read the free port');
  return address.port;
}

/**
 * Fails with {@link PortInUseError} when `port` is taken on `host`.
 * Checked up front because a readiness probe would otherwise happily talk to the squatter.
 */
export async function assertPortFree(emulator: EmulatorName, port: number, host: string): Promise<void> {
  const server = createServer();
  try {
    await listen(server, port, host);
  } catch (error) {
    if (isAddressInUse(error)) throw new PortInUseError(emulator, port, { cause: error });
    throw error;
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Whether an error is the OS saying the address is taken. */
export function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
