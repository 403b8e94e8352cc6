import { startAwsJsonServer, type AwsJsonEmulator, type JsonOperation } from './aws-json-server';
import { LOCAL_ACCOUNT_ID } from './local-aws';
import { ParameterStore, type StoredParameter } from './ssm-parameters';

/**
 * A minimal SSM Parameter Store emulator: AWS JSON 1.1 over HTTP, enough for
 * `@aws-sdk/client-ssm` and Powertools' `getParameter` (GetParameter, GetParameters,
 * PutParameter, DeleteParameter). Locally it holds the operator's kill switch.
 */
export type SsmEmulator = AwsJsonEmulator<ParameterStore>;

function operations(store: ParameterStore): Record<string, JsonOperation> {
  return {
    GetParameter: (input, { region }) => ({
      Parameter: render(store.get(input.Name), input.WithDecryption === true, region),
    }),
    GetParameters: (input, { region }) => {
      const { found, invalid } = store.getMany(input.Names);
      return {
        Parameters: found.map((p) => render(p, input.WithDecryption === true, region)),
        InvalidParameters: invalid,
      };
    },
    PutParameter: (input) => ({ Version: store.put(input).version, Tier: 'Standard' }),
    DeleteParameter: (input) => {
      store.delete(input.Name);
      return {};
    },
  };
}

/** Starts the SSM emulator on `host:port` (port 0 = any free port). Rejects with the listen error (e.g. EADDRINUSE). */
export async function startSsmEmulator(options: { port?: number; host?: string } = {}): Promise<SsmEmulator> {
  const store = new ParameterStore();
  const server = await startAwsJsonServer({ service: 'SSM', targetPrefix: 'AmazonSSM.', operations: operations(store), ...options });
  return { url: server.url, port: server.port, store, stop: server.stop };
}

// Real SSM returns the KMS ciphertext of a SecureString unless asked to decrypt; mimic that so a
// forgotten `decrypt: true` shows up locally, not first in AWS.
function render(parameter: StoredParameter, withDecryption: boolean, region: string): Record<string, unknown> {
  const hidden = parameter.type === 'SecureString' && !withDecryption;
  const path = parameter.name.startsWith('/') ? parameter.name : `/${parameter.name}`;
  return {
    Name: parameter.name,
    Type: parameter.type,
    Value: hidden ? Buffer.from(`local-kms-ciphertext:${parameter.value}`).toString('base64') : parameter.value,
    Version: parameter.version,
    LastModifiedDate: parameter.lastModified.getTime() / 1000, // JSON 1.1 timestamps are epoch seconds
    ARN: `arn:aws:ssm:${region}:${LOCAL_ACCOUNT_ID}:parameter${path}`,
    DataType: parameter.dataType,
  };
}
