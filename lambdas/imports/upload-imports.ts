import type { UploadImports } from '../directory/ports/evidence';
import { importIdOf, importIsOver, type ImportProgressStore } from './ports/import-progress';

/**
 * {@link UploadImports} over the import progress (docs/data-model.md, "Erasure"): an object
 * under one of the import routes' `prefixes` is an upload, and its import is over when the
 * progress of that version (`importIdOf`) is in a final state (`importIsOver`). One consistent
 * `GetItem` per lookup; the drain asks only about an object that names the erased customer.
 *
 * @example
 * const uploads = uploadImports(progress, 'imports', ['directory/', 'send-logs/']);
 * await uploads.finished('send-logs/a.jsonl', '"9b2c…"') // false while its import runs or before it started
 */
export function uploadImports(progress: Pick<ImportProgressStore, 'get'>, bucket: string, prefixes: readonly string[]): UploadImports {
  return {
    reads: (key) => prefixes.some((prefix) => key.startsWith(prefix)),
    finished: async (key, eTag) => {
      const found = await progress.get(importIdOf(bucket, key, eTag));
      return found !== undefined && importIsOver(found.state);
    },
  };
}
