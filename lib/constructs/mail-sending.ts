import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  DkimIdentity,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  MailFromBehaviorOnMxFailure,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

/** Dimension of the per-configuration-set SES metrics (namespace `AWS/SES`). */
export const SES_CONFIGURATION_SET_DIMENSION = 'ses:configuration-set';

export interface MailSendingProps {
  /** Domain to verify in SES, with Easy DKIM. */
  readonly senderDomain: string;
  /** The only `From` address the send grant allows; must be on `senderDomain`. */
  readonly senderAddress: string;
  /**
   * The custom MAIL FROM (envelope sender, `Return-Path`) domain, a subdomain of `senderDomain`
   * used for nothing else: with its MX and SPF records published, SPF passes for our own domain
   * and aligns with `From` (relaxed DMARC alignment), as DKIM does.
   *
   * @default `bounce.${senderDomain}`
   */
  readonly mailFromDomain?: string;
  /**
   * Where DMARC aggregate reports go: the `rua` of the DMARC record to publish.
   *
   * @default `dmarc-reports@${senderDomain}`
   */
  readonly dmarcReportAddress?: string;
}

/** A DNS record to publish, as the stack outputs show it. */
export interface DnsRecord {
  readonly name: string;
  readonly type: 'MX' | 'TXT';
  readonly value: string;
}

/**
 * What makes our mail plainly authentic and well-behaved: the sender domain as an SES
 * identity signed with Easy DKIM, and a configuration set that requires TLS, keeps
 * reputation metrics, and suppresses addresses that bounced or complained. The identity
 * uses the configuration set by default, so a send that forgets to name it still gets it.
 *
 * The identity has a custom MAIL FROM domain, so SPF aligns with `From` as DKIM does (an MX
 * failure falls back to SES's own MAIL FROM: mail still goes, DKIM-aligned). Publishing the
 * three DKIM CNAMEs, the MAIL FROM MX and SPF records and the DMARC record is an operator step
 * (see the stack outputs and docs/sender-requirements.md).
 */
export class MailSending extends Construct {
  /** The configuration set every send goes through. */
  public readonly configurationSet: ConfigurationSet;
  /** The sender domain identity. */
  public readonly identity: EmailIdentity;
  /** ARN of the configuration set (the L2 does not expose one). */
  public readonly configurationSetArn: string;
  /** The only `From` address sends are allowed to use. */
  public readonly senderAddress: string;
  /** The MAIL FROM domain. */
  public readonly mailFromDomain: string;
  /** MX of the MAIL FROM domain: where receivers send bounces (SES's feedback endpoint of this region). */
  public readonly mailFromMxRecord: DnsRecord;
  /** SPF of the MAIL FROM domain: SES may send for it. */
  public readonly mailFromSpfRecord: DnsRecord;
  /** The DMARC policy of the sender domain, `p=none` to start (monitor, then tighten). */
  public readonly dmarcRecord: DnsRecord;

  constructor(scope: Construct, id: string, props: MailSendingProps) {
    super(scope, id);
    this.senderAddress = props.senderAddress;
    this.mailFromDomain = props.mailFromDomain ?? `bounce.${props.senderDomain}`;
    const reports = props.dmarcReportAddress ?? `dmarc-reports@${props.senderDomain}`;
    this.mailFromMxRecord = { name: this.mailFromDomain, type: 'MX', value: `10 feedback-smtp.${Stack.of(this).region}.amazonses.com` };
    this.mailFromSpfRecord = { name: this.mailFromDomain, type: 'TXT', value: '"v=spf1 include:amazonses.com ~all"' };
    // p=none: reports first; move to quarantine/reject once they show only our own mail passing.
    this.dmarcRecord = { name: `_dmarc.${props.senderDomain}`, type: 'TXT', value: `"v=DMARC1; p=none; rua=mailto:${reports}"` };

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      sendingEnabled: true,
      reputationMetrics: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });

    // Per-configuration-set counts in CloudWatch (AWS/SES), for dashboards and alarms.
    this.configurationSet.addEventDestination('CloudWatch', {
      destination: EventDestination.cloudWatchDimensions([
        {
          name: SES_CONFIGURATION_SET_DIMENSION,
          source: CloudWatchDimensionSource.MESSAGE_TAG,
          defaultValue: 'none',
        },
      ]),
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.RENDERING_FAILURE,
        EmailSendingEvent.DELIVERY_DELAY,
      ],
    });

    this.identity = new EmailIdentity(this, 'SenderIdentity', {
      identity: Identity.domain(props.senderDomain),
      dkimSigning: true,
      dkimIdentity: DkimIdentity.easyDkim(),
      configurationSet: this.configurationSet,
      mailFromDomain: this.mailFromDomain,
      mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
    });
  }

  /**
   * A reputation metric of the configuration set (SES publishes them because
   * `reputationMetrics` is on): the bounce or complaint rate over SES's recent window, as a
   * fraction (0.001 = 0.1%), its maximum per period.
   *
   * @example
   * mail.metricReputation('ComplaintRate') // AWS/SES Reputation.ComplaintRate, ses:configuration-set = <name>
   */
  public metricReputation(rate: 'ComplaintRate' | 'BounceRate', period: Duration = Duration.minutes(15)): Metric {
    return new Metric({
      namespace: 'AWS/SES',
      metricName: `Reputation.${rate}`,
      dimensionsMap: { [SES_CONFIGURATION_SET_DIMENSION]: this.configurationSet.configurationSetName },
      statistic: 'Maximum',
      period,
    });
  }

  /**
   * Lets `grantee` call SES v2 `SendEmail` from the sender address through the
   * configuration set, and nothing else. SendEmail is authorized against both the identity
   * and the configuration set, so both ARNs are needed; `ses:FromAddress` pins the sender.
   */
  public grantSend(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail'],
      resourceArns: [this.identity.emailIdentityArn, this.configurationSetArn],
      conditions: { StringEquals: { 'ses:FromAddress': this.senderAddress } },
    });
  }

  /**
   * Lets `fn` read the account's sending quotas at run time (SES v2 `GetAccount`: MaxSendRate,
   * Max24HourSend, SentLast24Hours). GetAccount has no resource-level permissions, so the grant
   * is on `*`, acknowledged for cdk-nag on the function's role.
   */
  public grantReadAccount(fn: LambdaFunction): void {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    Validations.of(fn.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ses:GetAccount reads account-level sending quotas and supports no resource-level permissions.',
    });
  }
}
