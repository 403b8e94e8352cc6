import { describe, expect, it } from 'vitest';
import { twoPersonRefusal } from '../../../lambdas/audit/campaign/two-person-rule';
import { approvalNeedsOf } from '../../../lambdas/audit/campaign/approval-need';
import { DEFAULT_PERSON_ROLES, declarerKeyOf, parsePersonRoles } from '../../../lambdas/audit/person';
import { IncidentOrigin } from '../../../lambdas/audit/incident';

const ACCOUNT = '123456789012';
const opsSession = (session: string): string => `arn:aws:sts::${ACCOUNT}:assumed-role/Ops/${session}`;
const ssoSession = (role: string, user: string): string => `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${user}`;
const user = (name: string): string => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const personRoles = DEFAULT_PERSON_ROLES;

describe('two-person rule: who may approve a campaign that waits for approval', () => {
  it('refuses assumed-role/Ops/b approving what assumed-role/Ops/a declared: a self-chosen session name is nobody', () => {
    // Act
    const refusal = twoPersonRefusal({ incident: { declaredBy: opsSession('a') }, approver: { arn: opsSession('b') }, personRoles });

    // Assess
    expect(refusal).toMatchObject({ rule: 'APPROVER_NOT_A_PERSON', field: 'caller' });
  });

  it('refuses a person approving what a self-named session declared: the declarer could have been that person', () => {
    // Act
    const refusal = twoPersonRefusal({ incident: { declaredBy: opsSession('a') }, approver: { arn: ssoSession('AWSReservedSSO_Ops_1a2b', 'bob@example.com') }, personRoles });

    // Assess
    expect(refusal).toMatchObject({ rule: 'DECLARER_NOT_A_PERSON', field: 'incident.declaredBy', message: expect.stringContaining('declare it again as a person') });
  });

  it('refuses the declarer under another permission set, and as an IAM user of the same name', () => {
    // Prepare
    const declaredBy = ssoSession('AWSReservedSSO_Ops_1a2b', 'Alice@example.com');

    // Act
    const otherSet = twoPersonRefusal({ incident: { declaredBy }, approver: { arn: ssoSession('AWSReservedSSO_Admin_9f8e', 'alice@example.com') }, personRoles });
    const sameName = twoPersonRefusal({ incident: { declaredBy: user('alice') }, approver: { arn: ssoSession('AWSReservedSSO_Ops_1a2b', 'alice') }, personRoles });

    // Assess
    expect(otherSet?.rule).toBe('SAME_PERSON');
    expect(sameName?.rule).toBe('SAME_PERSON');
  });

  it('lets a second person approve: two IAM users, two Identity Center users, or a role listed as person-bound', () => {
    // Act, Assess
    expect(twoPersonRefusal({ incident: { declaredBy: user('alice') }, approver: { arn: user('bob') }, personRoles })).toBeUndefined();
    expect(
      twoPersonRefusal({ incident: { declaredBy: ssoSession('AWSReservedSSO_Ops_1a2b', 'alice') }, approver: { arn: ssoSession('AWSReservedSSO_Ops_1a2b', 'bob') }, personRoles }),
    ).toBeUndefined();
    expect(twoPersonRefusal({ incident: { declaredBy: opsSession('alice') }, approver: { arn: opsSession('bob') }, personRoles: ['Ops'] })).toBeUndefined();
  });

  it('lets any person approve an incident recorded before its declarer was, but no self-named session', () => {
    // Act, Assess
    expect(twoPersonRefusal({ incident: {}, approver: { arn: user('bob') }, personRoles })).toBeUndefined();
    expect(twoPersonRefusal({ incident: {}, approver: { arn: opsSession('bob') }, personRoles })?.rule).toBe('APPROVER_NOT_A_PERSON');
  });

  it('refuses a corrections campaign approved by who applied its import: the same IAM id, or their role session under any role', () => {
    // Prepare: S3 names uploaders by principal id.
    const incident = { declaredBy: 'audit (directory corrections)', origin: IncidentOrigin.CORRECTIONS, correctionsAppliedBy: ['AWS:AIDAALICE0000000000', 'AWS:AROACAROL000000000:carol'] };

    // Act
    const alice = twoPersonRefusal({ incident, approver: { arn: user('alice'), userId: 'AIDAALICE0000000000' }, personRoles });
    const carol = twoPersonRefusal({ incident, approver: { arn: ssoSession('AWSReservedSSO_Admin_9f8e', 'Carol'), userId: 'AROAADMIN000000000:Carol' }, personRoles });
    const bob = twoPersonRefusal({ incident, approver: { arn: user('bob'), userId: 'AIDABOB000000000000' }, personRoles });
    const nobody = twoPersonRefusal({ incident, approver: { arn: opsSession('dave'), userId: 'AROAOPS0000000000:dave' }, personRoles });

    // Assess
    expect(alice).toMatchObject({ rule: 'APPLIED_THE_IMPORT', field: 'caller' });
    expect(carol?.rule).toBe('APPLIED_THE_IMPORT');
    expect(bob).toBeUndefined();
    // The system declared it: one human approver is enough, but a human it must be.
    expect(nobody?.rule).toBe('APPROVER_NOT_A_PERSON');
  });

  it('refuses an approver who imported rows the campaign apologises for, though a colleague declared it; corrections alike', () => {
    // Prepare: erin imported the send log (as the endpoint or S3 names her), frank declared.
    const rowsImportedBy = ['AWS:AIDAERIN00000000000', 'AWS:AROAOPS0000000000:Gwen@example.com'];
    const declared = { declaredBy: user('frank'), rowsImportedBy };
    const corrections = { declaredBy: 'audit (directory corrections)', origin: IncidentOrigin.CORRECTIONS, rowsImportedBy };

    // Act
    const erin = twoPersonRefusal({ incident: declared, approver: { arn: user('erin'), userId: 'AIDAERIN00000000000' }, personRoles });
    const gwen = twoPersonRefusal({ incident: declared, approver: { arn: ssoSession('AWSReservedSSO_Admin_9f8e', 'gwen@example.com'), userId: 'AROAADMIN000000000:gwen@example.com' }, personRoles });
    const henry = twoPersonRefusal({ incident: declared, approver: { arn: user('henry'), userId: 'AIDAHENRY0000000000' }, personRoles });
    const erinOnCorrections = twoPersonRefusal({ incident: corrections, approver: { arn: user('erin'), userId: 'AIDAERIN00000000000' }, personRoles });

    // Assess
    expect(erin).toMatchObject({ rule: 'IMPORTED_THE_ROWS', field: 'caller', message: expect.stringContaining('a person who did not import them') });
    expect(gwen?.rule).toBe('IMPORTED_THE_ROWS');
    expect(henry).toBeUndefined();
    expect(erinOnCorrections?.rule).toBe('IMPORTED_THE_ROWS');
    // The declarer who also imported is told the first rule: they declared it.
    expect(twoPersonRefusal({ incident: { ...declared, declaredBy: user('erin') }, approver: { arn: user('erin'), userId: 'AIDAERIN00000000000' }, personRoles })?.rule).toBe('SAME_PERSON');
  });
});

describe('why a plan waits for approval', () => {
  it('waits above the threshold, with strangers, and for corrections with anyone to write to; not otherwise', () => {
    // Act, Assess
    expect(approvalNeedsOf({ toApologise: 101 }, undefined, 100)).toEqual(['ABOVE_THRESHOLD']);
    expect(approvalNeedsOf({ toApologise: 3, strangers: 1 }, undefined, 100)).toEqual(['STRANGERS']);
    expect(approvalNeedsOf({ toApologise: 1 }, IncidentOrigin.CORRECTIONS, 100)).toEqual(['CORRECTIONS']);
    expect(approvalNeedsOf({ toApologise: 0 }, IncidentOrigin.CORRECTIONS, 100)).toEqual([]);
    expect(approvalNeedsOf({ toApologise: 100 }, undefined, 100)).toEqual([]);
  });

  it('counts a declarer who names nobody under one shared key, whatever the session name or role', () => {
    // Act, Assess
    expect(declarerKeyOf(opsSession('a'), personRoles)).toBe(declarerKeyOf(opsSession('b'), personRoles));
    expect(declarerKeyOf(`arn:aws:sts::${ACCOUNT}:assumed-role/Other/c`, personRoles)).toBe(declarerKeyOf(undefined, personRoles));
    expect(declarerKeyOf(user('Alice'), personRoles)).toBe(`${ACCOUNT}/alice`);
    expect(parsePersonRoles(' AWSReservedSSO_*, OpsPerson ,')).toEqual(['AWSReservedSSO_*', 'OpsPerson']);
  });
});
