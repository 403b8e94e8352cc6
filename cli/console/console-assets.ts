import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** One file the console serves. */
export interface ConsoleAsset {
  readonly type: string;
  readonly body: Buffer;
}

/** The console's pages, by path: `/index.html`, `/app.js`, `/app.css`, `/favicon.svg`. */
export interface ConsoleAssets {
  readonly files: ReadonlyMap<string, ConsoleAsset>;
}

const APP_DIRECTORY = path.join(import.meta.dirname, 'app');

/**
 * Bundles the console's browser code (cli/console/app/main.ts) with the project's esbuild, in
 * memory, when the console starts: nothing is fetched from a CDN, so it works offline and
 * behind a firewall. One script and one style sheet, both served from the console's own origin
 * (its Content-Security-Policy allows nothing inline).
 *
 * @example
 * const assets = await buildConsoleAssets();
 * assets.files.get('/app.js')?.body.length
 */
export async function buildConsoleAssets(): Promise<ConsoleAssets> {
  const bundled = await build({
    entryPoints: [path.join(APP_DIRECTORY, 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const script = bundled.outputFiles[0]!.contents;
  return {
    files: new Map([
      ['/index.html', { type: 'text/html; charset=utf-8', body: readFileSync(path.join(APP_DIRECTORY, 'index.html')) }],
      ['/app.css', { type: 'text/css; charset=utf-8', body: readFileSync(path.join(APP_DIRECTORY, 'app.css')) }],
      ['/app.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from(script) }],
      ['/favicon.svg', { type: 'image/svg+xml', body: readFileSync(path.join(APP_DIRECTORY, 'favicon.svg')) }],
    ]),
  };
}
