import { ConfigurationError } from '../errors';

/**
 * Stands in for `@smithy/core/event-streams` in function bundles (an esbuild alias set by
 * `HouseFunction`). Every protocol of the SDK loads event-stream support with a dynamic
 * `import()` on the first event-stream operation, and esbuild inlines that import into a
 * one-file bundle: 20 KB of codec and marshallers in each function. None of the clients we
 * bundle (DynamoDB, SES v2, SQS) has an event-stream operation, so it is never loaded; should
 * one be added, its first call fails with this error instead of silently pulling it back in.
 */
function unbundled(): never {
  throw new ConfigurationError('event streams are not bundled in this function (see lambdas/commons/clients/no-event-streams.ts)');
}

export const EventStreamSerde = unbundled;
export const eventStreamSerdeProvider = unbundled;
