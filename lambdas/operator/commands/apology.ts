import { apologyPreviewRequestSchema } from '../apology-preview-request';
import { defineOperatorCommand } from '../operator-command';

/**
 * `apology preview`: the apology in one language as the sender renders it (subject, the
 * one-click unsubscribe headers, HTML, text), with the deployed shop name and links; sends nothing.
 * Rendered by the apology preview function, which the operator function invokes
 * (`deps.apologyPreview`): the renderer and the link guard's libraries stay out of this bundle.
 */
export const apologyPreviewCommand = defineOperatorCommand({
  name: 'apology preview',
  request: apologyPreviewRequestSchema,
  run: async (request, { deps }) => deps.apologyPreview(request),
});
