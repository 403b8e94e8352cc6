import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { ParameterTier, StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { CONTEXT_DEFAULTS } from '../config';

export interface KillSwitchProps {
  /**
   * Name (path) of the parameter. Fixed rather than generated, so an operator under
   * pressure can type it: `aws ssm put-parameter --overwrite --name <name> --value true`.
   *
   * @default '/registry-notices/sending-paused'
   */
  readonly parameterName?: string;
}

/**
 * Pauses all sending without a deploy: an SSM String parameter holding `true` or `false`
 * (SSM itself rejects any other value). Functions read it with `ssm:GetParameter` and
 * send nothing while it is `true`.
 *
 * CloudFormation leaves the value alone on later deploys as long as this resource's
 * properties do not change. If they do (name, description, pattern), the update writes
 * `false` again: never ship such a change while sending is paused.
 */
export class KillSwitch extends Construct {
  /** The parameter; created as `false` (sending on). */
  public readonly parameter: StringParameter;
  /** The parameter's name, for the functions' `KILL_SWITCH_PARAMETER`. */
  public readonly parameterName: string;

  constructor(scope: Construct, id: string, props: KillSwitchProps = {}) {
    super(scope, id);
    this.parameter = new StringParameter(this, 'Parameter', {
      parameterName: props.parameterName ?? CONTEXT_DEFAULTS.killSwitchParameterName,
      stringValue: 'false',
      allowedPattern: '^(true|false)$',
      tier: ParameterTier.STANDARD,
      description:
        'registry-notices kill switch: "true" pauses every email (notices and apologies) until set back to "false". No deploy needed.',
    });
    this.parameterName = this.parameter.parameterName;
  }

  /** Lets `grantee` read the switch (`ssm:GetParameter` on this one parameter, nothing else). */
  public grantRead(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['ssm:GetParameter'],
      resourceArns: [this.parameter.parameterArn],
    });
  }

  /**
   * Lets `grantee` set the switch (`ssm:PutParameter` on this one parameter): the operator
   * function, for `sending pause|resume`, which records who did it.
   */
  public grantWrite(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['ssm:PutParameter'],
      resourceArns: [this.parameter.parameterArn],
    });
  }
}
