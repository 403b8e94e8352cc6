import { Duration } from 'aws-cdk-lib';
import { Effect, Grant, ManagedPolicy, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import path from 'node:path';
import { InvalidPropsError } from '../errors';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { AUDIT_TIMEOUT, type AuditApology } from './audit-apology';
import { bindTableIndexes } from './bind-table';
import { TABLE_INDEXES } from './data-tables';
import type { QueueConsumerPipeline } from './queue-consumer-pipeline';
import { HouseFunction, type FunctionLogging } from './house-function';
import { declareEnvironment, setEnvironment, type DeclaredFunction } from './function-environment';
import type { EnvName } from '../../lambdas/platform/env';
import { OPERATOR_ENV, type NOTICE_OPERATIONS_ENV } from '../../lambdas/operator/env';
import { APOLOGY_PREVIEW_ENV } from '../../lambdas/operator/preview/env';
import type { KillSwitch } from './kill-switch';
import { DEFAULT_REVEALER_ROLES } from '../../lambdas/operator/notices/reveal-permission';

/** Where the operator handler lives, relative to the repository root. */
export const OPERATOR_ENTRY = path.join(import.meta.dirname, '..', '..', 'lambdas', 'operator', 'handler.ts');

/** Where the apology preview handler lives, relative to the repository root. */
export const APOLOGY_PREVIEW_ENTRY = path.join(import.meta.dirname, '..', '..', 'lambdas', 'operator', 'preview', 'handler.ts');

/** The apology preview function's timeout: a render takes milliseconds (the operator's Lambda client waits longer, `lambdas/platform/aws/lambda-client.ts`). */
const APOLOGY_PREVIEW_TIMEOUT = Duration.seconds(10);

export interface OperatorEndpointProps extends FunctionLogging {
  /** The audit and apology: the operator runs its use cases with its settings and grants (`bindUseCases`). */
  readonly audit: AuditApology;
  /**
   * What the notice commands work on (`notice show/uncertain/resolve`, `dlq redrive`): the
   * ledger's doubt and address indexes, the purchase queue and its DLQ, the SES feedback
   * queue and its DLQ.
   */
  readonly notices: NoticeCommandResources;
  /** The kill switch the senders read: `sending pause|resume` set it (`ssm:PutParameter` on it alone). */
  readonly killSwitch: KillSwitch;
  /**
   * Longest one operator request may run (a `campaign run` stops before it and is called again).
   * At most the audit's timeout, so the audit's run lease outlasts any operator run.
   *
   * @default AUDIT_TIMEOUT (5 minutes)
   */
  readonly timeout?: Duration;
  /**
   * The base URL the apology sender signs its unsubscribe links under (`UnsubscribeEndpoint.linkBaseUrl`),
   * so `apology preview` shows the List-Unsubscribe header the sender sends. Without it the preview's link is `https://unsubscribe.invalid/`.
   */
  readonly unsubscribeLinkBaseUrl?: string;
  /**
   * Who may reveal an address in the clear (`OPERATOR_REVEALER_ROLES`; context `operatorRevealerRoles`):
   * role names and IAM users as `user/<name>`, comma-separated, `*` ending a prefix.
   *
   * @default DEFAULT_REVEALER_ROLES (`AWSReservedSSO_NoticeRevealer_*`)
   */
  readonly revealerRoles?: string;
  /**
   * The handler module. Tests and the local stack may point elsewhere.
   *
   * @default OPERATOR_ENTRY (lambdas/operator/handler.ts)
   */
  readonly entry?: string;
  /**
   * The apology preview function's handler module.
   *
   * @default APOLOGY_PREVIEW_ENTRY (lambdas/operator/preview/handler.ts)
   */
  readonly previewEntry?: string;
}

/** What the notice commands read and move. */
export interface NoticeCommandResources {
  /** The ledger (its `byDoubt` and `byAddress` indexes are queried). */
  readonly ledger: ITable;
  /** Purchases: a resolved notice's message goes back on its queue; its DLQ is redriven. */
  readonly purchases: QueueConsumerPipeline;
  /** SES events: their DLQ is redriven into their queue. */
  readonly sesEvents: QueueConsumerPipeline;
  /**
   * Seconds a send in doubt waits for its SES events before it is listed and may be resolved
   * (SES publishes within seconds; a short window suits the local stack and the benches).
   *
   * @default 900
   */
  readonly uncertainSettleSeconds?: number;
}

/**
 * The operator's control plane (PRODUCT.md, "At incident scale"): a function that runs the
 * audit's use cases (import a send log, declare an incident, dry-run, approve, run, status)
 * with the deployed settings and inside its own least-privilege role, behind a Lambda
 * function URL with `AuthType: AWS_IAM`. The CLI signs its requests (SigV4); the function
 * records the caller's IAM ARN on declarations and approvals.
 *
 * - `operatorFunction`: Node 24 house function with exactly the audit function's grants, and
 *   the import's `PutItem` on the ledger (`grantImportSendLog`);
 * - `previewFunction`: renders `apology preview` with the sender's renderer and settings; no
 *   table, no SDK client. The operator function invokes it (`lambda:InvokeFunction` on it
 *   alone), so the renderer and the link guard's libraries stay out of the operator's bundle;
 * - `functionUrl`: `AWS_IAM` auth, so only principals with {@link grantInvokeOperator} (or
 *   the `operatorPolicy`) can call it;
 * - `operatorPolicy`: a managed policy with just that permission, to attach to operators' roles.
 */
export class OperatorEndpoint extends Construct {
  /** Runs the operator's commands. */
  public readonly operatorFunction: HouseFunction & DeclaredFunction<EnvName<typeof OPERATOR_ENV>>;
  /** Renders `apology preview` for the operator function, which alone may invoke it. */
  public readonly previewFunction: HouseFunction & DeclaredFunction<EnvName<typeof APOLOGY_PREVIEW_ENV>>;
  /** The endpoint the CLI calls (`AuthType: AWS_IAM`). */
  public readonly functionUrl: FunctionUrl;
  /** What an operator needs, and nothing else: attach it to their role or group. */
  public readonly operatorPolicy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: OperatorEndpointProps) {
    super(scope, id);
    const timeout = props.timeout ?? AUDIT_TIMEOUT;
    if (timeout.toSeconds() > AUDIT_TIMEOUT.toSeconds()) {
      throw new InvalidPropsError(`OperatorEndpoint ${this.node.path}`, [
        `timeout must be at most the audit's ${AUDIT_TIMEOUT.toSeconds()} s (its run lease must outlast any run), got ${timeout.toSeconds()} s`,
      ]);
    }

    this.operatorFunction = declareEnvironment(
      new HouseFunction(this, 'OperatorFunction', {
        entry: props.entry ?? OPERATOR_ENTRY,
        description: 'Operator endpoint: runs the audit and apology use cases for a signed (IAM) caller.',
        timeout,
        logLevel: props.logLevel,
        logRetention: props.logRetention,
      }),
      OPERATOR_ENV,
    );
    props.audit.bindUseCases(this.operatorFunction);
    // `import` adds ledger rows, which the scheduled audit may not.
    props.audit.grantImportSendLog(this.operatorFunction);
    bindNoticeCommands(this.operatorFunction, props.notices);
    // bindUseCases lets it read the switch and write the audit table, where each flip is recorded.
    props.killSwitch.grantWrite(this.operatorFunction);
    setEnvironment(this.operatorFunction, { OPERATOR_REVEALER_ROLES: props.revealerRoles ?? DEFAULT_REVEALER_ROLES });

    this.previewFunction = declareEnvironment(
      new HouseFunction(this, 'ApologyPreviewFunction', {
        entry: props.previewEntry ?? APOLOGY_PREVIEW_ENTRY,
        description: 'Apology preview: renders the apology as the sender would, for the operator function (which invokes it); sends nothing.',
        timeout: APOLOGY_PREVIEW_TIMEOUT,
        logLevel: props.logLevel,
        logRetention: props.logRetention,
      }),
      APOLOGY_PREVIEW_ENV,
    );
    props.audit.bindApologyPreview(this.previewFunction);
    if (props.unsubscribeLinkBaseUrl !== undefined) setEnvironment(this.previewFunction, { UNSUBSCRIBE_BASE_URL: props.unsubscribeLinkBaseUrl });
    setEnvironment(this.operatorFunction, { APOLOGY_PREVIEW_FUNCTION_NAME: this.previewFunction.functionName });
    // The function itself, unqualified (the operator invokes $LATEST): no version wildcard, so nothing for cdk-nag to acknowledge.
    Grant.addToPrincipal({ grantee: this.operatorFunction, actions: ['lambda:InvokeFunction'], resourceArns: [this.previewFunction.functionArn] });

    this.functionUrl = this.operatorFunction.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });

    this.operatorPolicy = new ManagedPolicy(this, 'OperatorPolicy', {
      description: 'registry-notices: call the operator endpoint (the function URL, IAM auth) and nothing else',
      statements: this.#invokeStatements(),
    });
  }

  /**
   * Lets `grantee` call the operator endpoint: `lambda:InvokeFunctionUrl` on the function,
   * only through an `AWS_IAM` URL, and `lambda:InvokeFunction` only when invoked via the
   * function URL (AWS requires both for function URLs created since October 2025). Nothing
   * else: no tables, no SES.
   *
   * @example
   * stack.operator.grantInvokeOperator(new Role(this, 'OnCall', { assumedBy: new AccountRootPrincipal() }));
   */
  public grantInvokeOperator(grantee: IGrantable): Grant {
    const [url, invoke] = this.#invokeStatements();
    return Grant.addToPrincipal({ grantee, actions: url!.actions, resourceArns: url!.resources, conditions: url!.conditions }).combine(
      Grant.addToPrincipal({ grantee, actions: invoke!.actions, resourceArns: invoke!.resources, conditions: invoke!.conditions }),
    );
  }

  /**
   * The account-level guard, ready to attach: an SCP (or permissions-boundary) statement that
   * denies `lambda:InvokeFunction` on the operator function to every principal of the account
   * unless the call comes through its function URL. The function refuses what it can tell is
   * a direct invocation (`NOT_VIA_FUNCTION_URL`), but a forged event can imitate a URL's;
   * only IAM can stop someone allowed `lambda:InvokeFunction` on it (docs/operator.md, "Only
   * through the URL"). `IfExists`: a direct invocation carries no such key, and is denied too.
   *
   * @example
   * Stack.of(this).toJsonString(stack.operator.directInvokeGuard().toStatementJson()) // the stack output OperatorDirectInvokeGuard
   */
  public directInvokeGuard(): PolicyStatement {
    return new PolicyStatement({
      sid: 'OperatorFunctionOnlyViaItsUrl',
      effect: Effect.DENY,
      actions: ['lambda:InvokeFunction'],
      resources: [this.operatorFunction.functionArn, `${this.operatorFunction.functionArn}:*`],
      conditions: { BoolIfExists: { 'lambda:InvokedViaFunctionUrl': 'false' } },
    });
  }

  /** The two statements of the operator's permission (one definition for the policy and the grant). */
  #invokeStatements(): PolicyStatement[] {
    const functionArn = this.operatorFunction.functionArn;
    return [
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunctionUrl'],
        resources: [functionArn],
        conditions: { StringEquals: { 'lambda:FunctionUrlAuthType': FunctionUrlAuthType.AWS_IAM } },
      }),
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [functionArn],
        conditions: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
      }),
    ];
  }
}

/**
 * Grants and tells the operator function what the notice commands need, exactly: `Query` on
 * the ledger's doubt and address indexes (reads and updates of rows come with the audit's
 * grants), `SendMessage` to the purchase queue (a resolved notice), and receive and delete on
 * the two DLQs with send on their queues (`dlq redrive`).
 */
function bindNoticeCommands(fn: HouseFunction & DeclaredFunction<EnvName<typeof NOTICE_OPERATIONS_ENV>>, notices: NoticeCommandResources): void {
  bindTableIndexes({
    table: notices.ledger,
    fn,
    envName: 'LEDGER_TABLE',
    indexes: [TABLE_INDEXES.ledgerByDoubt, TABLE_INDEXES.ledgerByAddress],
  });
  const { purchases, sesEvents } = notices;
  for (const pipeline of [purchases, sesEvents]) {
    pipeline.grantSendMessages(fn);
    Grant.addToPrincipal({ grantee: fn, actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], resourceArns: [pipeline.deadLetterQueue.queueArn] });
  }
  setEnvironment(fn, {
    PURCHASE_QUEUE_URL: purchases.queue.queueUrl,
    DEAD_LETTER_QUEUE_URL: purchases.deadLetterQueue.queueUrl,
    FEEDBACK_QUEUE_URL: sesEvents.queue.queueUrl,
    FEEDBACK_DEAD_LETTER_QUEUE_URL: sesEvents.deadLetterQueue.queueUrl,
    UNCERTAIN_SETTLE_SECONDS: String(notices.uncertainSettleSeconds ?? 900),
  });
}
