import { UnsupportedPropertyError, TemplateResolutionError } from '../../errors';
import type { ProvisionedResource } from '../provision/provision-from-template';
import { checkProperties } from '../provision/property-check';
import type { LocalFunctionDefinition } from './function-definition';

const TYPE = 'AWS::Lambda::Url';

/**
 * How a function URL checks its callers: `AWS_IAM`, SigV4-signed requests only (the caller's
 * identity goes to `requestContext.authorizer.iam`), or `NONE`, anyone may call it.
 */
export const FUNCTION_URL_AUTH_TYPES = ['AWS_IAM', 'NONE'] as const;
export type FunctionUrlAuthType = (typeof FUNCTION_URL_AUTH_TYPES)[number];

/** One `AWS::Lambda::Url` as the local stack serves it. */
export interface LocalFunctionUrl {
  readonly logicalId: string;
  /** The function it invokes. */
  readonly functionLogicalId: string;
  readonly authType: FunctionUrlAuthType;
  /** `http://127.0.0.1:<port>/`, the URL's `FunctionUrl` attribute. */
  readonly url: string;
  readonly port: number;
  /** The URL id (the first label of the host on AWS). */
  readonly urlId: string;
}

/**
 * Reads a provisioned `AWS::Lambda::Url`: its target function (by ARN or name), its auth type
 * and the local URL provisioning gave it. Response streaming and qualifiers (aliases,
 * versions) fail loudly; CORS has no local effect (no browser checks it here).
 *
 * @example
 * functionUrlDefinition(stack.resources.get('OperatorUrl')!, definitions).url // 'http://127.0.0.1:9000/'
 */
export function functionUrlDefinition(
  resource: ProvisionedResource,
  functions: ReadonlyMap<string, LocalFunctionDefinition>,
): LocalFunctionUrl {
  const { logicalId, properties: p } = resource;
  checkProperties(logicalId, TYPE, p, {
    applied: ['AuthType', 'TargetFunctionArn', 'InvokeMode'],
    ignored: { Cors: 'no browser checks CORS locally; every origin may call' },
  });
  if (p.Qualifier !== undefined) throw new UnsupportedPropertyError(logicalId, TYPE, 'Qualifier', 'only $LATEST runs locally');
  if (p.InvokeMode !== undefined && p.InvokeMode !== 'BUFFERED') {
    throw new UnsupportedPropertyError(logicalId, TYPE, 'InvokeMode', `${String(p.InvokeMode)} is not served locally (BUFFERED is)`);
  }
  const authType = FUNCTION_URL_AUTH_TYPES.find((type) => type === p.AuthType);
  if (authType === undefined) {
    throw new UnsupportedPropertyError(logicalId, TYPE, 'AuthType', `must be ${FUNCTION_URL_AUTH_TYPES.join(' or ')}, got ${JSON.stringify(p.AuthType)}`);
  }
  const target = String(p.TargetFunctionArn ?? '');
  const fn = [...functions.values()].find((f) => f.arn === target || f.name === target);
  if (fn === undefined) throw new TemplateResolutionError(logicalId, `TargetFunctionArn ${target} is not a function of this stack`);
  const url = String(resource.outputs.attributes.FunctionUrl);
  return {
    logicalId,
    functionLogicalId: fn.logicalId,
    authType,
    url,
    port: Number(new URL(url).port),
    urlId: String(resource.outputs.attributes.UrlId),
  };
}
