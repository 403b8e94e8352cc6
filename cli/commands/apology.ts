import { SUPPORTED_LOCALES, type Locale } from '../../lambdas/directory/facts';
import { UsageError } from '../errors';
import { defineOperatorCliCommand } from '../operator/operator-cli-command';

/** `apology preview`: the apology in one language as the sender renders it, from the deployed settings. */
export const apologyPreviewCommand = defineOperatorCliCommand({
  name: 'apology preview',
  details: ["The unsubscribe token is signed for each recipient when sent; the preview's is refused by the endpoint."],
  options: {
    locale: { type: 'string', default: 'en', placeholder: '<en|de>', description: "the recipients' language (default en)" },
    'no-account': { type: 'boolean', description: 'as written to an address that is no customer of ours (no word about an account)' },
    'sent-at': { type: 'string', placeholder: '<iso>', description: 'when the wrong notice went out (default: the apology says "recently")' },
    html: { type: 'boolean', description: 'print the HTML part instead of the text part' },
  },
  examples: ['npx tsx cli/main.ts apology preview --locale de --sent-at 2025-03-01T09:00:00Z'],
  run: async ({ options, endpoint, io }) => {
    if (!(SUPPORTED_LOCALES as readonly string[]).includes(options.locale)) throw new UsageError(`--locale must be ${SUPPORTED_LOCALES.join(' or ')}.`);
    const preview = await endpoint.call('apology preview', {
      locale: options.locale as Locale,
      ...(options['no-account'] ? { customer: false } : {}),
      ...(options['sent-at'] !== undefined ? { noticeSentAt: options['sent-at'] } : {}),
    });
    io.print(`Subject: ${preview.subject}`);
    for (const h of preview.headers) io.print(`${h.name}: ${h.value}`);
    io.print('');
    for (const line of (options.html ? preview.html : preview.text).split('\n')) io.print(line);
    if (preview.linkGuardFindings.length > 0) io.print(`\nThe link guard refuses: ${preview.linkGuardFindings.join(', ')}`);
  },
});
