import { parseArgs } from 'node:util';
import { DEFAULT_STATE_FILE, EMULATOR_NAMES, type EmulatorPorts, isPort, LocalStackError } from '@registry-notices/local-stack';

/** What `npm start` was asked to do. */
export interface StartOptions {
  /** Play the demo once, print the checks, stop and exit non-zero on any failure. */
  readonly once: boolean;
  /** Seed and play the demo scenario. */
  readonly demo: boolean;
  /** Run `cdk synth` first when its inputs changed (else reuse `cdkOut` as it is). */
  readonly synth: boolean;
  /** Run `cdk synth` even when its inputs did not change since the assembly in `cdkOut`. */
  readonly forceSynth: boolean;
  readonly cdkOut: string;
  /** Ports given as flags; the rest come from `EMULATOR_PORT_<NAME>` or the defaults. */
  readonly ports: Partial<EmulatorPorts>;
  /** Port of the first function URL, the next ones after it; 0 = any free port. */
  readonly functionUrlPort: number;
  /** Function and emulator logs on the terminal too (they always go to `.local/logs`). */
  readonly verbose: boolean;
  readonly stateFile: string;
  /** Where functions.log, emulators.log and stack.log go. */
  readonly logDirectory: string;
  readonly help: boolean;
}

/** Where the first function URL is served unless `--function-url-port` says otherwise. */
export const DEFAULT_FUNCTION_URL_PORT = 9000;

/** `npm start -- --help`. */
export const START_USAGE = `Usage: npm start -- [options]

Runs registry-notices on this machine: emulators, the synthesized CDK stack, its
functions, and the demo scenario. Ctrl-C (SIGINT, SIGTERM) stops everything it started.

  --once               play the demo once, check it, stop; exit 1 if any check fails
  --no-demo            do not seed and play the demo scenario
  --no-synth           reuse the cloud assembly in --cdk-out as it is, never run cdk synth
  --force-synth        run cdk synth even when its sources and context are unchanged
                       (by default it is skipped then: see --cdk-out/synth-inputs.json)
  --cdk-out <dir>      where the cloud assembly is (default .local/cdk.out)
  --sqs-port <n>       SQS emulator port (default 4566; env EMULATOR_PORT_SQS)
  --ses-port <n>       SES emulator and mail viewer port (default 8005; env EMULATOR_PORT_SES)
  --dynamodb-port <n>  DynamoDB Local port (default 8000; env EMULATOR_PORT_DYNAMODB)
  --ssm-port <n>       SSM emulator port (default 4583; env EMULATOR_PORT_SSM)
  --kms-port <n>       KMS emulator port (default 4599; env EMULATOR_PORT_KMS)
  --function-url-port <n>  port of the stack's first Lambda function URL, the next ones
                       after it (default ${DEFAULT_FUNCTION_URL_PORT})
                       0 = any free port
  --verbose            show function and emulator logs here too (always in .local/logs/)
  --state <file>       where the running stack is recorded for the CLI (default ${DEFAULT_STATE_FILE})
  --logs <dir>         where the logs go (default .local/logs)
`;

/**
 * Parses `npm start` flags.
 *
 * @example
 * parseStartOptions(['--once', '--sqs-port', '0']).ports // { sqs: 0 }
 */
export function parseStartOptions(argv: readonly string[]): StartOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        once: { type: 'boolean', default: false },
        'no-demo': { type: 'boolean', default: false },
        'no-synth': { type: 'boolean', default: false },
        'force-synth': { type: 'boolean', default: false },
        'cdk-out': { type: 'string', default: '.local/cdk.out' },
        'sqs-port': { type: 'string' },
        'ses-port': { type: 'string' },
        'dynamodb-port': { type: 'string' },
        'ssm-port': { type: 'string' },
        'kms-port': { type: 'string' },
        'function-url-port': { type: 'string', default: String(DEFAULT_FUNCTION_URL_PORT) },
        verbose: { type: 'boolean', default: false },
        state: { type: 'string', default: DEFAULT_STATE_FILE },
        logs: { type: 'string', default: '.local/logs' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new LocalStackError(`${(error as Error).message}\n\n${START_USAGE}`, { cause: error });
  }
  if (values['no-synth'] && values['force-synth']) {
    throw new LocalStackError('--no-synth and --force-synth contradict each other: give one.');
  }
  const ports: Partial<EmulatorPorts> = {};
  for (const name of EMULATOR_NAMES) {
    const text = values[`${name}-port`];
    if (text === undefined) continue;
    const port = Number(text);
    if (!isPort(port)) {
      throw new LocalStackError(`--${name}-port ${text} is not a port (0-65535; 0 = any free port).`);
    }
    ports[name] = port;
  }
  const functionUrlPort = Number(values['function-url-port']);
  if (!isPort(functionUrlPort)) {
    throw new LocalStackError(`--function-url-port ${values['function-url-port']} is not a port (0-65535; 0 = any free port).`);
  }
  return {
    once: values.once,
    demo: !values['no-demo'],
    synth: !values['no-synth'],
    forceSynth: values['force-synth'],
    cdkOut: values['cdk-out'],
    ports,
    functionUrlPort,
    verbose: values.verbose,
    stateFile: values.state,
    logDirectory: values.logs,
    help: values.help,
  };
}
