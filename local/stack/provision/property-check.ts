import { UnsupportedPropertyError } from '../../errors';

/** How a provisioner treats each property of its resource type. */
export interface PropertyRules {
  /** Properties it applies to the emulator. */
  readonly applied: readonly string[];
  /** Properties with no local effect, each with the reason. */
  readonly ignored?: Readonly<Record<string, string>>;
}

/**
 * Checks a resource's properties against what the local stack knows: any property that
 * is neither applied nor deliberately ignored fails loudly, so a new setting in the stack
 * (one that might change behaviour) is never dropped without notice. Returns the ignored
 * properties that are set, for the start-up report.
 *
 * @example
 * checkProperties('Queue1', 'AWS::SQS::Queue', { VisibilityTimeout: 30 }, { applied: ['VisibilityTimeout'] }) // []
 */
export function checkProperties(
  logicalId: string,
  type: string,
  properties: Readonly<Record<string, unknown>>,
  rules: PropertyRules,
): string[] {
  const notes: string[] = [];
  for (const property of Object.keys(properties)) {
    if (rules.applied.includes(property)) continue;
    const reason = rules.ignored?.[property];
    if (reason === undefined) throw new UnsupportedPropertyError(logicalId, type, property);
    notes.push(`${property}: ${reason}`);
  }
  return notes;
}
