import { describe, expect, it } from 'vitest';
import { approvalNeedWords } from '../../../lambdas/audit/campaign/approval-need-words';
import { ApprovalNeed } from '../../../lambdas/audit/campaign/approval-need';

describe('why a plan waits, in the words the CLI and the console print', () => {
  it('says one sentence per reason, with the threshold and the strangers counted', () => {
    // Act
    const words = approvalNeedWords({ approvalNeeded: [ApprovalNeed.STRANGERS, ApprovalNeed.DECLARER_DAILY_LIMIT], strangers: 3 }, 50);

    // Assess
    expect(words).toEqual([
      "with the declarer's other campaigns approved today it is more than 50: waits for a second person.",
      '3 recipient(s) only an import names (never mailed by us, no customer): waits for a second person.',
    ]);
  });

  it('says a corrections plan waits for someone who did not apply the import, and a plan above the threshold for a second person', () => {
    // Act
    const words = approvalNeedWords({ approvalNeeded: [ApprovalNeed.CORRECTIONS, ApprovalNeed.ABOVE_THRESHOLD] }, 100);

    // Assess
    expect(words).toEqual([
      "more than 100 recipients: waits for approval by a second person (not the incident's declarer).",
      'planned from directory corrections: waits for a person who did not apply their import.',
    ]);
  });

  it('reads a plan made before the reasons were recorded as waiting for its size', () => {
    // Act / Assess
    expect(approvalNeedWords({}, 100)).toEqual(["more than 100 recipients: waits for approval by a second person (not the incident's declarer)."]);
  });
});
