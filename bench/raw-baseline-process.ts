// One raw-baseline worker as its own process: as each Lambda execution environment has its
// own thread, each concurrent baseline loop gets its own process (and none shares an event
// loop with the in-process SQS emulator). Config: argv[2] as JSON. Prints "ready", then
// "processed <n>" per batch, and runs until killed.
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { GetAccountCommand } from '@aws-sdk/client-sesv2';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { type EmulatorEndpoints, localClients } from '@registry-notices/local-stack';
import { runRawBaseline, type RawBaselineOptions } from './raw-baseline';

/** What the parent passes in argv[2]. */
export interface RawBaselineConfig extends Omit<RawBaselineOptions, 'sqs' | 'ses' | 'documentClient'> {
  readonly region: string;
  readonly endpoints: EmulatorEndpoints;
}

const config = JSON.parse(process.argv[2] ?? '{}') as RawBaselineConfig;
const { sqs, ses, dynamodb, documentClient } = localClients(config.endpoints, config.region);
// Warm the clients' connections (the pipeline's environments are warm too), then say so:
// the parent starts its clock and sends the events only after "ready".
await Promise.all([
  sqs.send(new GetQueueAttributesCommand({ QueueUrl: config.queueUrl, AttributeNames: ['QueueArn'] })),
  dynamodb.send(new DescribeTableCommand({ TableName: config.tables.ledger })),
  ses.send(new GetAccountCommand({})),
]);
console.log('ready');
runRawBaseline({ ...config, sqs, ses, documentClient, onProcessed: (count) => console.log(`processed ${count}`) }).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
