import { OperatorError } from '../operator-error';
import { portEnvVar, type EmulatorName } from './names';

/** Base class of every error raised while starting or stopping the local emulators. */
export class EmulatorError extends OperatorError {
  override name = 'EmulatorError';
}

/** A requested port is already bound by another process. */
export class PortInUseError extends EmulatorError {
  override name = 'PortInUseError';
  constructor(
    readonly emulator: EmulatorName,
    readonly port: number,
    options?: ErrorOptions,
  ) {
    super(
      `Port ${port} for the ${emulator} emulator is already in use. ` +
        `Stop whatever is listening there (\`ss -ltnp 'sport = :${port}'\` shows it), ` +
        `or pick another port: set ${portEnvVar(emulator)}=<port> (0 = any free port) ` +
        `or pass { ports: { ${emulator}: <port> } } to startEmulators().`,
      options,
    );
  }
}

/** Java, which DynamoDB Local needs, is missing or older than required. */
export class JavaUnavailableError extends EmulatorError {
  override name = 'JavaUnavailableError';
}

/** The running Node.js is too old for an emulator (fauxqs needs `node:sqlite`). */
export class UnsupportedNodeError extends EmulatorError {
  override name = 'UnsupportedNodeError';
}

/** An emulator process exited before it became ready (or while it was expected to run). */
export class EmulatorExitedError extends EmulatorError {
  override name = 'EmulatorExitedError';
  constructor(
    readonly emulator: EmulatorName,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly lastOutput: readonly string[],
    options?: ErrorOptions,
  ) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    const tail = lastOutput.length > 0 ? `\nLast output:\n  ${lastOutput.join('\n  ')}` : ' (no output)';
    super(`The ${emulator} emulator ${how} before it was ready.${tail}`, options);
  }
}

/** An emulator did not answer its readiness check in time. */
export class EmulatorStartTimeoutError extends EmulatorError {
  override name = 'EmulatorStartTimeoutError';
}

/** More than one emulator failed to start; `errors` holds each failure. */
export class EmulatorsStartError extends EmulatorError {
  override name = 'EmulatorsStartError';
  constructor(readonly errors: readonly Error[]) {
    super(`${errors.length} emulators failed to start:\n- ${errors.map((e) => e.message).join('\n- ')}`, {
      cause: errors[0],
    });
  }
}
