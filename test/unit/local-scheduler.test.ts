import { describe, expect, it, vi } from 'vitest';
import { LocalScheduler, LocalStackError, type ScheduleDefinition, type SchedulerActions } from '@registry-notices/local-stack';
import { parseStartOptions } from '../../cli/start/start-options';

function scheduleFactory(overrides: Partial<ScheduleDefinition> = {}): ScheduleDefinition {
  return {
    logicalId: 'Audit',
    name: 'S-Audit',
    // Every 50 ms: the timing logic is the same as for rate(15 minutes).
    expression: { text: 'every 50 ms', next: (after) => new Date(after.getTime() + 50) },
    enabled: true,
    target: { kind: 'function', functionLogicalId: 'AuditFn' },
    input: '{"mode":"audit"}',
    ...overrides,
  };
}

function actionsFactory(invokeFunction: SchedulerActions['invokeFunction'] = async () => undefined): SchedulerActions & { sent: string[] } {
  const sent: string[] = [];
  return { invokeFunction: vi.fn(invokeFunction), sendToQueue: async (_url, body) => void sent.push(body), sent };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LocalScheduler', () => {
  it('invokes the target function with the schedule’s Input each time the expression fires', async () => {
    // Prepare
    const actions = actionsFactory();
    const scheduler = new LocalScheduler({ schedules: [scheduleFactory()], actions, log: () => undefined });

    // Act
    scheduler.start();
    await wait(180);
    await scheduler.stop();

    // Assess
    expect(vi.mocked(actions.invokeFunction).mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(vi.mocked(actions.invokeFunction).mock.calls[0]).toEqual(['AuditFn', { mode: 'audit' }]);
  });

  it('does not arm a DISABLED schedule, but fire() still runs it on demand', async () => {
    // Prepare
    const actions = actionsFactory();
    const scheduler = new LocalScheduler({ schedules: [scheduleFactory({ enabled: false })], actions, log: () => undefined });

    // Act
    scheduler.start();
    await wait(120);
    const before = vi.mocked(actions.invokeFunction).mock.calls.length;
    await scheduler.fire('Audit');
    await scheduler.stop();

    // Assess
    expect(before).toBe(0);
    expect(vi.mocked(actions.invokeFunction)).toHaveBeenCalledTimes(1);
  });

  it('retries a failed asynchronous invocation twice, as Lambda does, then gives up', async () => {
    // Prepare
    const actions = actionsFactory(async () => {
      throw new Error('HandlerError');
    });
    const lines: string[] = [];
    const scheduler = new LocalScheduler({ schedules: [scheduleFactory()], actions, log: (line) => lines.push(line), retryDelaysMs: [10, 20] });

    // Act
    await scheduler.fire('Audit');
    await wait(100);
    await scheduler.stop();

    // Assess
    expect(actions.invokeFunction).toHaveBeenCalledTimes(3);
    expect(lines.filter((line) => line.includes('failed'))).toHaveLength(3);
  });

  it('sends the Input to a queue target', async () => {
    const actions = actionsFactory();
    const scheduler = new LocalScheduler({ schedules: [scheduleFactory({ target: { kind: 'queue', queueUrl: 'http://q' } })], actions, log: () => undefined });
    await scheduler.fire('Audit');
    expect(actions.sent).toEqual(['{"mode":"audit"}']);
  });

  it('stops firing after the end date', async () => {
    const actions = actionsFactory();
    const scheduler = new LocalScheduler({ schedules: [scheduleFactory({ endDate: new Date(Date.now() - 1) })], actions, log: () => undefined });
    scheduler.start();
    await wait(120);
    await scheduler.stop();
    expect(actions.invokeFunction).not.toHaveBeenCalled();
  });
});

describe('parseStartOptions', () => {
  it('defaults to synth, demo and keep running', () => {
    expect(parseStartOptions([])).toMatchObject({ once: false, demo: true, synth: true, cdkOut: '.local/cdk.out', ports: {} });
  });

  it('reads --once and the port flags, 0 meaning any free port', () => {
    expect(parseStartOptions(['--once', '--sqs-port', '0', '--dynamodb-port', '8100'])).toMatchObject({ once: true, ports: { sqs: 0, dynamodb: 8100 } });
  });

  it('skips an unchanged synth unless --force-synth, and refuses it together with --no-synth', () => {
    expect(parseStartOptions([])).toMatchObject({ synth: true, forceSynth: false });
    expect(parseStartOptions(['--force-synth'])).toMatchObject({ synth: true, forceSynth: true });
    expect(() => parseStartOptions(['--no-synth', '--force-synth'])).toThrow(/--no-synth and --force-synth/);
  });

  it.each([['--sqs-port', 'abc'], ['--ses-port', '70000'], ['--bogus']])('rejects %s %s', (...argv) => {
    expect(() => parseStartOptions(argv)).toThrow(LocalStackError);
  });
});
