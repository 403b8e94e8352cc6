import { Stack } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  DkimIdentity,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
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
}

/**
 * What makes our mail plainly authentic and well-behaved: the sender domain as an SES
 * identity signed with Easy DKIM, and a configuration set that requires TLS, keeps
 * reputation metrics, and suppresses addresses that bounced or complained. The identity
 * uses the configuration set by default, so a send that forgets to name it still gets it.
 *
 * Publishing the three DKIM CNAME records is an operator step (see the stack outputs).
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

  constructor(scope: Construct, id: string, props: MailSendingProps) {
    super(scope, id);
    this.senderAddress = props.senderAddress;

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
}
