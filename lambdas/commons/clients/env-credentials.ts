import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in function bundles (an esbuild alias
 * set by `HouseFunction`): Lambda hands a function its role's keys in the environment, and
 * every client of ours is given `fromEnv()`, so the SDK's default chain (SSO, INI files,
 * web identity, IMDS and their nested STS/SSO clients) is never called.
 *
 * Bundled, that chain is 95 KB of a function, and its IMDS provider's `import "node:http"`,
 * hoisted to the top of an ESM bundle, makes Node 24 load its internal undici at init
 * (20-30 ms of a cold start). Should a client still ask for the default chain, it gets
 * the environment's keys, as the default chain would on Lambda.
 *
 * @example
 * // esbuild --alias:@aws-sdk/credential-provider-node=./lambdas/commons/clients/env-credentials.ts
 */
export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
