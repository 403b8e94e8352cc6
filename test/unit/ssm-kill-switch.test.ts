import { describe, expect, it } from 'vitest';
import { SsmKillSwitch } from '../../lambdas/mail/ssm-kill-switch';
import { ParameterReadError } from '../../lambdas/platform/function-errors';

/** A parameter store of one value that counts its reads and can be made to fail or to wait. */
function parameter(initial: string) {
  const state = {
    value: initial,
    reads: 0,
    fail: false,
    gate: undefined as Promise<void> | undefined,
  };
  const read = async (name: string): Promise<string> => {
    state.reads += 1;
    await state.gate;
    if (state.fail) throw new ParameterReadError(name, 'ThrottlingException', true);
    return state.value;
  };
  return { state, read };
}

describe('SsmKillSwitch', () => {
  it('reads the parameter once for a whole batch of concurrent records when the cache has expired', async () => {
    // Prepare
    const { state, read } = parameter('false');
    let release = (): void => undefined;
    state.gate = new Promise((resolve) => (release = resolve));
    const killSwitch = new SsmKillSwitch({ parameterName: '/p', read });

    // Act: ten records ask while the read is still on its way.
    const answers = Array.from({ length: 10 }, () => killSwitch.isPaused());
    release();

    // Assess
    expect(await Promise.all(answers)).toEqual(Array(10).fill(false));
    expect(state.reads).toBe(1);
  });

  it('keeps the value for maxAgeSeconds, then reads it again', async () => {
    // Prepare
    let now = 1_000_000;
    const { state, read } = parameter('false');
    const killSwitch = new SsmKillSwitch({ parameterName: '/p', read, maxAgeSeconds: 10, now: () => now });
    await killSwitch.isPaused();
    state.value = 'true';

    // Act
    now += 9_999;
    const withinPeriod = await killSwitch.isPaused();
    now += 1;
    const afterPeriod = await killSwitch.isPaused();

    // Assess
    expect([withinPeriod, afterPeriod]).toEqual([false, true]);
    expect(state.reads).toBe(2);
  });

  it('fails every waiting record when the read fails, and does not keep the failure', async () => {
    // Prepare
    const { state, read } = parameter('false');
    state.fail = true;
    const killSwitch = new SsmKillSwitch({ parameterName: '/p', read });

    // Act
    const failed = await Promise.allSettled([killSwitch.isPaused(), killSwitch.isPaused()]);
    state.fail = false;
    const next = await killSwitch.isPaused();

    // Assess
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(next).toBe(false);
    expect(state.reads).toBe(2);
  });

  it.each([
    ['false', false],
    [' OFF ', false],
    ['running', false],
    ['0', false],
    ['true', true],
    ['flase', true],
    ['', true],
  ])('reads %j as paused = %s (anything but "off" pauses)', async (value, paused) => {
    // Prepare
    const killSwitch = new SsmKillSwitch({ parameterName: '/p', read: parameter(value).read });

    // Act
    const answer = await killSwitch.isPaused();

    // Assess
    expect(answer).toBe(paused);
  });
});
