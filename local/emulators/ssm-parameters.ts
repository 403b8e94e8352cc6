import { EmulatedApiError } from './aws-json-server';

/** SSM parameter types. */
export type ParameterType = 'String' | 'StringList' | 'SecureString';

/** A parameter as the emulator holds it. */
export interface StoredParameter {
  name: string;
  type: ParameterType;
  value: string;
  version: number;
  lastModified: Date;
  dataType: string;
  description?: string;
}

/** An SSM API error, rendered as `{ "__type": code, "message": ... }` with HTTP 400. */
export class SsmApiError extends EmulatedApiError {
  override name = 'SsmApiError';
}

const TYPES: readonly string[] = ['String', 'StringList', 'SecureString'];
const MAX_NAMES_PER_GET = 10;

/** Input of {@link ParameterStore.put}, as in the PutParameter request. */
export interface PutParameterInput {
  Name?: unknown;
  Value?: unknown;
  Type?: unknown;
  Overwrite?: unknown;
  Description?: unknown;
  DataType?: unknown;
  Tags?: unknown;
}

/** In-memory Parameter Store with the semantics of the operations the emulator supports. */
export class ParameterStore {
  private readonly parameters = new Map<string, StoredParameter>();

  /** GetParameter: the parameter or `ParameterNotFound`. */
  get(name: unknown): StoredParameter {
    const found = this.parameters.get(requireName(name));
    if (!found) throw new SsmApiError('ParameterNotFound', `Parameter ${String(name)} not found.`);
    return found;
  }

  /** GetParameters: found parameters plus the names that were not found, each name once. */
  getMany(names: unknown): { found: StoredParameter[]; invalid: string[] } {
    if (!Array.isArray(names) || names.length === 0) {
      throw new SsmApiError('ValidationException', 'Names must contain at least 1 parameter name.');
    }
    const unique = [...new Set(names.map(requireName))];
    if (unique.length > MAX_NAMES_PER_GET) {
      throw new SsmApiError('ValidationException', `Names must contain at most ${MAX_NAMES_PER_GET} parameter names.`);
    }
    const found: StoredParameter[] = [];
    const invalid: string[] = [];
    for (const name of unique) {
      const parameter = this.parameters.get(name);
      if (parameter) found.push(parameter);
      else invalid.push(name);
    }
    return { found, invalid };
  }

  /** PutParameter: creates version 1, or the next version when `Overwrite` is true. */
  put(input: PutParameterInput): StoredParameter {
    const name = requireName(input.Name);
    if (typeof input.Value !== 'string' || input.Value.length === 0) {
      throw new SsmApiError('ValidationException', 'Value must be a non-empty string.');
    }
    if (input.Type !== undefined && (typeof input.Type !== 'string' || !TYPES.includes(input.Type))) {
      throw new SsmApiError('ValidationException', `Type must be one of ${TYPES.join(', ')}.`);
    }
    if (input.Overwrite === true && input.Tags !== undefined) {
      throw new SsmApiError('ValidationException', "Invalid request: tags and overwrite can't be used together.");
    }
    const existing = this.parameters.get(name);
    if (existing && input.Overwrite !== true) {
      throw new SsmApiError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const type = (input.Type as ParameterType | undefined) ?? existing?.type;
    if (!type) throw new SsmApiError('ValidationException', 'A parameter type is required when you create a parameter.');
    const description = typeof input.Description === 'string' ? input.Description : existing?.description;
    const stored: StoredParameter = {
      name,
      type,
      value: input.Value,
      version: (existing?.version ?? 0) + 1,
      lastModified: new Date(),
      dataType: typeof input.DataType === 'string' ? input.DataType : (existing?.dataType ?? 'text'),
      ...(description === undefined ? {} : { description }),
    };
    this.parameters.set(name, stored);
    return stored;
  }

  /** DeleteParameter: removes it, or `ParameterNotFound`. */
  delete(name: unknown): void {
    if (!this.parameters.delete(requireName(name))) {
      throw new SsmApiError('ParameterNotFound', `Parameter ${String(name)} not found.`);
    }
  }
}

function requireName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 2048) {
    throw new SsmApiError('ValidationException', 'Name must be a string of 1 to 2048 characters.');
  }
  return name;
}
