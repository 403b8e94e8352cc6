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

describe('context operatorPersonRoles', () => {
  it('defaults to IAM Identity Center roles and takes a comma-separated list of role names or prefixes', () => {
    // Act, Assess
    expect(parseNoticesConfig(REQUIRED).operatorPersonRoles).toBe('AWSReservedSSO_*');
    expect(parseNoticesConfig({ ...REQUIRED, operatorPersonRoles: 'AWSReservedSSO_*, OpsPerson' }).operatorPersonRoles).toBe('AWSReservedSSO_*,OpsPerson');
  });

  it('refuses a list with something that is no role name, naming the key and the rule', () => {
    // Act
    const refused = (() => {
      try {
        parseNoticesConfig({ ...REQUIRED, operatorPersonRoles: 'Ops*Person,' });
      } catch (error) {
        return error;
      }
      return undefined;
    })();

    // Assess
    expect(refused).toBeInstanceOf(InvalidContextError);
    expect((refused as Error).message).toContain('operatorPersonRoles: must be role names (or prefixes ending in *) separated by commas');
  });
});
