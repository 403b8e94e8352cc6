
/** Registry states; only ACTIVE registries have a page and may be notified about. */
export const RegistryStatus = { ACTIVE: 'ACTIVE', CLOSED: 'CLOSED', SUSPENDED: 'SUSPENDED' } as const;
export type RegistryStatus = (typeof RegistryStatus)[keyof typeof RegistryStatus];

/** A registry as our data knows it. */
export interface Registry {
  readonly registryId: string;
  readonly ownerCustomerId: string;
  readonly status: string;
  /** `false` is surprise mode: the owner does not want to hear about purchases. */
  readonly purchaseNotifications: boolean;
  readonly title?: string;
}

/** Languages we write in; anything else is written to in English. */
export const SUPPORTED_LOCALES = ['en', 'de'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

/** A customer as our data knows them. `email` is personal data: never log it. */
export interface Customer {
  readonly customerId: string;
  readonly email: string;
  readonly locale: string;
  readonly firstName?: string;
  readonly notificationsOptOut: boolean;
}

/**
 * Picks the language to write in.
 *
 * @example
 * toLocale('de-AT') // 'de'
 * toLocale('fr')    // 'en'
 */
export function toLocale(value: string | undefined): Locale {
  const language = (value ?? '').toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(language ?? '') ? (language as Locale) : 'en';
}
