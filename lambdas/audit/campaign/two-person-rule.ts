import { IncidentOrigin } from '../incident';
import { personOf, type PersonRoles } from '../person';

/**
 * The two-person rule for a campaign that waits for approval (docs/operator.md, "Identity and
 * the two-person rule"): which rule an approval breaks, if any. Pure, so the endpoint and the
 * unit tests judge alike, and an incident recorded with ARNs is judged the same way later.
 */
export const TwoPersonRule = {
  /** The approver's session names nobody (a role session whose name the caller chose): no one to count as the second person. */
  APPROVER_NOT_A_PERSON: 'APPROVER_NOT_A_PERSON',
  /** The incident was declared by a session that names nobody: its declarer could be anyone, the approver included. */
  DECLARER_NOT_A_PERSON: 'DECLARER_NOT_A_PERSON',
  /** The approver is the person who declared the incident. */
  SAME_PERSON: 'SAME_PERSON',
  /** A corrections campaign: the approver applied an import whose corrections it holds. */
  APPLIED_THE_IMPORT: 'APPLIED_THE_IMPORT',
  /** The approver imported send-log rows the campaign apologises for (through the endpoint or S3). */
  IMPORTED_THE_ROWS: 'IMPORTED_THE_ROWS',
} as const;
export type TwoPersonRule = (typeof TwoPersonRule)[keyof typeof TwoPersonRule];

/** What the rule looks at. */
export interface ApprovalCase {
  readonly incident: {
    /** The declarer's IAM ARN; absent on incidents declared before it was recorded. */
    readonly declaredBy?: string;
    readonly origin?: IncidentOrigin;
    /**
     * Who applied the imports whose corrections a corrections incident holds, as S3 names an
     * uploader (`AWS:AIDA…` for an IAM user, `AWS:AROA…:<session>` for a role session).
     */
    readonly correctionsAppliedBy?: readonly string[];
    /** Who imported the send-log rows the campaign apologises for, in the same form. */
    readonly rowsImportedBy?: readonly string[];
  };
  readonly approver: {
    readonly arn: string;
    /** IAM's id of the caller (`AIDA…`, `AROA…:<session>`), from the function URL's authorizer. */
    readonly userId?: string;
  };
  readonly personRoles: PersonRoles;
}

/** A broken rule: which, the field it is about, and what to do instead. */
export interface TwoPersonRefusal {
  readonly rule: TwoPersonRule;
  readonly field: 'caller' | 'incident.declaredBy';
  readonly message: string;
}

/**
 * Which rule approving this campaign breaks, or undefined when the approver may approve it.
 * Every campaign that waits for approval needs it (above the threshold, over the declarer's
 * daily allowance, with strangers from an import, or planned from corrections): the approver
 * must be a person other than the declarer, not one who imported the send-log rows it
 * apologises for, and for corrections not one who applied them.
 *
 * @example
 * twoPersonRefusal({ incident: { declaredBy: 'arn:aws:sts::1:assumed-role/Ops/a' }, approver: { arn: 'arn:aws:sts::1:assumed-role/Ops/b' }, personRoles: [] })
 * // { rule: 'APPROVER_NOT_A_PERSON', field: 'caller', … }
 */
export function twoPersonRefusal({ incident, approver, personRoles }: ApprovalCase): TwoPersonRefusal | undefined {
  const approverPerson = personOf(approver.arn, personRoles);
  if (approverPerson === undefined) {
    return {
      rule: TwoPersonRule.APPROVER_NOT_A_PERSON,
      field: 'caller',
      message:
        'the approver must be a person: an IAM user, or a session of a person-bound role (IAM Identity Center, or one listed in operatorPersonRoles); ' +
        'a role session whose name the caller chose names nobody',
    };
  }
  if (incident.origin === IncidentOrigin.CORRECTIONS) {
    if ((incident.correctionsAppliedBy ?? []).some((applier) => isApplier(applier, approver.userId, approverPerson))) {
      return {
        rule: TwoPersonRule.APPLIED_THE_IMPORT,
        field: 'caller',
        message: 'a corrections campaign needs an approver who did not apply the import its corrections came from',
      };
    }
    return importerRefusal(incident, approver, approverPerson);
  }
  // An incident recorded before the declarer was (no ARN): any person may approve it, but not its rows' importer.
  if (incident.declaredBy === undefined) return importerRefusal(incident, approver, approverPerson);
  const declarerPerson = personOf(incident.declaredBy, personRoles);
  if (declarerPerson === undefined) {
    return {
      rule: TwoPersonRule.DECLARER_NOT_A_PERSON,
      field: 'incident.declaredBy',
      message:
        'the incident was declared by a session that names no person, so nobody can be shown to be a second person: ' +
        'declare it again as a person (an IAM user or a person-bound role session)',
    };
  }
  if (declarerPerson === approverPerson) {
    return {
      rule: TwoPersonRule.SAME_PERSON,
      field: 'caller',
      message: 'it needs a second person, and the person who declared the incident may not approve it',
    };
  }
  return importerRefusal(incident, approver, approverPerson);
}

/** Whoever brought the rows in may not be the one who lets apologies go to them: an import takes any address. */
function importerRefusal(incident: ApprovalCase['incident'], approver: ApprovalCase['approver'], approverPerson: string): TwoPersonRefusal | undefined {
  if (!(incident.rowsImportedBy ?? []).some((importer) => isApplier(importer, approver.userId, approverPerson))) return undefined;
  return {
    rule: TwoPersonRule.IMPORTED_THE_ROWS,
    field: 'caller',
    message: 'the approver imported send-log rows this campaign apologises for; it needs a person who did not import them',
  };
}

/** An S3 uploader's principal id: an IAM user's (`AIDA…`) or a role session's (`AROA…:<session>`). */
const ROLE_SESSION_ID = /^AROA[A-Z0-9]+:(.+)$/;

/**
 * Whether an uploader is the approver: the same IAM id, or a role session whose name is the
 * approver's person name (an Identity Center user under another permission set). S3 gives no
 * ARN, so a session of a role that is not person-bound cannot be tied to a person here
 * (docs/operator.md says what closes that).
 */
function isApplier(applier: string, approverUserId: string | undefined, approverPerson: string): boolean {
  const id = applier.startsWith('AWS:') ? applier.slice('AWS:'.length) : applier;
  if (approverUserId !== undefined && id === approverUserId) return true;
  const session = ROLE_SESSION_ID.exec(id);
  return session !== null && approverPerson.slice(approverPerson.indexOf('/') + 1) === session[1]!.toLowerCase();
}
