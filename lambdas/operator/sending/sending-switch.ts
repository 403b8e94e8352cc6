import { pausesSending } from '../../mail/ssm-kill-switch';
import type { ReadParameter } from '../../platform/ssm-parameter-reader';
import type { WriteParameter } from '../../platform/ssm-parameter-writer';
import type { SwitchChange, SwitchChanges } from './switch-changes';

/** What pausing and resuming work on: the kill switch's parameter and the record of its changes. */
export interface SendingSwitchDeps {
  /** The SSM parameter every sender reads (`KILL_SWITCH_PARAMETER`). */
  readonly parameterName: string;
  readonly read: ReadParameter;
  readonly write: WriteParameter;
  readonly changes: SwitchChanges;
  readonly now: () => Date;
}

/** How many recent changes `sending status` shows. */
export const SWITCH_CHANGES_SHOWN = 10;

/** What the switch holds now, as the senders read it: only `false` (and the other "off" words) lets mail go. */
export interface SendingState {
  readonly paused: boolean;
  readonly parameterName: string;
  /** The parameter's value as it is. */
  readonly value: string;
}

/** The answer of `sending pause|resume`. */
export interface SwitchFlip extends SendingState {
  /** False when the switch already was where it was asked to go (the request is still recorded). */
  readonly changed: boolean;
  readonly change: SwitchChange;
}

/** The answer of `sending status`. */
export interface SendingStatus extends SendingState {
  /** The last {@link SWITCH_CHANGES_SHOWN} pauses and resumes, newest first. */
  readonly changes: readonly SwitchChange[];
}

// As the senders read it (lambdas/mail/ssm-kill-switch.ts).
function stateOf(parameterName: string, value: string): SendingState {
  return { paused: pausesSending(value), parameterName, value };
}

/**
 * Pauses (`true`) or resumes (`false`) all sending, notices and apologies, by setting the kill
 * switch, then records who did it and when in the audit table. The switch first: a pause must
 * take effect even when the record cannot be written (the request then fails and says so, and
 * the function's log keeps the caller's id). Warm senders see it within their cache time (10 s
 * for notify, 3 s for the apology sender).
 *
 * @example
 * await flipSending('PAUSE', { by: caller.arn, reason: 'bounce storm' }, deps);
 */
export async function flipSending(action: SwitchChange['action'], who: { readonly by: string; readonly reason?: string }, deps: SendingSwitchDeps): Promise<SwitchFlip> {
  const before = await deps.read(deps.parameterName);
  const value = action === 'PAUSE' ? 'true' : 'false';
  const changed = pausesSending(before) !== (action === 'PAUSE');
  if (before !== value) await deps.write(deps.parameterName, value);
  const change: SwitchChange = { action, by: who.by, at: deps.now().toISOString(), before, ...(who.reason ? { reason: who.reason } : {}) };
  await deps.changes.record(change);
  return { ...stateOf(deps.parameterName, value), changed, change };
}

/** The switch as the senders read it now (no cache), and its last changes with who made them. */
export async function sendingStatus(deps: SendingSwitchDeps): Promise<SendingStatus> {
  const [value, changes] = await Promise.all([deps.read(deps.parameterName), deps.changes.latest(SWITCH_CHANGES_SHOWN)]);
  return { ...stateOf(deps.parameterName, value), changes };
}
