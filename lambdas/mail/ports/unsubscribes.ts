import type { UnsubscribeScope } from '../unsubscribe/unsubscribe-token';

/** How an unsubscribe came in: a mail client's one-click POST, or the button of our confirmation page. */
export const UnsubscribeVia = { ONE_CLICK: 'ONE_CLICK', PAGE: 'PAGE' } as const;
export type UnsubscribeVia = (typeof UnsubscribeVia)[keyof typeof UnsubscribeVia];

/** One recipient's wish, as the unsubscribe endpoint records it. */
export interface Unsubscribe {
  readonly addressHash: string;
  readonly scope: UnsubscribeScope;
  /** ISO 8601. */
  readonly at: string;
  readonly via: UnsubscribeVia;
}

/** Where unsubscribes are kept: by address hash and scope, never overwritten by the directory feed. */
export interface UnsubscribeRegister {
  /** Records it once: a second time changes nothing and says `ALREADY` (the first time is kept). */
  record(unsubscribe: Unsubscribe): Promise<'RECORDED' | 'ALREADY'>;
}
