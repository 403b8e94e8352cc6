import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A function's handler module as a construct of `lib/` names it. */
export interface FunctionEntry {
  /** From the constant's name: `NOTIFY_ENTRY` → `notify`, `APOLOGY_SENDER_ENTRY` → `apology-sender`. */
  readonly name: string;
  /** Absolute path of the handler's TypeScript module. */
  readonly entry: string;
}

/**
 * Every function entry the constructs declare: the string exports named `*_ENTRY` of the
 * modules under `lib/` (each construct's default `entry`), read from the modules themselves,
 * not from a folder layout, so the bench follows the handlers wherever `lambdas/` puts them.
 *
 * @example
 * await constructEntries('/work/main') // [{ name: 'notify', entry: '/work/main/lambdas/notify/handler.ts' }, ...]
 */
export async function constructEntries(projectDir: string): Promise<FunctionEntry[]> {
  const entries = new Map<string, FunctionEntry>();
  for (const file of typeScriptFiles(path.join(projectDir, 'lib'))) {
    if (!/export const \w+_ENTRY\b/.test(readFileSync(file, 'utf8'))) continue;
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const [key, value] of Object.entries(module)) {
      if (!key.endsWith('_ENTRY') || typeof value !== 'string') continue;
      const entry = path.resolve(projectDir, value);
      if (!existsSync(entry)) throw new Error(`${path.relative(projectDir, file)} exports ${key} = ${value}, which does not exist`);
      entries.set(entry, { name: key.replace(/_ENTRY$/, '').toLowerCase().replace(/_/g, '-'), entry });
    }
  }
  return [...entries.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function typeScriptFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((item) => {
    const full = path.join(directory, item.name);
    if (item.isDirectory()) return typeScriptFiles(full);
    return item.name.endsWith('.ts') && !item.name.endsWith('.d.ts') && !item.name.endsWith('.test.ts') ? [full] : [];
  });
}
