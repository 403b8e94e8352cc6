import { describe, expect, it } from 'vitest';
import { renderApology } from '../../lambdas/audit/render-apology';
import { PREVIEW_UNSUBSCRIBE_TOKEN, previewApology, type ApologyPreviewSettings } from '../../lambdas/operator/apology-preview';
import { OPERATOR_COMMAND_LIST } from '../../lambdas/operator/commands';
import { InvalidEventError } from '../../lambdas/platform/function-errors';
import { parseEvent } from '../../lambdas/platform/middleware/event-validation';
import { operatorFieldNames, operatorRequestSchema } from '../../lambdas/operator/request-validation';
import { functionUrlEventFactory } from '../helpers/factories';

const settings: ApologyPreviewSettings = {
  shopName: 'Example Shop',
  links: { registryBaseUrl: 'https://help.example.com/', helpUrl: 'https://help.example.com/' },
  unsubscribeBaseUrl: 'https://unsub.example.com/',
};

function issuesOf(body: unknown): unknown {
  const options = { schema: operatorRequestSchema(OPERATOR_COMMAND_LIST), rootField: '(body)', knownFields: operatorFieldNames(OPERATOR_COMMAND_LIST) };
  try {
    parseEvent(functionUrlEventFactory(JSON.stringify(body), 'alice'), options);
  } catch (error) {
    if (error instanceof InvalidEventError) return error.issues;
    throw error;
  }
  return [];
}

describe('apology preview', () => {
  it('is the apology the sender renders, in each language, with the one-click unsubscribe headers', () => {
    // Prepare
    const unsubscribe = `https://unsub.example.com/?token=${PREVIEW_UNSUBSCRIBE_TOKEN}`;

    // Act
    const en = previewApology({ locale: 'en', noticeSentAt: '2025-03-01T09:00:00Z' }, settings);
    const de = previewApology({ locale: 'de', customer: false }, settings);

    // Assess
    const sent = renderApology({
      locale: 'en',
      addressIsCustomer: true,
      noticeSentAt: '2025-03-01T09:00:00Z',
      links: { help: 'https://help.example.com/', unsubscribe },
      shopName: 'Example Shop',
    });
    expect(en).toMatchObject({ subject: sent.subject, html: sent.html, text: sent.text, linkGuardFindings: [] });
    expect(en.text).toContain('On 1 March 2025');
    expect(en.headers).toEqual([
      { name: 'List-Unsubscribe', value: `<${unsubscribe}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
    expect(de.subject).toBe('Wir haben Ihnen irrtümlich eine E-Mail geschickt');
    expect(de.text).toContain('vor Kurzem');
    expect(de.text).not.toContain('Kundenkonto');
  });

  it('refuses a language we do not write in and a date that is none, naming the field', () => {
    expect(issuesOf({ command: 'apology preview', locale: 'fr', noticeSentAt: 'yesterday' })).toEqual([
      { field: 'locale', rule: 'must be en or de' },
      { field: 'noticeSentAt', rule: 'must be an RFC 3339 date-time with a time zone' },
    ]);
    expect(issuesOf({ command: 'apology preview' })).toEqual([{ field: 'locale', rule: 'is required' }]);
  });
});
