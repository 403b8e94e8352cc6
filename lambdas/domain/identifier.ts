import { z } from 'zod';

/** Identifiers share one alphabet so they are safe in keys, logs and URLs. */
const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** An identifier field of a contract (purchase message, send log): 1-128 characters of that alphabet. */
export const identifier = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(128, { error: 'must be at most 128 characters' })
  .regex(ID_PATTERN, { error: 'may only contain A-Z a-z 0-9 . _ : -' });
