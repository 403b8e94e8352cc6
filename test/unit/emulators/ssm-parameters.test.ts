import { describe, expect, it } from 'vitest';
import { ParameterStore, SsmApiError } from '@registry-notices/local-stack';

const codeOf = (action: () => unknown): string | undefined => {
  try {
    action();
  } catch (error) {
    if (error instanceof SsmApiError) return error.code;
    throw error;
  }
  return undefined;
};

describe('ParameterStore (the SSM emulator semantics)', () => {
  it('keeps the type and description of an overwritten parameter when the overwrite omits them', () => {
    // Prepare
    const store = new ParameterStore();
    store.put({ Name: '/p', Value: 'a', Type: 'SecureString', Description: 'kill switch' });

    // Act
    const overwritten = store.put({ Name: '/p', Value: 'b', Overwrite: true });

    // Assess
    expect(overwritten).toMatchObject({ value: 'b', type: 'SecureString', description: 'kill switch', version: 2 });
  });

  it('rejects a create without a type, a bad type, an empty value and tags with overwrite', () => {
    // Prepare
    const store = new ParameterStore();

    // Act
    const codes = [
      codeOf(() => store.put({ Name: '/p', Value: 'a' })),
      codeOf(() => store.put({ Name: '/p', Value: 'a', Type: 'Number' })),
      codeOf(() => store.put({ Name: '/p', Value: '', Type: 'String' })),
      codeOf(() => store.put({ Name: '/p', Value: 'a', Type: 'String', Overwrite: true, Tags: [] })),
    ];

    // Assess
    expect(codes).toEqual(['ValidationException', 'ValidationException', 'ValidationException', 'ValidationException']);
  });

  it('answers ParameterAlreadyExists for a second create and ParameterNotFound for unknown names', () => {
    // Prepare
    const store = new ParameterStore();
    store.put({ Name: '/p', Value: 'a', Type: 'String' });

    // Act
    const codes = [
      codeOf(() => store.put({ Name: '/p', Value: 'b', Type: 'String' })),
      codeOf(() => store.get('/q')),
      codeOf(() => store.delete('/q')),
    ];

    // Assess
    expect(codes).toEqual(['ParameterAlreadyExists', 'ParameterNotFound', 'ParameterNotFound']);
    expect(store.get('/p').value).toBe('a');
  });

  it('lists each requested name once and caps GetParameters at ten names', () => {
    // Prepare
    const store = new ParameterStore();
    store.put({ Name: '/a', Value: '1', Type: 'String' });

    // Act
    const result = store.getMany(['/a', '/b', '/a']);
    const tooMany = codeOf(() => store.getMany(Array.from({ length: 11 }, (_, i) => `/n${i}`)));

    // Assess
    expect(result.found.map((p) => p.name)).toEqual(['/a']);
    expect(result.invalid).toEqual(['/b']);
    expect(tooMany).toBe('ValidationException');
  });
});
