/**
 * Errors of the local stack, each written for the person at the terminal (what is wrong, what
 * to do): starting the emulators, reading the cloud assembly, resolving the template,
 * provisioning into the emulators and running the functions. Those about a template name its
 * logical id, so a failure points at the stack code. A caller prints the message of a
 * {@link LocalStackError} without a stack trace; anything else is a bug and keeps its stack.
 */
import { portEnvVar, type EmulatorName } from './emulators/names';

/** Base class of every error of the local stack; `name` is the class's name. */
export class LocalStackError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

// ---- Emulators ----

/** Base class of every error raised while starting or stopping the local emulators. */
export class EmulatorError extends LocalStackError {}

/** A requested port is already bound by another process. */
export class PortInUseError extends EmulatorError {
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
export class JavaUnavailableError extends EmulatorError {}

/** The running Node.js is too old for an emulator (fauxqs needs `node:sqlite`). */
export class UnsupportedNodeError extends EmulatorError {}

/** An emulator process exited before it became ready (or while it was expected to run). */
export class EmulatorExitedError extends EmulatorError {
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
export class EmulatorStartTimeoutError extends EmulatorError {}

/** More than one emulator failed to start; `errors` holds each failure. */
export class EmulatorsStartError extends EmulatorError {
  constructor(readonly errors: readonly Error[]) {
    super(`${errors.length} emulators failed to start:\n- ${errors.map((e) => e.message).join('\n- ')}`, { cause: errors[0] });
  }
}

// ---- Assembly, template and provisioning ----

/** `cdk synth` failed or produced no usable cloud assembly. */
export class SynthError extends LocalStackError {}

/** The cloud assembly is missing a file the local stack needs (template, asset manifest, bundle). */
export class AssemblyError extends LocalStackError {}

/** A template intrinsic function the local resolver does not implement (e.g. `Fn::ImportValue`). */
export class UnsupportedIntrinsicError extends LocalStackError {
  constructor(
    readonly intrinsic: string,
    readonly logicalId: string | undefined,
    detail?: string,
    options?: ErrorOptions,
  ) {
    super(`${where(logicalId)}uses ${intrinsic}, which the local stack does not support` + (detail ? `: ${detail}` : '.'), options);
  }
}

/** An intrinsic is malformed, or refers to something the template does not define. */
export class TemplateResolutionError extends LocalStackError {
  constructor(
    readonly logicalId: string | undefined,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${where(logicalId)}cannot be resolved: ${detail}`, options);
  }
}

/**
 * A resource type the local stack neither runs nor lists as "ignored locally".
 * New types must be added to `resource-types.ts` on purpose, never skipped silently.
 */
export class UnsupportedResourceTypeError extends LocalStackError {
  constructor(
    readonly logicalId: string,
    readonly resourceType: string,
    options?: ErrorOptions,
  ) {
    super(
      `Resource ${logicalId} has type ${resourceType}, which the local stack does not support. ` +
        `Either emulate it (local/stack/provision) or, if it has no local meaning, list it as ignored ` +
        `in local/stack/template/resource-types.ts with the reason.`,
      options,
    );
  }
}

/** A property of a supported resource that the local stack cannot honour. */
export class UnsupportedPropertyError extends LocalStackError {
  constructor(
    readonly logicalId: string,
    readonly resourceType: string,
    readonly property: string,
    detail?: string,
    options?: ErrorOptions,
  ) {
    super(`Resource ${logicalId} (${resourceType}) sets ${property}, which the local stack does not support` + (detail ? `: ${detail}` : '.'), options);
  }
}

/** Creating a resource in an emulator failed. */
export class ProvisioningError extends LocalStackError {
  constructor(
    readonly logicalId: string,
    readonly resourceType: string,
    options?: ErrorOptions,
  ) {
    const cause = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`Could not create ${logicalId} (${resourceType}) in the local emulators${cause}`, options);
  }
}

// ---- Running ----

/** A schedule expression (rate/cron/at) the local scheduler cannot parse or does not support. */
export class ScheduleExpressionError extends LocalStackError {}

/** What Lambda answers a synchronous caller about a failed invocation (`X-Amz-Function-Error: Unhandled`). */
export interface FunctionErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  /** The stack trace's lines, when the handler (or its init) threw. */
  readonly trace?: readonly string[];
}

/** A function invocation did not complete: the handler threw, timed out, or its environment crashed. */
export class InvocationError extends LocalStackError {
  constructor(
    readonly functionName: string,
    readonly kind: 'HandlerError' | 'Timeout' | 'RuntimeCrash' | 'InitError',
    message: string,
    options?: ErrorOptions & {
      /** Lambda's error payload for the caller; when absent, one is made from `kind` and `message` ({@link payload}). */
      readonly payload?: FunctionErrorPayload;
    },
  ) {
    super(`${functionName}: ${kind}: ${message}`, options);
    this.#payload = options?.payload;
    this.#detail = message;
  }

  readonly #payload: FunctionErrorPayload | undefined;
  readonly #detail: string;

  /** The error payload Lambda answers for it: the handler's error type, message and trace, or the runtime's for a timeout or crash. */
  get payload(): FunctionErrorPayload {
    if (this.#payload) return this.#payload;
    const errorType = this.kind === 'Timeout' ? 'Sandbox.Timedout' : this.kind === 'RuntimeCrash' ? 'Runtime.ExitError' : this.kind === 'InitError' ? 'Runtime.InitError' : 'Error';
    return { errorType, errorMessage: `Error: ${this.#detail}` };
  }
}

/** The local stack's state file (written by whoever runs the stack, e.g. `npm start`) is missing or unreadable. */
export class StackStateError extends LocalStackError {}

/** A request to an emulator that the local IAM gate cannot classify (action, resource): refused rather than let through unchecked. */
export class UnclassifiedRequestError extends LocalStackError {}

function where(logicalId: string | undefined): string {
  return logicalId ? `Resource ${logicalId} ` : 'The template ';
}
