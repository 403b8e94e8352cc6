import { vi } from 'vitest';

/**
 * Collects what the code under test writes to stdout/stderr (Powertools logs and
 * EMF metrics go there) instead of printing it; `EMULATOR_LOG=1` lets it through too.
 */
export function captureOutput(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) => {
    const original = stream.write.bind(stream);
    return vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return process.env.EMULATOR_LOG ? (original as (...a: unknown[]) => boolean)(chunk, ...rest) : true;
    }) as typeof stream.write);
  });
  return { text: () => chunks.join(''), restore: () => spies.forEach((s) => s.mockRestore()) };
}
