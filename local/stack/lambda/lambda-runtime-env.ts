import type { LocalFunctionDefinition } from './function-definition';

/**
 * The environment a function sees, as in Lambda: the runtime's reserved variables, then
 * the template's `Environment.Variables`, then `overrides` (the emulator endpoints
 * `AWS_ENDPOINT_URL_*`, region and dummy credentials), which win.
 *
 * @example
 * lambdaEnvironment(definition, 'eu-central-1', emulatorEnv(endpoints)).AWS_LAMBDA_FUNCTION_NAME
 */
export function lambdaEnvironment(
  definition: LocalFunctionDefinition,
  region: string,
  overrides: Readonly<Record<string, string>>,
): Record<string, string> {
  const runtime: Record<string, string> = {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: definition.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${definition.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `local/${definition.logicalId}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: `AWS_Lambda_${definition.runtime}`,
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    LAMBDA_TASK_ROOT: definition.codeDirectory,
    _HANDLER: definition.handler,
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
  };
  return { ...runtime, ...definition.environment, ...overrides };
}
