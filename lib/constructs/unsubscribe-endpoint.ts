import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { FunctionUrlAuthType, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import path from 'node:path';
import { InvalidPropsError } from '../errors';
import { bindTable, bindTableIndexes, TableAccess } from './bind-table';
import { TABLE_INDEXES, type DataTables } from './data-tables';
import { UnsubscribeMetric } from '../../lambdas/platform/metric-names';
import { HouseFunction, type FunctionLogging } from './house-function';
import type { NoticesAlarms } from './notices-alarms';
import { declareEnvironment, environmentOf, setEnvironment, type DeclaredFunction } from './function-environment';
import type { EnvName } from '../../lambdas/platform/env';
import type { UNSUBSCRIBE_LINKS_ENV } from '../../lambdas/mail/unsubscribe/unsubscribe-links-env';
import { UNSUBSCRIBE_ENV } from '../../lambdas/mail/unsubscribe/endpoint/env';

/** Where the unsubscribe handler lives, relative to the repository root. */
export const UNSUBSCRIBE_ENTRY = path.join(import.meta.dirname, '..', '..', 'lambdas', 'mail', 'unsubscribe', 'endpoint', 'handler.ts');

/** Refused links in 5 minutes above which a flood is reported: people mistype links a few times a day, not once a second. */
export const REFUSED_LINKS_ALARM = 300;

/** The only MAC algorithm of the link key (`HMAC_256`); the grants are conditioned on it. */
export const LINK_MAC_ALGORITHM = 'HMAC_SHA_256';

export interface UnsubscribeEndpointProps extends FunctionLogging {
  /** The service's tables; the endpoint puts into `unsubscribes` and counts on the ledger's `byAddress` index, and nothing else. */
  readonly tables: DataTables;
  /** The shop's name, as the pages sign (`SHOP_NAME`). */
  readonly shopName: string;
  /**
   * Base of the links in emails, when the endpoint is served under your own domain (e.g.
   * CloudFront in front of the function URL, forwarding the query string). Must be https.
   *
   * @default - the function URL
   */
  readonly publicBaseUrl?: string;
  /**
   * Days a link works after its email was sent.
   *
   * @default 90
   */
  readonly linkValidityDays?: number;
  /**
   * Reserved concurrency: the endpoint's rate limit. Requests beyond it get HTTP 429 from
   * Lambda, and mail providers retry one-click POSTs. A junk request costs no KMS call and one
   * count on the ledger (a few ms), so 5 environments answer hundreds a second; KMS calls are
   * capped separately (docs/unsubscribe.md).
   *
   * @default 5
   */
  readonly maxConcurrency?: number;
  /**
   * The handler module. Tests may point elsewhere.
   *
   * @default UNSUBSCRIBE_ENTRY (lambdas/mail/unsubscribe/endpoint/handler.ts)
   */
  readonly entry?: string;
}

/**
 * One-click unsubscribe that works (RFC 8058, PRODUCT.md "Hearing back"):
 *
 * - `linkKey`: a KMS HMAC key (`HMAC_256`) that signs the token in every unsubscribe link. Its
 *   material never leaves KMS; senders may only `GenerateMac` ({@link grantIssueLinks}), the
 *   endpoint may only `VerifyMac`, so the public function cannot mint a link for anyone;
 * - `sealKey`: a second KMS HMAC key whose MAC of a fixed label is the AES-256-GCM key that
 *   seals a v2 token's claims (docs/unsubscribe.md, "Token format"); senders and the endpoint
 *   may `GenerateMac` on it, once per environment. Its own key, because the endpoint must open
 *   tokens but never sign them: a key it could `GenerateMac` on could not be the link key;
 * - `unsubscribeFunction`: GET shows a confirmation page, POST records the unsubscribe in the
 *   unsubscribes table (put only), reserved concurrency as its rate limit;
 * - `functionUrl`: `AuthType: NONE`, because mail clients and recipients call it unsigned: the
 *   token is the authorization.
 */
export class UnsubscribeEndpoint extends Construct {
  /** Signs and checks unsubscribe tokens. */
  public readonly linkKey: Key;
  /** The seal of v2 tokens is derived from it (GenerateMac of a label): whoever may derive it can read tokens, not make them. */
  public readonly sealKey: Key;
  /** Answers the links. */
  public readonly unsubscribeFunction: HouseFunction & DeclaredFunction<EnvName<typeof UNSUBSCRIBE_ENV>>;
  /** What every `List-Unsubscribe` header points at (`AuthType: NONE`). */
  public readonly functionUrl: FunctionUrl;
  /** The base of the links in emails: `publicBaseUrl`, or the function URL. */
  public readonly linkBaseUrl: string;
  readonly #linkValidityDays: number;

  constructor(scope: Construct, id: string, props: UnsubscribeEndpointProps) {
    super(scope, id);
    const maxConcurrency = props.maxConcurrency ?? 5;
    this.#linkValidityDays = props.linkValidityDays ?? 90;
    const problems: string[] = [];
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) problems.push(`maxConcurrency must be a positive integer, got ${maxConcurrency}`);
    if (!Number.isInteger(this.#linkValidityDays) || this.#linkValidityDays < 30) {
      problems.push(`linkValidityDays must be an integer of at least 30 (CAN-SPAM: 30 days), got ${this.#linkValidityDays}`);
    }
    if (props.publicBaseUrl !== undefined && !props.publicBaseUrl.startsWith('https://')) {
      problems.push(`publicBaseUrl must be an https URL, got ${props.publicBaseUrl}`);
    }
    if (problems.length > 0) throw new InvalidPropsError(`UnsubscribeEndpoint ${this.node.path}`, problems);

    // Retained: deleting the key would break every link in every mailbox at once.
    this.linkKey = new Key(this, 'LinkKey', {
      description: 'registry-notices: signs the tokens of unsubscribe links (HMAC)',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // Retained for the same reason: without it no v2 link in any mailbox opens.
    this.sealKey = new Key(this, 'SealKey', {
      description: 'registry-notices: the seal of unsubscribe tokens (AES-256-GCM) is derived from it (HMAC); whoever may GenerateMac on it can read tokens',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });

    this.unsubscribeFunction = declareEnvironment(new HouseFunction(this, 'UnsubscribeFunction', {
      entry: props.entry ?? UNSUBSCRIBE_ENTRY,
      description: 'One-click unsubscribe: checks the signed link, shows a confirmation page (GET), records the unsubscribe (POST).',
      timeout: Duration.seconds(10),
      memorySize: 256,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: environmentOf(UNSUBSCRIBE_ENV, { SHOP_NAME: props.shopName, UNSUBSCRIBE_KEY_ARN: this.linkKey.keyArn, UNSUBSCRIBE_SEAL_KEY_ARN: this.sealKey.keyArn }),
      reservedConcurrentExecutions: maxConcurrency,
    }), UNSUBSCRIBE_ENV);
    this.#grantMac(this.unsubscribeFunction, 'kms:VerifyMac');
    this.#grantSeal(this.unsubscribeFunction);
    bindTable({ table: props.tables.unsubscribes, fn: this.unsubscribeFunction, envName: 'UNSUBSCRIBES_TABLE', access: TableAccess.PUT_ITEMS });
    // The cheap check before VerifyMac: was this address ever mailed? A count on the ledger's
    // byAddress index, never the table itself (docs/unsubscribe.md).
    bindTableIndexes({ table: props.tables.ledger, fn: this.unsubscribeFunction, envName: 'LEDGER_TABLE', indexes: [TABLE_INDEXES.ledgerByAddress] });

    this.functionUrl = this.unsubscribeFunction.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    this.linkBaseUrl = props.publicBaseUrl ?? this.functionUrl.url;
  }

  /**
   * Alarms on `alarms`' topic when an unsubscribe could not be recorded (the key or the table
   * unavailable: the recipient saw "try again later") and when the function itself fails.
   * Both matter: Gmail and Yahoo want an unsubscribe honoured within two days.
   */
  public addAlarms(alarms: NoticesAlarms): void {
    const fiveMinutes = Duration.minutes(5);
    alarms.addServiceMetricAlarm('UnsubscribeUnavailable', UnsubscribeMetric.UNAVAILABLE, 'An unsubscribe request could not be recorded (KMS or DynamoDB unavailable): the recipient was asked to try again. Check the unsubscribe function log.');
    alarms.addServiceMetricAlarm('UnsubscribeDeferred', UnsubscribeMetric.DEFERRED, 'An unsubscribe POST found no KMS check left in its budget and was asked to retry (docs/unsubscribe.md): someone is sending forged links for a mailed address, or far more people than usual are unsubscribing. Check the unsubscribe function log for the address hash.');
    alarms.addServiceMetricAlarm('UnsubscribeLinkFlood', UnsubscribeMetric.LINK_REFUSED, `More than ${REFUSED_LINKS_ALARM} refused unsubscribe links in 5 minutes (about 1 a second): a flood of junk. It costs no KMS call; check that UnsubscribeDeferred and the function's throttles stay at 0.`, REFUSED_LINKS_ALARM);
    alarms.addAlarm('UnsubscribeErrors', {
      description: 'The unsubscribe function failed (not a refused link): recipients may not be able to unsubscribe.',
      metric: this.unsubscribeFunction.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 0,
    });
  }

  /**
   * Lets a sender put signed unsubscribe links into its emails: `kms:GenerateMac` on the link key
   * and on the seal key (HMAC-SHA-256 only) and the settings as the environment variables of `UNSUBSCRIBE_LINKS_ENV`
   * (lambdas/mail/unsubscribe/unsubscribe-links-env.ts), which the sender must declare. It may
   * not verify, and may not write unsubscribes.
   *
   * @example
   * stack.unsubscribe.grantIssueLinks(notify.notifyFunction);
   */
  public grantIssueLinks(fn: DeclaredFunction<EnvName<typeof UNSUBSCRIBE_LINKS_ENV>>): Grant {
    setEnvironment(fn, {
      UNSUBSCRIBE_BASE_URL: this.linkBaseUrl,
      UNSUBSCRIBE_KEY_ARN: this.linkKey.keyArn,
      UNSUBSCRIBE_SEAL_KEY_ARN: this.sealKey.keyArn,
      UNSUBSCRIBE_LINK_DAYS: String(this.#linkValidityDays),
    });
    this.#grantSeal(fn);
    return this.#grantMac(fn, 'kms:GenerateMac');
  }

  /** Derives the seal of v2 tokens: `kms:GenerateMac` on the seal key, HMAC-SHA-256 only. */
  #grantSeal(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['kms:GenerateMac'],
      resourceArns: [this.sealKey.keyArn],
      conditions: { StringEquals: { 'kms:MacAlgorithm': LINK_MAC_ALGORITHM } },
    });
  }

  #grantMac(grantee: IGrantable, action: 'kms:GenerateMac' | 'kms:VerifyMac'): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: [action],
      resourceArns: [this.linkKey.keyArn],
      conditions: { StringEquals: { 'kms:MacAlgorithm': LINK_MAC_ALGORITHM } },
    });
  }
}
