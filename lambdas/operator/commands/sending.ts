import * as z from 'zod/mini';
import { contractObject } from '../../platform/contract-schema';
import { defineOperatorCommand } from '../operator-command';
import { flipSending, sendingStatus } from '../sending/sending-switch';
import { stringField } from './fields';

const reasonField = z.optional(
  stringField().check(z.minLength(1, { error: 'must not be empty' }), z.maxLength(500, { error: 'must be at most 500 characters' })),
);

/** `sending pause`: sets the kill switch, so no notice and no apology goes out; the caller's IAM ARN and the time are recorded. */
export const sendingPauseCommand = defineOperatorCommand({
  name: 'sending pause',
  request: contractObject({ reason: reasonField }, '"sending pause"'),
  run: ({ reason }, { deps, caller }) => flipSending('PAUSE', { by: caller.arn, ...(reason ? { reason } : {}) }, deps.sending),
});

/** `sending resume`: clears the kill switch; the held messages go out again, under the same guards and rate. Recorded as the pause is. */
export const sendingResumeCommand = defineOperatorCommand({
  name: 'sending resume',
  request: contractObject({ reason: reasonField }, '"sending resume"'),
  run: ({ reason }, { deps, caller }) => flipSending('RESUME', { by: caller.arn, ...(reason ? { reason } : {}) }, deps.sending),
});

/** `sending status`: the kill switch as the senders read it, and who paused or resumed last. */
export const sendingStatusCommand = defineOperatorCommand({
  name: 'sending status',
  request: contractObject({}, '"sending status"'),
  run: (_request, { deps }) => sendingStatus(deps.sending),
});
