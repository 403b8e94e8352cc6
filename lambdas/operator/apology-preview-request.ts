import * as z from 'zod/mini';
import { SUPPORTED_LOCALES } from '../directory/facts';
import { contractObject, fieldNamesOf, instant, typeRule } from '../platform/contract-schema';

/**
 * The contract of an `apology preview` request, in one place for the two functions that check
 * it: the operator function (the command's arguments) and the preview function it invokes (its
 * event). Apart from `apology-preview.ts`, so the operator function does not bundle the renderer.
 */
export const apologyPreviewRequestSchema = contractObject(
  {
    locale: z.enum(SUPPORTED_LOCALES, typeRule(`must be ${SUPPORTED_LOCALES.join(' or ')}`)),
    customer: z.optional(z.boolean(typeRule('must be true or false'))),
    noticeSentAt: z.optional(instant()),
  },
  '"apology preview"',
);

/** The contract's field names: what an error may show unmasked. */
export const APOLOGY_PREVIEW_REQUEST_FIELDS: ReadonlySet<string> = fieldNamesOf(apologyPreviewRequestSchema);
