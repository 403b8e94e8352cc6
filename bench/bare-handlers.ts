import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { ADDRESS_HASH_KEY_LABEL } from '../lambdas/directory/address-hash';

/** The variable naming the KMS key a function derives its address-hash key from at init (`ADDRESS_HASH_ENV`). */
export const ADDRESS_HASH_KEY_ENV = 'ADDRESS_HASH_KEY_ARN';

/** An SDK client class a bundle holds, and how the function's own code makes one. */
export interface BundledClient {
  /** `@aws-sdk/client-sesv2`, `@aws-sdk/lib-dynamodb`. */
  readonly packageName: string;
  /** `SESv2Client`, `DynamoDBDocumentClient`. */
  readonly className: string;
  /**
   * The exported factory of our code that calls `new <className>(`, as `lambdas/platform/aws/ses-client.ts#sesClient`;
   * none when the bundle makes it otherwise (then the bare handler calls `new <className>({})`).
   */
  readonly factory?: { readonly file: string; readonly exportName: string; readonly kind: 'function' | 'instance' };
}

const CLIENT_CLASS = /node_modules\/(@aws-sdk\/(?:client-[^/]+|lib-dynamodb))\/dist-[^/]+\/(\w+Client)\.js$/;

/**
 * The SDK clients a bundle creates, from its esbuild metafile: each client class of an
 * `@aws-sdk/client-*` package (or lib-dynamodb's document client) with bytes in the bundle,
 * with the factory of ours (a module of the bundle that calls `new <Class>(`) that makes it.
 * The nested STS/SSO clients of the default credential chain are not counted: every client
 * brings them, the bare handler's too.
 *
 * @example
 * bundledClients(notifyMeta, '/work/main').map((c) => c.className) // ['DynamoDBClient', 'KMSClient', 'SESv2Client', 'SQSClient', 'SSMClient']
 */
export function bundledClients(metafile: Metafile, projectDir: string): BundledClient[] {
  const inputs = Object.entries(outputOf(metafile).inputs).filter(([, { bytesInOutput }]) => bytesInOutput > 0);
  const ownSources = inputs
    .map(([input]) => input)
    .filter((input) => !input.includes('node_modules/') && /\.[cm]?[jt]s$/.test(input))
    .map((input) => ({ file: path.resolve(projectDir, input), text: readFileSync(path.resolve(projectDir, input), 'utf8') }));
  const clients: BundledClient[] = [];
  for (const [input] of inputs) {
    const match = CLIENT_CLASS.exec(input);
    if (!match) continue;
    const [, packageName = '', className = ''] = match;
    if (clients.some((c) => c.className === className)) continue;
    const factory = ownSources.map((source) => factoryIn(source.text, className, source.file)).find((f) => f !== undefined);
    clients.push({ packageName, className, ...(factory ? { factory } : {}) });
  }
  return clients.sort((a, b) => a.className.localeCompare(b.className));
}

/** The exported function (or constant) of `text` within which `new <className>(` stands. */
function factoryIn(text: string, className: string, file: string): BundledClient['factory'] {
  const at = text.search(new RegExp(`new ${className}\\(`));
  if (at < 0) return undefined;
  const exports = [...text.slice(0, at).matchAll(/export\s+(?:async\s+)?function\s+(\w+)|export\s+const\s+(\w+)\s*=/g)];
  const last = exports.at(-1);
  const exportName = last?.[1] ?? last?.[2];
  if (!exportName) return undefined;
  return { file, exportName, kind: last?.[1] ? 'function' : 'instance' };
}

/**
 * Writes the bare handler of one function: a module that creates at module scope exactly the
 * SDK clients `clients` lists, each the way the function makes it (through our factory, so
 * with the same request handler, retry strategy and timeouts; a document client over the
 * DynamoDB client), and a handler that does nothing. It sits inside the project (`dir` under
 * `.local/`) so esbuild resolves the SDK from the project's node_modules. Returns its path.
 *
 * With `macAtInit` (a function that derives its address-hash key at init) it also makes, at
 * module scope, the function's one KMS GenerateMac over its KMS client, written as `<name>.kms.ts`.
 *
 * @example
 * writeBareHandler('.local/bench/bare', 'notify', clients) // '.local/bench/bare/notify.ts'
 * writeBareHandler('.local/bench/bare', 'notify', clients, { macAtInit: true }) // '.local/bench/bare/notify.kms.ts'
 */
export function writeBareHandler(dir: string, name: string, clients: readonly BundledClient[], options: { macAtInit?: boolean } = {}): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(path.resolve(dir), `${name}${options.macAtInit ? '.kms' : ''}.ts`);
  const imports: string[] = [];
  const made: string[] = [];
  const document = clients.find((c) => c.className === 'DynamoDBDocumentClient');
  for (const [i, client] of clients.entries()) {
    if (client === document) continue;
    const variable = `client${i}`;
    if (client.factory) {
      const specifier = relativeSpecifier(file, client.factory.file);
      imports.push(`import { ${client.factory.exportName} as make${i} } from '${specifier}';`);
      made.push(`const ${variable} = ${client.factory.kind === 'instance' ? `make${i}` : `make${i}()`};`);
    } else {
      imports.push(`import { ${client.className} as Class${i} } from '${client.packageName}';`);
      made.push(`const ${variable} = new Class${i}({});`);
    }
  }
  if (document) {
    const dynamoDb = clients.findIndex((c) => c.className === 'DynamoDBClient');
    imports.push(`import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`);
    if (dynamoDb < 0) {
      imports.push(`import { DynamoDBClient } from '@aws-sdk/client-dynamodb';`);
      made.push(`const document = DynamoDBDocumentClient.from(new DynamoDBClient({}));`);
    } else {
      made.push(`const document = DynamoDBDocumentClient.from(client${dynamoDb}, { marshallOptions: { removeUndefinedValues: true } });`);
    }
  }
  const names = made.map((line) => /^const (\w+)/.exec(line)?.[1] ?? '');
  const atInit: string[] = [];
  if (options.macAtInit) {
    // The one KMS call the function makes at init (lambdas/directory/kms-address-hash-key.ts):
    // the same GenerateMac over the same client, so this bare handler pays the same round trip.
    const kms = clients.findIndex((c) => c.className === 'KMSClient');
    if (kms < 0) throw new Error(`${name}: a bare handler with the KMS call at init needs the function's KMSClient, and its bundle has none`);
    imports.push(`import { GenerateMacCommand } from '@aws-sdk/client-kms';`);
    atInit.push(
      `const { Mac } = await client${kms}.send(new GenerateMacCommand({ KeyId: process.env.${ADDRESS_HASH_KEY_ENV}, Message: new TextEncoder().encode(${JSON.stringify(ADDRESS_HASH_KEY_LABEL)}), MacAlgorithm: 'HMAC_SHA_256' }));`,
      `if (!Mac?.byteLength) throw new Error('GenerateMac answered without a MAC');`,
      '',
    );
  }
  const text = [
    `// Generated by bench/bare-handlers.ts for ${name}: the SDK clients its bundle creates`,
    `// (${clients.map((c) => c.className).join(', ') || 'none'}), made as it makes them,${options.macAtInit ? ' its one KMS GenerateMac at init,' : ''} and a handler that does nothing.`,
    ...imports,
    '',
    ...made,
    '',
    ...atInit,
    `export const clients = [${names.join(', ')}];`,
    '',
    'export const handler = async (): Promise<number> => clients.length;',
    '',
  ].join('\n');
  writeFileSync(file, text);
  return file;
}

function relativeSpecifier(from: string, to: string): string {
  const relative = path.relative(path.dirname(from), to).replace(/\.ts$/, '');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

function outputOf(metafile: Metafile): Metafile['outputs'][string] {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) throw new Error('the metafile has no entry point output');
  return output;
}
