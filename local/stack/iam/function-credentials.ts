import { createHash } from 'node:crypto';
import type { GatedService } from './policy-gate';

/** The variable of each service's endpoint in a function's environment (`emulatorEnv`). */
const ENDPOINT_VARIABLES: Readonly<Record<GatedService, string>> = {
  sqs: 'AWS_ENDPOINT_URL_SQS',
  sns: 'AWS_ENDPOINT_URL_SNS',
  s3: 'AWS_ENDPOINT_URL_S3',
  ses: 'AWS_ENDPOINT_URL_SESV2',
  dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB',
  ssm: 'AWS_ENDPOINT_URL_SSM',
  kms: 'AWS_ENDPOINT_URL_KMS',
  lambda: 'AWS_ENDPOINT_URL_LAMBDA',
};

/**
 * A function's own local credentials: an access key id made of its logical id (20 upper-case
 * letters and digits, as AWS's are; DynamoDB Local accepts only letters and digits), whose
 * secret is the key id itself, as for every local key.
 *
 * @example
 * functionCredentials('NotifyFunction').accessKeyId // 'ASIALOCAL' + 11 characters
 */
export function functionCredentials(functionLogicalId: string): { accessKeyId: string; secretAccessKey: string } {
  const accessKeyId = `ASIALOCAL${createHash('sha256').update(functionLogicalId).digest('hex').slice(0, 11).toUpperCase()}`;
  return { accessKeyId, secretAccessKey: accessKeyId };
}

/** The emulators the gate fronts: each service's endpoint as the functions' environment names it. */
export function upstreamsOf(environment: Readonly<Record<string, string>>): Partial<Record<GatedService, string>> {
  const upstreams: Partial<Record<GatedService, string>> = {};
  for (const [service, variable] of Object.entries(ENDPOINT_VARIABLES) as [GatedService, string][]) {
    const endpoint = environment[variable];
    if (endpoint) upstreams[service] = endpoint;
  }
  return upstreams;
}

/**
 * A function's environment with every emulator endpoint replaced by the gate's, its own
 * credentials, and the queue URLs of its variables on the gate's origin: the SDK sends an SQS
 * call to its queue URL's host, so a URL on the emulator's would go round the gate.
 */
export function gatedEnvironment(
  environment: Readonly<Record<string, string>>,
  gateUrl: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
): Record<string, string> {
  const sqs = environment.AWS_ENDPOINT_URL_SQS;
  const sqsOrigin = sqs ? new URL(sqs).origin : undefined;
  const gated: Record<string, string> = {};
  for (const [key, value] of Object.entries(environment)) {
    gated[key] = sqsOrigin !== undefined && value.startsWith(`${sqsOrigin}/`) ? `${gateUrl}${value.slice(sqsOrigin.length)}` : value;
  }
  for (const variable of Object.values(ENDPOINT_VARIABLES)) if (environment[variable]) gated[variable] = gateUrl;
  gated.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  gated.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  delete gated.AWS_SESSION_TOKEN;
  return gated;
}
