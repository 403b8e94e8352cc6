import { apologyLinksFromEnv } from '../../audit/apology-links-from-env';
import { readEnv } from '../../platform/env';
import type { ApologyPreviewSettings } from '../apology-preview';
import { APOLOGY_PREVIEW_ENV } from './env';

/**
 * What the preview renders with, from the function's environment (./env.ts), once per execution
 * environment: the shop's name, the help link (checked: a malformed one fails loudly at cold
 * start) and the unsubscribe base.
 *
 * @example
 * const settings = previewSettingsFromEnv();
 */
export function previewSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ApologyPreviewSettings {
  const e = readEnv(APOLOGY_PREVIEW_ENV, env);
  return {
    shopName: e.SHOP_NAME,
    links: apologyLinksFromEnv(e),
    ...(e.UNSUBSCRIBE_BASE_URL ? { unsubscribeBaseUrl: e.UNSUBSCRIBE_BASE_URL } : {}),
  };
}
