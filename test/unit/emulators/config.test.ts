import { describe, expect, it } from 'vitest';
import { DEFAULT_EMULATOR_PORTS, EmulatorError, parseJavaMajor, resolvePorts } from '@registry-notices/local-stack';

describe('resolvePorts', () => {
  it('prefers explicit ports, then EMULATOR_PORT_<NAME>, then the defaults', () => {
    // Act
    const ports = resolvePorts({ sqs: 0 }, { EMULATOR_PORT_SQS: '9999', EMULATOR_PORT_DYNAMODB: '8001' });

    // Assess
    expect(ports).toEqual({ sqs: 0, ses: DEFAULT_EMULATOR_PORTS.ses, dynamodb: 8001, ssm: DEFAULT_EMULATOR_PORTS.ssm, kms: DEFAULT_EMULATOR_PORTS.kms });
  });

  it('rejects a port that is not an integer from 0 to 65535, naming where it came from', () => {
    // Act
    const fromEnv = () => resolvePorts({}, { EMULATOR_PORT_SES: 'eight' });
    const fromOptions = () => resolvePorts({ ssm: 70_000 }, {});

    // Assess
    expect(fromEnv).toThrow(EmulatorError);
    expect(fromEnv).toThrow(/EMULATOR_PORT_SES=eight/);
    expect(fromOptions).toThrow(/ports\.ssm=70000/);
  });
});

describe('parseJavaMajor', () => {
  it('reads modern and legacy `java -version` output', () => {
    // Assess
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajor('command not found')).toBeUndefined();
  });
});
