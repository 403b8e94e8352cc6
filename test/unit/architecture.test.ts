import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layout of lambdas/ (docs/architecture.md), kept by this test rather than by habit:
 * features in layers, each importing only the ones below it; the functions' folders (where a
 * `handler.ts` lives) and the `*-from-env.ts` / `*-wiring.ts` modules wire them and may import
 * any feature, but nothing imports a function's folder; the AWS SDK only in the platform kit, the
 * table, queue and SES modules, and the wiring.
 */
const REPO = path.join(import.meta.dirname, '..', '..');
const LAMBDAS = path.join(REPO, 'lambdas');

/** Lowest first: a feature may import the ones before it, never one after it. */
const LAYERS = ['platform', 'directory', 'mail', 'notices', 'audit', 'imports', 'feedback', 'operator'] as const;

/** Where the AWS SDK may be imported, besides platform/ and the wiring. */
const AWS_ROOMS = /\/(tables|[a-z-]+-table|queues|ses)\/|\/(dynamodb|sqs|ses|kms|ssm|s3)-[a-z-]+\.ts$/;

/** Wiring outside a function's folder, shared by several functions and the CLI: it builds a use case's dependencies. */
const WIRING = /(-from-env|-wiring)\.ts$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(entry.name) && !/\.(test|perf)\.ts$/.test(entry.name) ? [full] : [];
  });
}

const files = sourceFiles(LAMBDAS);
const relative = (file: string) => path.relative(REPO, file).split(path.sep).join('/');
const featureOf = (file: string) => relative(file).split('/')[1] ?? '';

/** The function folder a file belongs to (the nearest folder above it with a handler.ts), if any. */
function functionFolderOf(file: string): string | undefined {
  for (let dir = path.dirname(file); dir.startsWith(LAMBDAS) && dir !== LAMBDAS; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'handler.ts'))) return dir;
  }
  return undefined;
}

interface Import {
  readonly from: string;
  readonly specifier: string;
  /** The file it names, for a relative import. */
  readonly to?: string;
}

/** A function's folder, or a wiring module: where the features are put together. */
const wires = (file: string) => functionFolderOf(file) !== undefined || WIRING.test(file);

const imports: Import[] = files.flatMap((from) =>
  ts.preProcessFile(readFileSync(from, 'utf8'), true, true).importedFiles.map(({ fileName: specifier }) => {
    if (!specifier.startsWith('.')) return { from, specifier };
    const base = path.resolve(path.dirname(from), specifier);
    const to = [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && candidate.endsWith('.ts'));
    return { from, specifier, to: to ?? base };
  }),
);

const describeImport = ({ from, specifier }: Import) => `${relative(from)} imports '${specifier}'`;

describe('the layout of lambdas/', () => {
  it('imports nothing from lib/, cli/, local/, bench/ or test/', () => {
    const outside = imports.filter(({ to }) => to !== undefined && !to.startsWith(LAMBDAS + path.sep));
    expect(outside.map(describeImport)).toEqual([]);
  });

  it('has every top-level folder in a layer', () => {
    expect([...new Set(files.map(featureOf))].filter((feature) => !(LAYERS as readonly string[]).includes(feature))).toEqual([]);
  });

  it('lets a feature import only the features below it, except where they are wired: a function folder, a -from-env or -wiring module', () => {
    const upward = imports.filter(({ from, to }) => {
      if (to === undefined || wires(from)) return false;
      return LAYERS.indexOf(featureOf(to) as (typeof LAYERS)[number]) > LAYERS.indexOf(featureOf(from) as (typeof LAYERS)[number]);
    });
    expect(upward.map(describeImport)).toEqual([]);
  });

  it("imports a function's folder only from inside it: handlers and their wiring are leaves", () => {
    const intoFunctions = imports.filter(({ from, to }) => {
      const target = to === undefined ? undefined : functionFolderOf(to);
      return target !== undefined && !from.startsWith(target + path.sep);
    });
    expect(intoFunctions.map(describeImport)).toEqual([]);
  });

  it('keeps the AWS SDK out of domain code: only the platform kit, table and queue modules, SES adapters and the wiring import it', () => {
    const aws = imports.filter(({ from, specifier }) => {
      if (!/^@(aws-sdk|smithy)\//.test(specifier)) return false;
      return featureOf(from) !== 'platform' && !wires(from) && !AWS_ROOMS.test(relative(from));
    });
    expect(aws.map(describeImport)).toEqual([]);
  });

  it('sees the imports it judges (a layout test that reads no import would pass on anything)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(imports.filter(({ to }) => to !== undefined).length).toBeGreaterThan(500);
    expect(imports.some(({ specifier }) => specifier.startsWith('@aws-sdk/'))).toBe(true);
  });
});
