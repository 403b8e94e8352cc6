/**
 * Errors of the local stack: reading the cloud assembly, resolving the template,
 * provisioning into the emulators and running the functions. Each names the
 * template's logical id where there is one, so a failure points at the stack code.
 */

import { OperatorError } from '../operator-error';

/** Base class of every local-stack error. */
export class LocalStackError extends OperatorError {
  override name = 'LocalStackError';
}

/** `cdk synth` failed or produced no usable cloud assembly. */
export class SynthError extends LocalStackError {
  override name = 'SynthError';
}

/** The cloud assembly is missing a file the local stack needs (template, asset manifest, bundle). */
export class AssemblyError extends LocalStackError {
  override name = 'AssemblyError';
}

/** A template intrinsic function the local resolver does not implement (e.g. `Fn::ImportValue`). */
export class UnsupportedIntrinsicError extends LocalStackError {
  override name = 'UnsupportedIntrinsicError';
  constructor(
    readonly intrinsic: string,
    readonly logicalId: string | undefined,
    detail?: string,
    options?: ErrorOptions,
  ) {
    super(
      `${where(logicalId)}uses ${intrinsic}, which the local stack does not support` + (detail ? `: ${detail}` : '.'),
      options,
    );
  }
}

/** An intrinsic is malformed, or refers to something the template does not define. */
export class TemplateResolutionError extends LocalStackError {
  override name = 'TemplateResolutionError';
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
  override name = 'UnsupportedResourceTypeError';
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
  override name = 'UnsupportedPropertyError';
  constructor(
    readonly logicalId: string,
    readonly resourceType: string,
    readonly property: string,
    detail?: string,
    options?: ErrorOptions,
  ) {
    super(
      `Resource ${logicalId} (${resourceType}) sets ${property}, which the local stack does not support` +
        (detail ? `: ${detail}` : '.'),
      options,
    );
  }
}

/** Creating a resource in an emulator failed. */
export class ProvisioningError extends LocalStackError {
  override name = 'ProvisioningError';
  constructor(
    readonly logicalId: string,
    readonly resourceType: string,
    options?: ErrorOptions,
  ) {
    const cause = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`Could not create ${logicalId} (${resourceType}) in the local emulators${cause}`, options);
  }
}

/** A schedule expression (rate/cron/at) the local scheduler cannot parse or does not support. */
export class ScheduleExpressionError extends LocalStackError {
  override name = 'ScheduleExpressionError';
}

/** A function invocation did not complete: the handler threw, timed out, or its environment crashed. */
export class InvocationError extends LocalStackError {
  override name = 'InvocationError';
  constructor(
    readonly functionName: string,
    readonly kind: 'HandlerError' | 'Timeout' | 'RuntimeCrash' | 'InitError',
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${functionName}: ${kind}: ${message}`, options);
  }
}

/** The local stack's state file (written by `npm start`) is missing or unreadable. */
export class StackStateError extends LocalStackError {
  override name = 'StackStateError';
}

function where(logicalId: string | undefined): string {
  return logicalId ? `Resource ${logicalId} ` : 'The template ';
}
