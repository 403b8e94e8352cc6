/**
 * Which person an IAM principal is, for the two-person rule (docs/operator.md, "Identity and the
 * two-person rule"; the rule itself: `campaign/two-person-rule.ts`).
 *
 * A function URL's IAM authorizer tells us the signer's ARN and ids (`userArn`, `userId`,
 * `callerId`, `accountId`, `accessKey`, `principalOrgId`), never `sts:SourceIdentity` nor the
 * trust policy of a role. So a person is what the caller cannot choose: an IAM user's name, or
 * the session name of a role the deployer declares person-bound (IAM Identity Center's
 * `AWSReservedSSO_*` roles, whose session name Identity Center sets to the user's name, or a role
 * whose trust policy forces `sts:RoleSessionName` to `${aws:username}`). Any other role session's
 * name is the caller's own choice, so it names nobody. Pure functions of the ARN, so an incident
 * recorded with its declarer's ARN is judged by the same rule later.
 */

/** Role names whose sessions name a person: exact names, or prefixes ending in `*`. */
export type PersonRoles = readonly string[];

/** The default: IAM Identity Center's roles (their session name is the Identity Center user's name). */
export const DEFAULT_PERSON_ROLES: PersonRoles = ['AWSReservedSSO_*'];

const USER_ARN = /^arn:[a-z-]+:iam::(\d{12}):user\/(?:[^/]+\/)*([^/]+)$/;
const SESSION_ARN = /^arn:[a-z-]+:sts::(\d{12}):assumed-role\/([^/]+)\/([^/]+)$/;

/**
 * The person an ARN is, as `<account>/<name>` (lower-cased: IAM user names and Identity Center
 * user names are unique regardless of case), or undefined when the ARN names nobody for sure
 * (a session of a role not person-bound, a federated user, the root user, a service).
 *
 * An IAM user `alice` and a person-bound session `alice` of one account are one person here: it
 * may refuse two different people who share a name, never let one person pass as two that way.
 *
 * @example
 * personOf('arn:aws:iam::123456789012:user/ops/alice', DEFAULT_PERSON_ROLES) // '123456789012/alice'
 * personOf('arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Ops_1a2b/Bob@example.com', DEFAULT_PERSON_ROLES) // '123456789012/bob@example.com'
 * personOf('arn:aws:sts::123456789012:assumed-role/Ops/anything', DEFAULT_PERSON_ROLES) // undefined
 */
export function personOf(arn: string | undefined, personRoles: PersonRoles): string | undefined {
  if (arn === undefined) return undefined;
  const user = USER_ARN.exec(arn);
  if (user) return `${user[1]}/${user[2]!.toLowerCase()}`;
  const session = SESSION_ARN.exec(arn);
  if (session && isPersonRole(session[2]!, personRoles)) return `${session[1]}/${session[3]!.toLowerCase()}`;
  return undefined;
}

/** The key a declarer's automatic approvals are counted under when their ARN names nobody. */
export const UNIDENTIFIED_DECLARER = 'unidentified';

/**
 * What a declarer's automatic approvals of a day are counted under: their person, or one key
 * shared by every declarer who names nobody (a self-named session, a record without an ARN), so
 * a new session name or another role buys no more.
 *
 * @example
 * declarerKeyOf('arn:aws:sts::123456789012:assumed-role/Ops/a', DEFAULT_PERSON_ROLES) // 'unidentified'
 */
export function declarerKeyOf(arn: string | undefined, personRoles: PersonRoles): string {
  return personOf(arn, personRoles) ?? UNIDENTIFIED_DECLARER;
}

/**
 * The person-bound roles as the environment gives them: a comma-separated list, blanks dropped.
 *
 * @example
 * parsePersonRoles('AWSReservedSSO_*, OpsPerson') // ['AWSReservedSSO_*', 'OpsPerson']
 */
export function parsePersonRoles(list: string): PersonRoles {
  return list
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Whether a role's sessions name a person: its name is listed, or starts with a listed `prefix*`. */
function isPersonRole(roleName: string, personRoles: PersonRoles): boolean {
  return personRoles.some((p) => (p.endsWith('*') ? roleName.startsWith(p.slice(0, -1)) : roleName === p));
}
