import { describe, expect, it } from 'vitest';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { sesEvent } from '../../../lambdas/mail/ses-event';
import { DEFAULT_SOFT_BOUNCE_POLICY, softBouncesSuppress, suppressionEffects } from '../../../lambdas/mail/suppression-policy';
import { sesEventFactory, type SesEventSpec } from '../../helpers/factories';

const parsed = (spec: SesEventSpec) => sesEvent.parse(sesEventFactory(spec));

describe('what SES events do to the suppression list', () => {
  it('suppresses the address of a permanent bounce, by hash, with the bounce type', () => {
    // Act
    const effects = suppressionEffects(parsed({ eventType: 'Bounce', to: 'Kim@Example.com', messageId: 'm-1', at: '2026-11-25T10:00:01.000Z' }));

    // Assess
    expect(effects).toEqual({
      suppress: [
        {
          addressHash: addressHash('kim@example.com'),
          reason: 'BOUNCE',
          at: '2026-11-25T10:00:01.000Z',
          sesMessageId: 'm-1',
          detail: { bounceType: 'Permanent', bounceSubType: 'General' },
        },
      ],
      softBounces: [],
    });
  });

  it('suppresses a complaint, and an address SES itself keeps on its suppression list', () => {
    // Act
    const complaint = suppressionEffects(parsed({ eventType: 'Complaint' }));
    const onSesList = suppressionEffects(parsed({ eventType: 'Bounce', bounceSubType: 'OnAccountSuppressionList' }));

    // Assess
    expect(complaint.suppress.map((s) => [s.reason, s.detail])).toEqual([['COMPLAINT', { complaintFeedbackType: 'abuse' }]]);
    expect(onSesList.suppress.map((s) => s.detail.bounceSubType)).toEqual(['OnAccountSuppressionList']);
  });

  it('only counts a transient or undetermined bounce, and leaves deliveries alone', () => {
    // Act, Assess
    expect(suppressionEffects(parsed({ eventType: 'Bounce', bounceType: 'Transient', bounceSubType: 'MailboxFull' })).softBounces).toHaveLength(1);
    expect(suppressionEffects(parsed({ eventType: 'Bounce', bounceType: 'Undetermined' })).suppress).toEqual([]);
    expect(suppressionEffects(parsed({ eventType: 'Delivery' }))).toEqual({ suppress: [], softBounces: [] });
  });

  it('suppresses on the third soft bounce within seven days, not on three spread over longer', () => {
    // Prepare
    const now = new Date('2026-11-25T12:00:00Z');

    // Act, Assess
    expect(softBouncesSuppress(['2026-11-20T00:00:00Z', '2026-11-22T00:00:00Z'], now, DEFAULT_SOFT_BOUNCE_POLICY)).toBe(false);
    expect(softBouncesSuppress(['2026-11-20T00:00:00Z', '2026-11-22T00:00:00Z', '2026-11-25T11:00:00Z'], now, DEFAULT_SOFT_BOUNCE_POLICY)).toBe(true);
    expect(softBouncesSuppress(['2026-11-01T00:00:00Z', '2026-11-22T00:00:00Z', '2026-11-25T11:00:00Z'], now, DEFAULT_SOFT_BOUNCE_POLICY)).toBe(false);
  });
});
