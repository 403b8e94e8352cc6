import { describe, expect, it } from 'vitest';
import { apologyMailTags, mailSubjectFromTags, noticeMailTags } from '../../../lambdas/mail/mail-tags';

/** Tags as an SES event carries them: each a list of values. */
const asEventTags = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, [v]]));

describe('mail tags', () => {
  it('give back exactly the notice id, whatever our id alphabet holds', () => {
    // Prepare: ids that a lossy `_` replacement would make collide.
    const ids = ['evt#a.b:c', 'evt#a_b_c', `evt#${'x.'.repeat(64)}`];

    // Act
    const tags = ids.map(noticeMailTags);

    // Assess
    for (const [i, t] of tags.entries()) {
      expect(Object.values(t).every((v) => /^[A-Za-z0-9_-]{1,256}$/.test(v))).toBe(true);
      expect(mailSubjectFromTags(asEventTags(t))).toEqual({ kind: 'notice', noticeId: ids[i] });
    }
  });

  it('name an apology by its incident and address hash', () => {
    // Prepare
    const hash = 'a'.repeat(64);

    // Act
    const subject = mailSubjectFromTags(asEventTags(apologyMailTags('inc:2026.11', hash)));

    // Assess
    expect(subject).toEqual({ kind: 'apology', incidentId: 'inc:2026.11', addressHash: hash });
  });

  it('name nothing for mail that is not ours or whose tags were damaged', () => {
    // Act, Assess
    expect(mailSubjectFromTags(undefined)).toBeUndefined();
    expect(mailSubjectFromTags({ 'ses:configuration-set': ['cs'] })).toBeUndefined();
    expect(mailSubjectFromTags({ template: ['purchase-notice'], noticeId: ['evt_demo-001'] })).toBeUndefined();
    expect(mailSubjectFromTags({ template: ['apology'], incidentId: ['aW5j'], addressHash: ['not-a-hash'] })).toBeUndefined();
  });
});
