import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assertJavaAvailable, EmulatorExitedError, JavaUnavailableError, manageChild, waitUntilReady } from '@registry-notices/local-stack';

describe('emulator start-up failures', () => {
  it('reports a process that exits before it is ready with its exit code and last output', async () => {
    // Prepare
    const script = 'console.log("starting"); console.error("Error: no database"); process.exit(3)';
    const child = manageChild('ses', spawn(process.execPath, ['-e', script]), () => {});

    // Act
    const ready = waitUntilReady({ emulator: 'ses', port: 1, child, timeoutMs: 10_000, probe: async () => false });

    // Assess
    await expect(ready).rejects.toSatisfy(
      (error) =>
        error instanceof EmulatorExitedError &&
        error.exitCode === 3 &&
        error.lastOutput.includes('Error: no database') &&
        error.message.includes('Error: no database'),
    );
  });

  it('says how to install Java when it is missing', async () => {
    // Act
    const check = assertJavaAvailable('no-such-java-binary');

    // Assess
    await expect(check).rejects.toBeInstanceOf(JavaUnavailableError);
    await expect(check).rejects.toThrow(/apt-get install openjdk-17-jre-headless/);
  });
});
