import { describe, expect, it } from 'vitest';
import { incidentProblems, rowInIncident, windowDays, type Incident } from '../../../lambdas/audit/incident';
import { maskAddress } from '../../../lambdas/directory/mask-address';

const base: Incident = { incidentId: 'inc-1', description: 'x', declaredAt: '2025-03-03T00:00:00Z' };

describe('incidents', () => {
  it('needs a window or a source, and a whole window', () => {
    expect(incidentProblems({ description: 'x' })).toContain('scope: give a time window, a source, or both');
    expect(incidentProblems({ description: 'x', windowStart: '2025-03-01T00:00:00Z' })).toContain('window: give both --from and --to, or neither');
    expect(incidentProblems({ description: 'x', source: 'registry-notices' })).toContain(
      'scope: an incident about registry-notices itself needs a time window',
    );
    expect(incidentProblems({ description: 'CRM blast', source: 'legacy-crm' })).toEqual([]);
  });

  it('lists every UTC day a window touches', () => {
    expect(windowDays('2025-03-01T22:00:00Z', '2025-03-03T00:00:00Z')).toEqual(['2025-03-01', '2025-03-02']);
  });

  it('holds rows inside its window (end excluded) and from its source', () => {
    const incident = { ...base, windowStart: '2025-03-01T00:00:00.000Z', windowEnd: '2025-03-02T00:00:00.000Z', source: 'legacy-crm' };
    expect(rowInIncident({ decidedAt: '2025-03-01T10:00:00.000Z', sender: 'import:legacy-crm' }, incident)).toBe(true);
    expect(rowInIncident({ decidedAt: '2025-03-02T00:00:00.000Z', sender: 'import:legacy-crm' }, incident)).toBe(false);
    expect(rowInIncident({ decidedAt: '2025-03-01T10:00:00.000Z', sender: 'registry-notices' }, incident)).toBe(false);
  });

  it('masks addresses for reports', () => {
    expect(maskAddress('Ann@Example.com')).toBe('A***@example.com');
    expect(maskAddress('@x')).toBe('***');
  });
});
