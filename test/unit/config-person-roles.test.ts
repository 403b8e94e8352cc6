import { describe, expect, it } from 'vitest';
import { InvalidContextError, parseNoticesConfig } from '../../lib/config';

/** The context every deployment must give (the rest have defaults). */
const REQUIRED = {
  senderDomain: 'notices.example.com',
  senderAddress: 'gifts@notices.example.com',
  shopName: 'Gift Registry',
  registryBaseUrl: 'https://shop.example.com/registry',
  helpUrl: 'https://shop.example.com/help',
};

/** What parseNoticesConfig throws for `context` (undefined when it takes it). */
function refusalOf(context: Record<string, unknown>): unknown {
  try {
    parseNoticesConfig(context);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('context operatorPersonRoles', () => {
  it('defaults to IAM Identity Center roles and takes a comma-separated list of role names or prefixes', () => {
    // Act, Assess
    expect(parseNoticesConfig(REQUIRED).operatorPersonRoles).toBe('AWSReservedSSO_*');
    expect(parseNoticesConfig({ ...REQUIRED, operatorPersonRoles: 'AWSReservedSSO_*, OpsPerson' }).operatorPersonRoles).toBe('AWSReservedSSO_*,OpsPerson');
  });

  it('refuses a list with something that is no role name, naming the key and the rule', () => {
    // Act
    const refused = refusalOf({ ...REQUIRED, operatorPersonRoles: 'Ops*Person,' });

    // Assess
    expect(refused).toBeInstanceOf(InvalidContextError);
    expect((refused as Error).message).toContain('operatorPersonRoles: must be role names (or prefixes ending in *) separated by commas');
  });
});

describe('context operatorRevealerRoles', () => {
  it('defaults to the NoticeRevealer permission set and takes roles and user/<name> entries', () => {
    expect(parseNoticesConfig(REQUIRED).operatorRevealerRoles).toBe('AWSReservedSSO_NoticeRevealer_*');
    expect(parseNoticesConfig({ ...REQUIRED, operatorRevealerRoles: 'Privacy, user/alice , user/dpo-*' }).operatorRevealerRoles).toBe('Privacy,user/alice,user/dpo-*');
  });

  it('refuses an entry that is no role or user name, naming the key and the rule', () => {
    // Act
    const refused = refusalOf({ ...REQUIRED, operatorRevealerRoles: 'user/ops/alice' });

    // Assess
    expect(refused).toBeInstanceOf(InvalidContextError);
    expect((refused as Error).message).toContain('operatorRevealerRoles: must be role names and IAM users as user/<name>');
  });
});
