// Apart from the link guard (`links.ts`), so a function that only checks its link settings
// (the audit, the operator, the row-audit worker) does not bundle linkify-it and its TLD list.

/**
 * Where our emails may point. Set per deployment; all must be https. (The unsubscribe link is
 * signed per recipient by `UnsubscribeLinks` and passed in ready-made.)
 */
export interface LinkConfig {
  readonly registryBaseUrl: string;
  readonly helpUrl: string;
}

/** The links one email is allowed to carry, all built by us. */
export interface NoticeLinks {
  readonly registryPage?: string;
  readonly help: string;
  readonly unsubscribe: string;
}

/**
 * Builds the only links a purchase notice may contain; `unsubscribe` is the recipient's signed
 * one-click link (the same URL goes into the `List-Unsubscribe` header).
 *
 * @example
 * buildNoticeLinks(config, 'reg-1', unsubscribeUrl).registryPage // 'https://shop.example/registry/reg-1'
 */
export function buildNoticeLinks(config: LinkConfig, registryId: string, unsubscribe: string): Required<NoticeLinks> {
  // A trailing dot is encoded too: a client linkifying the text part leaves it out of the
  // bare URL, which would then lead to another registry's page.
  const id = encodeURIComponent(registryId).replace(/\.+$/, (dots) => '%2E'.repeat(dots.length));
  return {
    registryPage: `${trimSlash(config.registryBaseUrl)}/${id}`,
    help: config.helpUrl,
    unsubscribe,
  };
}

/** Links for a message that is about no registry page (an apology): help and the recipient's signed unsubscribe link only. */
export function buildServiceLinks(config: LinkConfig, unsubscribe: string): NoticeLinks {
  return { help: config.helpUrl, unsubscribe };
}

/**
 * Checks link configuration: every base must be an absolute https URL without
 * credentials, so a typo cannot send owners somewhere else.
 * Returns one message per bad setting (empty when all are fine).
 */
export function linkConfigProblems(config: LinkConfig): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      problems.push(`${name} must be an absolute URL (got "${value}")`);
      continue;
    }
    if (url.protocol !== 'https:') problems.push(`${name} must use https (got "${url.protocol}")`);
    if (url.username || url.password) problems.push(`${name} must not carry credentials`);
  }
  return problems;
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
