/** A CloudFormation template as `cdk synth` writes it (only the parts the local stack reads). */
export interface CfnTemplate {
  readonly Parameters?: Record<string, CfnParameter>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { readonly Value: unknown; readonly Export?: unknown }>;
}

/** A template parameter; locally its `Default` is its value. */
export interface CfnParameter {
  readonly Type: string;
  readonly Default?: unknown;
}

/** One resource of a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | readonly string[];
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
}

/** The pseudo parameters (`AWS::Region`, ...) the local stack answers with. */
export interface PseudoParameters {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly stackName: string;
  readonly stackId: string;
}

/** What `Ref` and `Fn::GetAtt` return for one resource once it exists locally. */
export interface ResourceOutputs {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string | readonly string[]>>;
}

/** What every provisioner (queue, table, parameter) is given about the resource to create. */
export interface ResourceToCreate {
  readonly logicalId: string;
  /** Its CloudFormation type, e.g. `AWS::SQS::Queue`. */
  readonly type: string;
  readonly stackName: string;
  /** The resource's properties, intrinsics already resolved. */
  readonly properties: Readonly<Record<string, unknown>>;
  /** Put before the generated name (tests sharing one set of emulators). */
  readonly namePrefix?: string;
}

/** What a provisioner returns for a resource it created: its Ref/GetAtt values and the properties not applied locally. */
export interface CreatedResource {
  readonly outputs: ResourceOutputs;
  /** Properties set in the template that have no local effect, with why. */
  readonly notes: string[];
}
