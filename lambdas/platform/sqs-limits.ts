/**
 * SQS's limits, shared by the quarantine adapter and the CDK constructs (no dependencies, so
 * the CDK app can import it).
 */

/** The largest message SQS takes, body and attributes together: 1 MiB (1,048,576 bytes). */
export const SQS_MAX_MESSAGE_BYTES = 1024 * 1024;

/** SQS's longest message delay (`DelaySeconds`). */
export const SQS_MAX_DELAY_SECONDS = 900;
