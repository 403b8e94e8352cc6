import * as z from 'zod/mini';
import { text } from './contract-schema';

/** Identifiers share one alphabet so they are safe in keys, logs and URLs. */
export const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
const DOT_SEGMENT = /^\.+$/;

/** An identifier field of a contract (purchase message, send log): 1-128 characters of that alphabet. */
export const identifier = text(128).check(
  z.regex(ID_PATTERN, { error: 'may only contain A-Z a-z 0-9 . _ : -' }),
  // Ids become URL path segments (the registry page): `.` and `..` would point elsewhere,
  // even percent-encoded (URL parsers resolve %2E%2E as a parent segment).
  z.refine((id: string) => !DOT_SEGMENT.test(id), { error: 'must not be only dots' }),
);
