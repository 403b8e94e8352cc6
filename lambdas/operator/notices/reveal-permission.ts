import { personOf, type PersonRoles } from '../../audit/person';

/**
 * Who may see an address in the clear (`notice show --reveal`): a permission of its own,
 * separate from calling the endpoint (docs/operator.md, "Revealing an address"). The deployer
 * lists the revealers (context `operatorRevealerRoles`, environment `OPERATOR_REVEALER_ROLES`):
 * role names whose sessions may reveal, and IAM users as `user/<name>`, `*` ending a prefix.
 * The caller must also be a person (`person.ts`), so the record of a reveal says who made it.
 * Pure functions of the ARN, tested without I/O.
 */

/** Revealer entries: role names (or `prefix*`), and `user/<name>` (or `user/prefix*`) for IAM users. */
export type RevealerRoles = readonly string[];

/**
 * The default: sessions of an IAM Identity Center permission set named `NoticeRevealer`
 * (Identity Center names its roles `AWSReservedSSO_<permission set>_<id>`): assigning that
 * permission set is the separate permission. No IAM user may reveal unless listed.
 */
export const DEFAULT_REVEALER_ROLES = 'AWSReservedSSO_NoticeRevealer_*';

/** Why a caller may not reveal: the rule broken (as an issue of field `caller`) and what to do. */
export interface RevealRefusal {
  readonly rule: 'REVEALER_NOT_A_PERSON' | 'NOT_A_REVEALER';
  readonly reason: string;
}

const USER_ARN = /^arn:[a-z-]+:iam::\d{12}:user\/(?:[^/]+\/)*([^/]+)$/;
const SESSION_ARN = /^arn:[a-z-]+:sts::\d{12}:assumed-role\/([^/]+)\/[^/]+$/;

/**
 * Whether the caller `arn` may reveal addresses, or why not. The reasons name the setting and
 * the rule, never the caller's name (refusals are logged).
 *
 * @example
 * revealRefusal('arn:aws:iam::123456789012:user/alice', ['AWSReservedSSO_*'], ['user/alice']) // undefined: may reveal
 * revealRefusal('arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Ops_1a2b/alice', ['AWSReservedSSO_*'], ['AWSReservedSSO_NoticeRevealer_*'])?.rule // 'NOT_A_REVEALER'
 */
export function revealRefusal(arn: string, personRoles: PersonRoles, revealers: RevealerRoles): RevealRefusal | undefined {
  if (personOf(arn, personRoles) === undefined) {
    return {
      rule: 'REVEALER_NOT_A_PERSON',
      reason:
        'a reveal is recorded with the person who made it, so the caller must be a person: an IAM user, or a session of a person-bound role ' +
        '(IAM Identity Center, or one listed in operatorPersonRoles), not a session whose name the caller chose',
    };
  }
  if (!isRevealer(arn, revealers)) {
    return {
      rule: 'NOT_A_REVEALER',
      reason:
        `revealing an address is a permission of its own: only sessions of the roles, and the IAM users (user/<name>), listed in ` +
        `operatorRevealerRoles (${revealers.join(',') || 'none'}) may; this caller's ${USER_ARN.test(arn) ? 'IAM user is' : 'role is'} not listed`,
    };
  }
  return undefined;
}

function isRevealer(arn: string, revealers: RevealerRoles): boolean {
  const user = USER_ARN.exec(arn);
  const name = user ? `user/${user[1]!}` : SESSION_ARN.exec(arn)?.[1];
  if (name === undefined) return false;
  return revealers.some((entry) => {
    // A role entry never matches an IAM user, nor a `user/` entry a role session.
    if (entry.startsWith('user/') !== name.startsWith('user/')) return false;
    return entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : name === entry;
  });
}
