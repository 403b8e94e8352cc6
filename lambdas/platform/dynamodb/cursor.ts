/** Encodes DynamoDB's `LastEvaluatedKey` as an opaque cursor. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

/** The reverse of {@link encodeCursor}. */
export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  return cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;
}
