import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { LogLevel } from '../config';
import { SERVICE } from '../service';
import { environmentOf } from './function-environment';
import { HOUSE_ENV } from '../../lambdas/platform/house-env';

/**
 * How every function is bundled (`bench/` bundles its bare SES handler with these too).
 * Each choice is visible in the esbuild metafile `npm run bench` writes.
 */
export const HOUSE_BUNDLING: BundlingOptions = {
  minify: true,
  sourceMap: true,
  // Names and line numbers are enough for stack traces; source text only bloats the zip.
  sourcesContent: false,
  target: 'node24',
  format: OutputFormat.ESM,
  // Prefer the ESM builds of dependencies so esbuild can tree-shake them.
  mainFields: ['module', 'main'],
  // Ship the SDK version we test with, not whatever the runtime happens to carry.
  bundleAwsSDK: true,
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
};

/** How a function logs: every construct that makes a function takes these and hands them on. */
export interface FunctionLogging {
  /**
   * Powertools log level (`LOG_LEVEL`).
   *
   * @default 'INFO'
   */
  readonly logLevel?: LogLevel;
  /**
   * How long the function's log group keeps events.
   *
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
}

export interface HouseFunctionProps extends FunctionLogging {
  /** Path of the handler's TypeScript module. */
  readonly entry: string;
  /**
   * Exported name of the handler.
   *
   * @default 'handler'
   */
  readonly handler?: string;
  /**
   * One sentence on what the function is for.
   *
   * @default - none
   */
  readonly description?: string;
  /**
   * Maximum run time of one invocation.
   *
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB; on Lambda CPU grows with it, so more memory also means faster cold starts.
   *
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Environment variables, merged over the house ones (service name, metrics namespace,
   * log level, source maps).
   *
   * @default - the house variables only
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * What happens to the log group when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN - logs explain past sends
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Concurrency reserved for (and capping) this function; requests beyond it are throttled.
   *
   * @default - none: the account's unreserved pool
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * X-Ray tracing. Active tracing adds an `xray:Put*` grant on `*` (X-Ray has no
   * resource-level permissions), acknowledged for cdk-nag here.
   *
   * @default Tracing.DISABLED
   */
  readonly tracing?: Tracing;
}

/**
 * Our Lambda defaults in one place: Node.js 24 on arm64, an ESM bundle built by the local
 * esbuild with the AWS SDK inside ({@link HOUSE_BUNDLING}), minified with source maps, its own log group with a
 * retention, and its own role that may write to that log group and nothing else until
 * something is granted (no `AWSLambdaBasicExecutionRole`, which allows every log group).
 *
 * @example
 * const fn = new HouseFunction(this, 'Audit', { entry: 'lambdas/audit/run/handler.ts' });
 */
export class HouseFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    // Role and log group are siblings (not children) because the function needs them as props.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: props.entry,
      handler: props.handler ?? 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 512,
      role,
      logGroup,
      tracing: props.tracing ?? Tracing.DISABLED,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        ...environmentOf(HOUSE_ENV, {
          POWERTOOLS_SERVICE_NAME: SERVICE.name,
          POWERTOOLS_METRICS_NAMESPACE: SERVICE.metricsNamespace,
          LOG_LEVEL: props.logLevel ?? 'INFO',
          // Stack traces point into the TypeScript sources, not the minified bundle.
          NODE_OPTIONS: '--enable-source-maps',
        }),
        ...props.environment,
      },
      bundling: HOUSE_BUNDLING,
    });

    if (props.tracing === Tracing.ACTIVE) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; CDK grants them on * when tracing is active.',
      });
    }
  }
}
