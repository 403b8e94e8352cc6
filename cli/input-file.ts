import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { InputFileError } from './errors';

/**
 * Reads a JSON input file and validates it against `schema`; every problem is reported at
 * once as an {@link InputFileError}, each with its JSON path.
 *
 * @example
 * readJsonInput('cli/demo/expectations.json', ExpectationsSchema).notices.length // 9
 */
export function readJsonInput<T>(file: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputFileError(file, [`cannot read it as JSON: ${(error as Error).message}`], { cause: error });
  }
  return parseInput(json, schema, file);
}

/**
 * Validates input already in memory against `schema` (see {@link readJsonInput}); `source`
 * names it in the error.
 *
 * @example
 * parseInput({ customers: [] }, SeedFileSchema, 'inline').registries // []
 */
export function parseInput<T>(json: unknown, schema: z.ZodType<T>, source: string): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new InputFileError(source, parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return parsed.data;
}
