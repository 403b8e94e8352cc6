import { describe, expect, it } from 'vitest';
import { readyBanner } from '../../cli/start/start-banner';
import { DEFAULT_STATE_FILE, type LocalStackState } from '@registry-notices/local-stack';

const state: LocalStackState = {
  version: 1,
  pid: 4242,
  startedAt: '2026-01-01T10:00:00.000Z',
  stackName: 'RegistryNotices',
  region: 'us-east-1',
  endpoints: { sqs: 'http://127.0.0.1:41001', ses: 'http://127.0.0.1:41002', dynamodb: 'http://127.0.0.1:41003', ssm: 'http://127.0.0.1:41004', kms: 'http://127.0.0.1:41005' },
  sesViewerUrl: 'http://127.0.0.1:41002/',
  outputs: { PurchaseQueueUrl: 'http://127.0.0.1:41001/000000000000/purchases' },
  resources: {},
};

/** The banner's command lines: the CLI's and the AWS CLI's. */
const commands = (lines: readonly string[]): string[] => lines.map((l) => l.trim()).filter((l) => /^(npx tsx cli\/main\.ts|AWS_ACCESS_KEY_ID=)/.test(l));

describe('readyBanner (what npm start prints once ready)', () => {
  it('gives every CLI command the --state file npm start was given', () => {
    // Act
    const lines = readyBanner(state, { readySeconds: 6.2, stateFile: '/tmp/my stack/state.json' });

    // Assess
    const cli = commands(lines).filter((l) => l.startsWith('npx'));
    expect(cli).toHaveLength(9);
    for (const line of cli) expect(line).toMatch(/ --state '\/tmp\/my stack\/state\.json'$/);
  });

  it('leaves --state out when it is the default, which the CLI reads anyway', () => {
    // Act
    const lines = readyBanner(state, { readySeconds: 6.2, stateFile: DEFAULT_STATE_FILE });

    // Assess
    expect(commands(lines).join('\n')).not.toContain('--state');
  });

  it("points the plain AWS CLI line at the emulator's actual port", () => {
    // Act
    const [aws] = commands(readyBanner(state, { readySeconds: 6.2 })).filter((l) => l.startsWith('AWS_'));

    // Assess
    expect(aws).toContain('--endpoint-url http://127.0.0.1:41001 --queue-url http://127.0.0.1:41001/000000000000/purchases');
  });
});
