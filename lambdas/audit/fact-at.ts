/** A fact with the interval it held over: [`validFrom`, `validUntil`), open-ended without `validUntil`. */
export interface HeldOver {
  readonly validFrom: string;
  readonly validUntil?: string;
}

/**
 * The fact of a timeline that held at `at`: the one whose interval contains it (start
 * inclusive, end exclusive). Instants are compared as instants, whatever their offsets.
 * `undefined` before the first fact, or for an empty timeline.
 *
 * @example
 * factAt([{ validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-05-01T00:00:00Z', status: 'ACTIVE' },
 *         { validFrom: '2026-05-01T00:00:00Z', status: 'CLOSED' }], '2026-03-01T10:00:00Z')?.status // 'ACTIVE'
 */
export function factAt<T extends HeldOver>(timeline: readonly T[], at: string): T | undefined {
  const t = Date.parse(at);
  return timeline.find((f) => Date.parse(f.validFrom) <= t && (f.validUntil === undefined || t < Date.parse(f.validUntil)));
}
