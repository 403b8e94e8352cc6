import type { IConstruct } from 'constructs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { InvalidContextError } from './errors';
import { textLinks } from '../lambdas/mail/link-guard/text-links';
import { PENDING_STATES } from '../lambdas/notices/ledger-table/audit-shards';
import { DEFAULT_REVEALER_ROLES } from '../lambdas/operator/notices/reveal-permission';
import { senderSizing, type SenderSizing } from './apology-sender-sizing';

export { InvalidContextError } from './errors';

/**
 * Everything the stack needs from CDK context (`cdk.json` "context", or `-c key=value`),
 * validated and typed.
 */
export interface NoticesConfig {
  /** Domain verified in SES with Easy DKIM; the sender address must be on it. */
  readonly senderDomain: string;
  /** The `From` address of every notice, on `senderDomain`. */
  readonly senderAddress: string;
  /** HTTPS base of registry pages; the handler appends the registry id. */
  readonly registryBaseUrl: string;
  /** HTTPS page linked as "help" in every email. */
  readonly helpUrl: string;
  /**
   * HTTPS base of the unsubscribe links, when the unsubscribe endpoint is served under your own
   * domain (e.g. CloudFront in front of its function URL); `undefined` = the function URL itself.
   */
  readonly unsubscribeBaseUrl: string | undefined;
  /** Days an unsubscribe link works after its email went out (CAN-SPAM asks for at least 30). */
  readonly unsubscribeLinkDays: number;
  /** Reserved concurrency of the unsubscribe endpoint: its rate limit (more requests get 429). */
  readonly unsubscribeMaxConcurrency: number;
  /** The custom MAIL FROM domain of the SES identity (SPF aligned), a subdomain of `senderDomain`. */
  readonly mailFromDomain: string;
  /** Where DMARC aggregate reports go (`rua=mailto:`). */
  readonly dmarcReportAddress: string;
  /** Records per Lambda invocation (SQS event source `BatchSize`). */
  readonly notifyBatchSize: number;
  /** Seconds the event source waits to fill a batch (`MaximumBatchingWindowInSeconds`). */
  readonly notifyMaxBatchingWindowSeconds: number;
  /** Concurrent invocations the event source may drive (`ScalingConfig.MaximumConcurrency`). */
  readonly notifyMaxConcurrency: number;
  /** Days a ledger row lives before DynamoDB TTL removes it. */
  readonly ledgerRetentionDays: number;
  /** Powertools log level of the functions. */
  readonly logLevel: LogLevel;
  /** Days CloudWatch keeps function logs; one of the values CloudWatch Logs accepts. */
  readonly logRetentionDays: RetentionDays;
  /** Guard blocks (metric `NoticeBlocked`) in 5 minutes above which the alarm fires. */
  readonly guardBlockAlarmThreshold: number;
  /** Name of the SSM parameter an operator sets to `true` to pause sending. */
  readonly killSwitchParameterName: string;
  /** The shop's name as emails sign it: one line, 1-60 characters. */
  readonly shopName: string;
  /** When the audit runs: an EventBridge Scheduler `rate(...)` or `cron(...)` expression. */
  readonly auditSchedule: string;
  /**
   * Most concurrent apology sender invocations (the rate is bounded by the shared slot
   * schedule, not by this): the configured one (checked against the rate), else derived from
   * `sesMaxSendRate`, `apologyRateSharePercent` and `apologySenderMsPerApology` (lib/apology-sender-sizing.ts).
   */
  readonly apologySenderMaxConcurrency: number;
  /** The SES `MaxSendRate` of the account the stack is sized for (SES's production start is 14/s). */
  readonly sesMaxSendRate: number;
  /** One apology's own work in the sender, ms, as measured (docs/incident-scale.md, "Sizing the sender"). */
  readonly apologySenderMsPerApology: number;
  /** The account's Lambda concurrent executions limit (Service Quotas; 1,000 unless raised). */
  readonly lambdaAccountConcurrency: number;
  /** The sender's sizing from those: batch size, needed and maximum concurrency, the allowed rate. */
  readonly apologySender: SenderSizing;
  /** Timeout of one apology sender invocation, seconds (its queue's visibility is six times this). */
  readonly apologySenderTimeoutSeconds: number;
  /** Campaigns with more recipients than this wait for an operator's approval. */
  readonly apologyApprovalThreshold: number;
  /**
   * Roles whose session names name a person, comma-separated, `*` ending a prefix: IAM Identity
   * Center's by default; list another only if its trust policy forces the session name
   * (docs/operator.md, "Identity and the two-person rule").
   */
  readonly operatorPersonRoles: string;
  /**
   * Who may reveal an address in the clear (`notice show --reveal`), comma-separated, `*` ending
   * a prefix: role names (their sessions), and IAM users as `user/<name>`. A permission of its
   * own; the default is an IAM Identity Center permission set named `NoticeRevealer`
   * (docs/operator.md, "Revealing an address").
   */
  readonly operatorRevealerRoles: string;
  /** Percent of SES's max send rate apologies may use (notices share the account). */
  readonly apologyRateSharePercent: number;
  /** Soft bounces of one address (from different emails) within `softBounceWindowDays` that suppress it. */
  readonly softBounceLimit: number;
  /** The window of `softBounceLimit`, in days. */
  readonly softBounceWindowDays: number;
  /** Seconds an `UNCERTAIN` send waits for its SES events before `notice uncertain` lists it and `notice resolve` may re-send it. */
  readonly uncertainSettleSeconds: number;
}

/**
 * One apology's own work in the sender (about 6 requests one after another plus SES's answer;
 * a batch's records run side by side): still ASSUMED. The local stack measured it only on a
 * loaded 2-core box, which says little of Lambda's pace; docs/incident-scale.md, "Sizing the
 * sender", works out 0.3-0.4 s from the CPU measured and advises 400 for a million-recipient
 * incident until the sender's REPORT durations on AWS say otherwise.
 */
export const ASSUMED_MS_PER_APOLOGY = 250;

/** Concurrency kept for the audit, directory, import, feedback and operator functions. */
const OTHER_FUNCTIONS_CONCURRENCY = 10;

/** Log levels Powertools Logger understands. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Context keys that have a default; the rest must be set. */
export const CONTEXT_DEFAULTS = {
  notifyBatchSize: 10,
  notifyMaxBatchingWindowSeconds: 5,
  notifyMaxConcurrency: 5,
  ledgerRetentionDays: 400,
  logLevel: 'INFO',
  logRetentionDays: 90,
  guardBlockAlarmThreshold: 20,
  killSwitchParameterName: '/registry-notices/sending-paused',
  auditSchedule: 'rate(5 minutes)',
  apologySenderTimeoutSeconds: 60,
  sesMaxSendRate: 14,
  apologySenderMsPerApology: ASSUMED_MS_PER_APOLOGY,
  lambdaAccountConcurrency: 1000,
  apologyApprovalThreshold: 100,
  operatorPersonRoles: 'AWSReservedSSO_*',
  operatorRevealerRoles: DEFAULT_REVEALER_ROLES,
  apologyRateSharePercent: 50,
  unsubscribeLinkDays: 90,
  unsubscribeMaxConcurrency: 5,
  softBounceLimit: 3,
  softBounceWindowDays: 7,
  uncertainSettleSeconds: 900,
} as const satisfies Partial<Record<keyof NoticesConfig, unknown>>;

/** Every context key the app reads, in the order problems are reported. */
export const CONTEXT_KEYS = [
  'senderDomain',
  'senderAddress',
  'registryBaseUrl',
  'helpUrl',
  'unsubscribeBaseUrl',
  'unsubscribeLinkDays',
  'unsubscribeMaxConcurrency',
  'mailFromDomain',
  'dmarcReportAddress',
  'notifyBatchSize',
  'notifyMaxBatchingWindowSeconds',
  'notifyMaxConcurrency',
  'ledgerRetentionDays',
  'logLevel',
  'logRetentionDays',
  'guardBlockAlarmThreshold',
  'killSwitchParameterName',
  'shopName',
  'auditSchedule',
  'apologySenderMaxConcurrency',
  'apologySenderTimeoutSeconds',
  'sesMaxSendRate',
  'apologySenderMsPerApology',
  'lambdaAccountConcurrency',
  'apologyApprovalThreshold',
  'operatorPersonRoles',
  'operatorRevealerRoles',
  'apologyRateSharePercent',
  'softBounceLimit',
  'softBounceWindowDays',
  'uncertainSettleSeconds',
] as const satisfies readonly (keyof NoticesConfig)[];

/**
 * Reads and validates every context key the app uses from a construct's context.
 *
 * @throws InvalidContextError listing every bad or missing value at once
 * @example
 * const app = new App();
 * const config = readNoticesConfig(app);
 */
export function readNoticesConfig(scope: IConstruct): NoticesConfig {
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) raw[key] = scope.node.tryGetContext(key);
  // Plain names (not feature flags `@aws-cdk/...`, not `aws:cdk:...`) are ours: pass them
  // along so a misspelt key is reported instead of silently falling back to a default.
  for (const key of Object.keys(scope.node.getAllContext())) {
    if (OUR_KEY_SHAPE.test(key) && !(key in raw)) raw[key] = scope.node.tryGetContext(key);
  }
  return parseNoticesConfig(raw);
}

const OUR_KEY_SHAPE = /^[a-z][A-Za-z0-9]*$/;

/**
 * Validates raw context values. Numbers may arrive as strings (`-c notifyBatchSize=5`).
 *
 * @throws InvalidContextError listing every bad or missing value at once
 * @example
 * parseNoticesConfig({ senderDomain: 'notices.example.com', ... });
 */
export function parseNoticesConfig(raw: Readonly<Record<string, unknown>>): NoticesConfig {
  const problems: string[] = [];
  const v = new Validator(raw, problems);

  const senderDomain = v.domain('senderDomain');
  const senderAddress = v.senderAddress('senderAddress', senderDomain);
  const registryBaseUrl = v.httpsUrl('registryBaseUrl', { allowQuery: false });
  const helpUrl = v.httpsUrl('helpUrl', { allowQuery: true });
  const unsubscribeBaseUrl = v.present('unsubscribeBaseUrl') ? v.httpsUrl('unsubscribeBaseUrl', { allowQuery: false }) : undefined;
  const unsubscribeLinkDays = v.integer('unsubscribeLinkDays', 30, 3650);
  // Reserved concurrency: Lambda keeps 100 of an account's concurrency unreserved, so small is the point.
  const unsubscribeMaxConcurrency = v.integer('unsubscribeMaxConcurrency', 1, 100);
  const mailFromDomain = v.mailFromDomain('mailFromDomain', senderDomain);
  const dmarcReportAddress = v.reportAddress('dmarcReportAddress', senderDomain);
  const notifyBatchSize = v.integer('notifyBatchSize', 1, 10_000);
  // Lambda's SQS event source allows 0-300 s.
  const notifyMaxBatchingWindowSeconds = v.integer('notifyMaxBatchingWindowSeconds', 0, 300);
  // Lambda's SQS event source allows 2-1000.
  const notifyMaxConcurrency = v.integer('notifyMaxConcurrency', 2, 1000);
  // Ten years is far beyond any sane retention; the bound catches unit mistakes (hours, seconds).
  const ledgerRetentionDays = v.integer('ledgerRetentionDays', 1, 3650);
  const logLevel = v.oneOf('logLevel', LOG_LEVELS);
  const logRetentionDays = v.logRetention('logRetentionDays');
  const guardBlockAlarmThreshold = v.integer('guardBlockAlarmThreshold', 0, 1_000_000);
  const killSwitchParameterName = v.parameterName('killSwitchParameterName');
  const shopName = v.displayName('shopName');
  const auditSchedule = v.scheduleExpression('auditSchedule');
  // Lambda's SQS event source allows 2-1000; unset, it follows from the rate (below).
  const apologySenderMaxConcurrency = v.present('apologySenderMaxConcurrency') ? v.integer('apologySenderMaxConcurrency', 2, 1000) : undefined;
  const sesMaxSendRate = v.integer('sesMaxSendRate', 1, 100_000);
  const apologySenderMsPerApology = v.integer('apologySenderMsPerApology', 1, 60_000);
  const lambdaAccountConcurrency = v.integer('lambdaAccountConcurrency', 10, 1_000_000);
  // Long enough for a batch of ten to wait for their slots; at most Lambda's 15 minutes.
  const apologySenderTimeoutSeconds = v.integer('apologySenderTimeoutSeconds', 10, 900);
  const apologyApprovalThreshold = v.integer('apologyApprovalThreshold', 1, 10_000_000);
  const operatorPersonRoles = v.roleNames('operatorPersonRoles');
  const operatorRevealerRoles = v.revealerNames('operatorRevealerRoles');
  const apologyRateSharePercent = v.integer('apologyRateSharePercent', 1, 100);
  const softBounceLimit = v.integer('softBounceLimit', 1, 100);
  const softBounceWindowDays = v.integer('softBounceWindowDays', 1, 365);
  // SES publishes events within seconds; a day of waiting is already far more than enough.
  const uncertainSettleSeconds = v.integer('uncertainSettleSeconds', 1, 86_400);

  for (const key of Object.keys(raw)) {
    if (OUR_KEY_SHAPE.test(key) && !(CONTEXT_KEYS as readonly string[]).includes(key)) {
      const near = CONTEXT_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
      problems.push(`${key}: not a context key of this app${near ? ` (did you mean ${near}?)` : ''}; known: ${CONTEXT_KEYS.join(', ')}`);
    }
  }

  if (notifyBatchSize !== undefined && notifyBatchSize > 10 && notifyMaxBatchingWindowSeconds === 0) {
    problems.push(
      'notifyBatchSize: more than 10 records per batch needs notifyMaxBatchingWindowSeconds of at least 1 (an SQS event source rule)',
    );
  }

  const sizing =
    sesMaxSendRate !== undefined && apologyRateSharePercent !== undefined && apologySenderMsPerApology !== undefined && lambdaAccountConcurrency !== undefined
      ? senderSizing({
          sesMaxSendRate,
          sharePercent: apologyRateSharePercent,
          msPerApology: apologySenderMsPerApology,
          accountConcurrency: lambdaAccountConcurrency,
          // notify's event source, the unsubscribe endpoint's reservation, a row-audit worker per
          // pending shard, and a few for the audit, directory, import, feedback and operator functions.
          otherConcurrency: (notifyMaxConcurrency ?? 0) + (unsubscribeMaxConcurrency ?? 0) + PENDING_STATES.length + OTHER_FUNCTIONS_CONCURRENCY,
          ...(apologySenderMaxConcurrency !== undefined ? { maxConcurrency: apologySenderMaxConcurrency } : {}),
        })
      : undefined;
  if (sizing) problems.push(...sizing.problems);
  if (problems.length > 0) throw new InvalidContextError(problems);
  // Every value below is defined: a missing one would have added a problem.
  return {
    senderDomain: senderDomain!,
    senderAddress: senderAddress!,
    registryBaseUrl: registryBaseUrl!,
    helpUrl: helpUrl!,
    unsubscribeBaseUrl,
    unsubscribeLinkDays: unsubscribeLinkDays!,
    unsubscribeMaxConcurrency: unsubscribeMaxConcurrency!,
    mailFromDomain: mailFromDomain!,
    dmarcReportAddress: dmarcReportAddress!,
    notifyBatchSize: notifyBatchSize!,
    notifyMaxBatchingWindowSeconds: notifyMaxBatchingWindowSeconds!,
    notifyMaxConcurrency: notifyMaxConcurrency!,
    ledgerRetentionDays: ledgerRetentionDays!,
    logLevel: logLevel!,
    logRetentionDays: logRetentionDays!,
    guardBlockAlarmThreshold: guardBlockAlarmThreshold!,
    killSwitchParameterName: killSwitchParameterName!,
    shopName: shopName!,
    auditSchedule: auditSchedule!,
    apologySenderMaxConcurrency: sizing!.sizing!.maxConcurrency,
    sesMaxSendRate: sesMaxSendRate!,
    apologySenderMsPerApology: apologySenderMsPerApology!,
    lambdaAccountConcurrency: lambdaAccountConcurrency!,
    apologySender: sizing!.sizing!,
    apologySenderTimeoutSeconds: apologySenderTimeoutSeconds!,
    apologyApprovalThreshold: apologyApprovalThreshold!,
    operatorPersonRoles: operatorPersonRoles!,
    operatorRevealerRoles: operatorRevealerRoles!,
    apologyRateSharePercent: apologyRateSharePercent!,
    softBounceLimit: softBounceLimit!,
    softBounceWindowDays: softBounceWindowDays!,
    uncertainSettleSeconds: uncertainSettleSeconds!,
  };
}

const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const LOCAL_PART = /^[A-Za-z0-9._%+-]{1,64}$/;
const PARAMETER_NAME = /^\/[A-Za-z0-9_.\-/]+$/;
/** An IAM role name (1-64 of `\w+=,.@-`; no comma here, it separates them), or a prefix of one ending in `*`. */
const ROLE_NAME = /^[\w+=.@-]{1,64}\*?$/;
const RETENTION_DAYS = new Set<number>(
  Object.values(RetentionDays).filter((d): d is number => typeof d === 'number' && d !== RetentionDays.INFINITE),
);

/** Reads one key at a time, records a problem per bad value and returns `undefined` for it. */
class Validator {
  constructor(
    private readonly raw: Readonly<Record<string, unknown>>,
    private readonly problems: string[],
  ) {}

  private value(key: keyof NoticesConfig): unknown {
    const given = this.raw[key];
    if (given !== undefined && given !== null && given !== '') return given;
    return (CONTEXT_DEFAULTS as Partial<Record<keyof NoticesConfig, unknown>>)[key];
  }

  /** Whether the key is set at all (for keys whose absence means something). */
  present(key: keyof NoticesConfig): boolean {
    const given = this.raw[key];
    return given !== undefined && given !== null && given !== '';
  }

  private fail(key: string, rule: string, got: unknown): undefined {
    this.problems.push(`${key}: ${rule}, got ${got === undefined ? 'nothing' : JSON.stringify(got)}`);
    return undefined;
  }

  private string(key: keyof NoticesConfig, rule: string): string | undefined {
    const got = this.value(key);
    if (typeof got !== 'string' || got.trim() !== got || got === '') return this.fail(key, rule, got);
    return got;
  }

  displayName(key: keyof NoticesConfig): string | undefined {
    const got = this.string(key, 'must be a non-empty name without surrounding spaces');
    // eslint-disable-next-line no-control-regex
    if (got !== undefined && (got.length > 60 || /[\u0000-\u001f\u007f]/.test(got))) {
      return this.fail(key, 'must be one line of at most 60 characters', got);
    }
    // Every email shows the shop's name: one a mail client would link (a domain, a phone
    // number) would make the link guard block every notice and apology.
    if (got !== undefined && textLinks(got).length > 0) {
      return this.fail(key, 'must not read as a link, an address or a phone number (mail clients would link it)', got);
    }
    return got;
  }

  integer(key: keyof NoticesConfig, min: number, max: number): number | undefined {
    const got = this.value(key);
    const n = typeof got === 'string' && /^-?\d+$/.test(got) ? Number(got) : got;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      return this.fail(key, `must be an integer from ${min} to ${max}`, got);
    }
    return n;
  }

  oneOf<T extends string>(key: keyof NoticesConfig, allowed: readonly T[]): T | undefined {
    const got = this.value(key);
    if (typeof got !== 'string' || !(allowed as readonly string[]).includes(got)) {
      return this.fail(key, `must be one of ${allowed.join(', ')}`, got);
    }
    return got as T;
  }

  domain(key: keyof NoticesConfig): string | undefined {
    const rule = 'must be a lower-case DNS domain name with at least two labels, e.g. notices.example.com';
    const got = this.string(key, rule);
    if (got === undefined) return undefined;
    const labels = got.split('.');
    if (got.length > 253 || labels.length < 2 || !labels.every((l) => DNS_LABEL.test(l))) {
      return this.fail(key, rule, got);
    }
    return got;
  }

  /** A subdomain of the sender domain, `bounce.<senderDomain>` unless set: SES requires MAIL FROM under the identity. */
  mailFromDomain(key: keyof NoticesConfig, senderDomain: string | undefined): string | undefined {
    if (!this.present(key)) return senderDomain === undefined ? undefined : `bounce.${senderDomain}`;
    const got = this.domain(key);
    if (got === undefined || senderDomain === undefined) return got;
    if (!got.endsWith(`.${senderDomain}`)) {
      return this.fail(key, `must be a subdomain of senderDomain (${senderDomain}), e.g. bounce.${senderDomain}`, got);
    }
    return got;
  }

  /** A plain address for DMARC reports, `dmarc-reports@<senderDomain>` unless set. */
  reportAddress(key: keyof NoticesConfig, senderDomain: string | undefined): string | undefined {
    if (!this.present(key)) return senderDomain === undefined ? undefined : `dmarc-reports@${senderDomain}`;
    const rule = 'must be a plain email address, e.g. dmarc-reports@example.com';
    const got = this.string(key, rule);
    if (got === undefined) return undefined;
    const at = got.lastIndexOf('@');
    const labels = got.slice(at + 1).split('.');
    // A `!` or `,` would end the `mailto:` URI inside the DMARC record (RFC 7489 6.2).
    if (at < 1 || !LOCAL_PART.test(got.slice(0, at)) || labels.length < 2 || !labels.every((l) => DNS_LABEL.test(l.toLowerCase()))) {
      return this.fail(key, rule, got);
    }
    return got;
  }

  senderAddress(key: keyof NoticesConfig, domain: string | undefined): string | undefined {
    const rule = 'must be an address on senderDomain, e.g. gifts@notices.example.com';
    const got = this.string(key, rule);
    if (got === undefined) return undefined;
    const at = got.lastIndexOf('@');
    const local = got.slice(0, at);
    const host = got.slice(at + 1).toLowerCase();
    if (at < 1 || !LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
      return this.fail(key, rule, got);
    }
    // The IAM grant and the DKIM signature cover senderDomain only: mail from elsewhere would not send or not align.
    if (domain !== undefined && host !== domain) {
      return this.fail(key, `must be on senderDomain (${domain})`, got);
    }
    return got;
  }

  httpsUrl(key: keyof NoticesConfig, { allowQuery }: { allowQuery: boolean }): string | undefined {
    const rule = allowQuery
      ? 'must be an absolute https URL without credentials or #fragment'
      : 'must be an absolute https URL without credentials, ?query or #fragment (links are built by appending to it)';
    const got = this.string(key, rule);
    if (got === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(got);
    } catch {
      return this.fail(key, rule, got);
    }
    if (
      url.protocol !== 'https:' ||
      url.hostname === '' ||
      url.username !== '' ||
      url.password !== '' ||
      got.includes('#') ||
      (!allowQuery && got.includes('?'))
    ) {
      return this.fail(key, rule, got);
    }
    return got;
  }

  logRetention(key: keyof NoticesConfig): RetentionDays | undefined {
    const n = this.integer(key, 1, 3653);
    if (n === undefined) return undefined;
    if (!RETENTION_DAYS.has(n)) {
      return this.fail(key, `must be a CloudWatch Logs retention (${[...RETENTION_DAYS].join(', ')})`, n);
    }
    return n as RetentionDays;
  }

  scheduleExpression(key: keyof NoticesConfig): string | undefined {
    const rule = 'must be an EventBridge Scheduler expression like "rate(5 minutes)" or "cron(0/5 * * * ? *)"';
    const got = this.string(key, rule);
    if (got === undefined) return undefined;
    const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(got);
    if (rate) {
      const n = Number(rate[1]);
      // EventBridge wants the singular unit for 1 and the plural otherwise.
      if (n < 1 || (n === 1) !== !rate[2]!.endsWith('s')) return this.fail(key, rule, got);
      return got;
    }
    if (/^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/.test(got)) return got;
    return this.fail(key, rule, got);
  }

  /** A comma-separated list of IAM role names (or prefixes ending in `*`), at least one. */
  roleNames(key: keyof NoticesConfig): string | undefined {
    const rule = 'must be role names (or prefixes ending in *) separated by commas, like AWSReservedSSO_*,OpsPerson';
    const got = this.string(key, rule);
    if (got === undefined) return undefined;
    const names = got.split(',').map((n) => n.trim());
    if (names.some((n) => !ROLE_NAME.test(n))) return this.fail(key, rule, got);
    return names.join(',');
  }

  revealerNames(key: keyof NoticesConfig): string | undefined {
    const rule = 'must be role names and IAM users as user/<name> (each may end in * for a prefix) separated by commas, like AWSReservedSSO_NoticeRevealer_*,user/alice';
    const got = this.string(key, rule);
    if (got === undefined) return undefined;
    const names = got.split(',').map((n) => n.trim());
    if (names.some((n) => !ROLE_NAME.test(n.startsWith('user/') ? n.slice('user/'.length) : n))) return this.fail(key, rule, got);
    return names.join(',');
  }

  parameterName(key: keyof NoticesConfig): string | undefined {
    const rule = 'must be an SSM parameter path like /registry-notices/sending-paused (not under /aws or /ssm)';
    const got = this.string(key, rule);
    if (got === undefined) return undefined;
    if (!PARAMETER_NAME.test(got) || got.length > 1011 || /^\/(aws|ssm)(\/|$)/i.test(got) || got.endsWith('/')) {
      return this.fail(key, rule, got);
    }
    return got;
  }
}
