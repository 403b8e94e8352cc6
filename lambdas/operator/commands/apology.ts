import * as z from 'zod/mini';
import { SUPPORTED_LOCALES } from '../../directory/facts';
import { previewApology } from '../apology-preview';
import { defineOperatorCommand } from '../operator-command';
import { contractObject, typeRule } from '../../platform/contract-schema';

/**
 * `apology preview`: the apology in one language as the sender renders it (subject, the
 * one-click unsubscribe headers, HTML, text), with the deployed shop name and links; sends nothing.
 */
export const apologyPreviewCommand = defineOperatorCommand({
  name: 'apology preview',
  request: contractObject(
    {
      locale: z.enum(SUPPORTED_LOCALES, typeRule(`must be ${SUPPORTED_LOCALES.join(' or ')}`)),
      customer: z.optional(z.boolean(typeRule('must be true or false'))),
      noticeSentAt: z.optional(z.iso.datetime({ offset: true, ...typeRule('must be an RFC 3339 date-time with a time zone') })),
    },
    '"apology preview"',
  ),
  run: async (request, { deps }) => previewApology(request, deps.apologyPreview),
});
