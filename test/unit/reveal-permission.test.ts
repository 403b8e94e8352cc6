import { describe, expect, it } from 'vitest';
import { DEFAULT_PERSON_ROLES } from '../../lambdas/audit/person';
import { DEFAULT_REVEALER_ROLES, revealRefusal } from '../../lambdas/operator/notices/reveal-permission';
import { parsePersonRoles } from '../../lambdas/audit/person';

const SSO_OPS = 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Ops_1a2b3c4d5e6f7a8b/alice@example.com';
const SSO_REVEALER = 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_NoticeRevealer_9f8e7d6c5b4a3921/alice@example.com';
const IAM_ALICE = 'arn:aws:iam::123456789012:user/ops/alice';
const SELF_NAMED = 'arn:aws:sts::123456789012:assumed-role/Ops/anything';

describe('who may reveal an address (a permission of its own)', () => {
  it('lets only the listed roles and IAM users reveal, by default an Identity Center NoticeRevealer permission set', () => {
    // Prepare
    const defaults = parsePersonRoles(DEFAULT_REVEALER_ROLES);

    // Act, Assess
    expect(revealRefusal(SSO_REVEALER, DEFAULT_PERSON_ROLES, defaults)).toBeUndefined();
    expect(revealRefusal(SSO_OPS, DEFAULT_PERSON_ROLES, defaults)?.rule).toBe('NOT_A_REVEALER');
    expect(revealRefusal(IAM_ALICE, DEFAULT_PERSON_ROLES, defaults)?.rule).toBe('NOT_A_REVEALER');
    expect(revealRefusal(IAM_ALICE, DEFAULT_PERSON_ROLES, ['user/alice'])).toBeUndefined();
    expect(revealRefusal(IAM_ALICE, DEFAULT_PERSON_ROLES, ['user/al*'])).toBeUndefined();
    expect(revealRefusal('arn:aws:iam::123456789012:user/bob', DEFAULT_PERSON_ROLES, ['user/alice'])?.rule).toBe('NOT_A_REVEALER');
  });

  it('never takes a role entry for an IAM user of that name, nor a user entry for a role', () => {
    expect(revealRefusal('arn:aws:iam::123456789012:user/AWSReservedSSO_NoticeRevealer_x', DEFAULT_PERSON_ROLES, [DEFAULT_REVEALER_ROLES])?.rule).toBe('NOT_A_REVEALER');
    expect(revealRefusal('arn:aws:sts::123456789012:assumed-role/user/alice', DEFAULT_PERSON_ROLES, ['user/alice'])?.rule).toBe('REVEALER_NOT_A_PERSON');
  });

  it('refuses a listed role whose session names nobody: the record of a reveal must say who', () => {
    // Act
    const refusal = revealRefusal(SELF_NAMED, DEFAULT_PERSON_ROLES, ['Ops']);

    // Assess
    expect(refusal?.rule).toBe('REVEALER_NOT_A_PERSON');
    expect(revealRefusal(SELF_NAMED, [...DEFAULT_PERSON_ROLES, 'Ops'], ['Ops'])).toBeUndefined();
  });

  it('names the setting and the rule, never the caller', () => {
    // Act
    const refusal = revealRefusal(SSO_OPS, DEFAULT_PERSON_ROLES, parsePersonRoles(DEFAULT_REVEALER_ROLES));

    // Assess
    expect(refusal?.reason).toContain('operatorRevealerRoles (AWSReservedSSO_NoticeRevealer_*)');
    expect(refusal?.reason).not.toContain('alice');
  });
});
