/**
 * @registry-notices/local-stack: runs a synthesized CDK stack on this machine with Lambda's
 * semantics, over local emulators of SQS, SNS, S3, SES v2, DynamoDB, SSM and KMS; no Docker,
 * no AWS account. See README.md beside this file for what it supports.
 *
 * This file is the package's whole surface: import from `@registry-notices/local-stack`, never
 * from a file inside it (lint keeps it so). The package knows no product: it imports nothing
 * from the project around it.
 */

// ---- The emulators ----
export {
  DEFAULT_EMULATOR_PORTS,
  emulatorEnv,
  resolvePorts,
  startEmulators,
  type EmulatorEndpoints,
  type EmulatorPorts,
  type RunningEmulators,
} from './emulators';
export { EMULATOR_NAMES, portEnvVar, type EmulatorName } from './emulators/names';
export { LOCAL_ACCOUNT_ID, LOCAL_AWS_REGION, LOCAL_CREDENTIALS } from './emulators/local-aws';
export { LOCAL_SES_ACCOUNT } from './emulators/ses';
export { RestartableSes } from './emulators/restartable-ses';
// A proxy in front of DynamoDB Local that throttles, fails and stalls a share of requests (fault tests, bench).
export { DynamoDbFault, startDynamoDbFaults, type DynamoDbFaultCounts, type DynamoDbFaultOptions, type DynamoDbFaultProxy, type DynamoDbFaultRates } from './emulators/dynamodb-faults';
export { assertPortFree, findFreePort, isPort } from './emulators/ports';
// Parts the emulators are built of, for tests of their failure paths.
export { assertJavaAvailable, parseJavaMajor } from './emulators/java';
export { manageChild } from './emulators/child-process';
export { waitUntilReady } from './emulators/readiness';
export { ParameterStore, SsmApiError } from './emulators/ssm-parameters';

// ---- SDK clients for the emulators (or for AWS) ----
export { awsClients, localClients, s3Endpoint, type SdkClients } from './stack/aws-clients';

// ---- A stack: synthesize, read, provision, run ----
export { synthesize, synthesizeUnlessUnchanged, SYNTH_STAMP_FILE, type SynthOutcome, type SynthesizeOptions } from './stack/assembly/synthesize';
export { readCloudAssembly, type CloudAssembly, type StackArtifact } from './stack/assembly/read-assembly';
export { startLocalStack, type LocalStack, type LocalStackOptions } from './stack/local-stack';
export {
  provisionFromTemplate,
  type ProvisionOptions,
  type ProvisionedResource,
  type ProvisionedStack,
} from './stack/provision/provision-from-template';
export { resolveStackOutputs, type StackOutputs } from './stack/provision/stack-outputs';
export { startFunctions, type RunningFunctions, type StartFunctionsOptions } from './stack/run-functions';
export type { BatchReport } from './stack/lambda/sqs-event-source';
export type { FunctionUsage } from './stack/lambda/function-pool';
export type { HeapReading } from './stack/lambda/worker-protocol';
export type { GateCall } from './stack/iam/policy-gate';
export type { RunningMailEvents } from './stack/mail/start-mail-events';
export type { CfnTemplate, ResourceOutputs } from './stack/template/types';

// ---- What a running stack leaves for other processes: its state file and log files ----
export {
  DEFAULT_STATE_FILE,
  isProcessRunning,
  readStackState,
  removeStackState,
  writeStackState,
  type LocalStackState,
} from './stack/state-file';
export { openLineLog, type LineLog } from './stack/log-files';

// ---- The pieces, for tests and tools that drive one of them alone ----
// Template
export { evaluateCondition, resolveString, resolveValue, type ResolveContext } from './stack/template/intrinsics';
export { referencedResources } from './stack/template/references';
export { localPhysicalName } from './stack/template/physical-names';
export { EMULATED_TYPES, IGNORED_TYPES, localRoleOf } from './stack/template/resource-types';
export { checkProperties } from './stack/provision/property-check';
export { dependencyOrder } from './stack/provision/dependency-order';
export { bucketNotifications } from './stack/provision/bucket-notifications';
// Functions
export { functionDefinition } from './stack/lambda/function-definition';
export { lambdaEnvironment } from './stack/lambda/lambda-runtime-env';
export { batchOutcome } from './stack/lambda/batch-response';
export { sqsRecord } from './stack/lambda/sqs-records';
export { functionUrlEvent, functionUrlResponse } from './stack/lambda/function-url-event';
export { FunctionUrlServer } from './stack/lambda/function-url-server';
export { LambdaInvokeServer, type InvokableFunction } from './stack/lambda/invoke-server';
export { functionNameParts } from './stack/lambda/function-name';
export { localCallerOf, verifySigV4, type ReceivedRequest } from './stack/lambda/sigv4-verifier';
// IAM: the gate that evaluates each function's role (docs/local-stack.md, "IAM")
export { evaluateStatements, arnMatches, globMatches, type AuthorizationRequest, type Decision, type PolicyStatement } from './stack/iam/policy-evaluation';
export { classifyRequest, type ClassifiedRequest, type GateRequest, type RequiredPermission, type ResourceNames } from './stack/iam/aws-requests';
export { functionCredentials } from './stack/iam/function-credentials';
export type { AccessRefusal } from './stack/iam/policy-gate';
// S3 events
export { decodeEventKey, encodeEventKey, matchesFilter, s3EventMessage } from './stack/s3/s3-event';
// Schedules
export { parseCron } from './stack/schedule/cron-expression';
export { parseScheduleExpression } from './stack/schedule/schedule-expression';
export { instantOfWallTime } from './stack/schedule/wall-clock';
export { LocalScheduler, type SchedulerActions } from './stack/schedule/local-scheduler';
export type { ScheduleDefinition } from './stack/schedule/schedule-definition';
// A cloud assembly written by hand, for tests
export { assetCode, writeFakeAssembly, type FakeBundle } from './stack/testing/fake-assembly';

// ---- Errors ----
export * from './errors';
