import { describe, expect, it } from 'vitest';
import { combineEnvVars, envVars, readEnv } from '../../lambdas/platform/env';
import { ConfigurationError } from '../../lambdas/platform/function-errors';

const TABLES = envVars({ required: ['LEDGER_TABLE', 'AUDIT_TABLE'], optional: { LEASE_SECONDS: 360, SHOP: 'Gift Registry', QUEUE_URL: undefined } });

describe('readEnv', () => {
  it('gives required variables trimmed and optional ones parsed by their default', () => {
    // Act
    const e = readEnv(TABLES, { LEDGER_TABLE: ' ledger ', AUDIT_TABLE: 'audit', LEASE_SECONDS: '420', SHOP: ' Shop ', QUEUE_URL: 'https://q' });

    // Assess
    expect(e).toEqual({ LEDGER_TABLE: 'ledger', AUDIT_TABLE: 'audit', LEASE_SECONDS: 420, SHOP: 'Shop', QUEUE_URL: 'https://q' });
  });

  it('gives the defaults of unset or blank optional variables, and no value for one without a default', () => {
    // Act
    const e = readEnv(TABLES, { LEDGER_TABLE: 'ledger', AUDIT_TABLE: 'audit', SHOP: '  ', QUEUE_URL: '' });

    // Assess
    expect(e).toEqual({ LEDGER_TABLE: 'ledger', AUDIT_TABLE: 'audit', LEASE_SECONDS: 360, SHOP: 'Gift Registry', QUEUE_URL: undefined });
  });

  it('reports every missing required variable at once', () => {
    // Act
    const act = (): unknown => readEnv(TABLES, { AUDIT_TABLE: ' ' });

    // Assess
    expect(act).toThrow(ConfigurationError);
    expect(act).toThrow('missing environment variable(s): LEDGER_TABLE, AUDIT_TABLE');
  });

  it('refuses an optional number that is not a positive integer', () => {
    // Act
    const act = (): unknown => readEnv(TABLES, { LEDGER_TABLE: 'l', AUDIT_TABLE: 'a', LEASE_SECONDS: '1.5' });

    // Assess
    expect(act).toThrow('LEASE_SECONDS must be a positive integer (got "1.5")');
  });
});

describe('combineEnvVars', () => {
  it('lists each variable once, required where any part requires it', () => {
    // Act
    const combined = combineEnvVars(TABLES, envVars({ required: ['LEDGER_TABLE', 'QUEUE_URL'], optional: { DAYS: 90 } }));

    // Assess
    expect(combined).toEqual({ required: ['LEDGER_TABLE', 'AUDIT_TABLE', 'QUEUE_URL'], optional: { LEASE_SECONDS: 360, SHOP: 'Gift Registry', DAYS: 90 } });
  });
});
