// Part of `npm run bench` (not a test: speed is never asserted). Run alone: npx tsx lambdas/platform/middleware/sqs-record-validation/index.perf.ts
// What the validation middleware costs per batch of 10 purchase records (8 valid, 2 invalid),
// side by side with the least that validating them needs: JSON.parse + the schema, per record.
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { Bench } from 'tinybench';
import { purchaseMessageFactory, sqsRecordFactory } from '../../../../test/helpers/factories';
import { lambdaContextFactory } from '../../../../test/support/lambda-context';
import { MAX_BODY_BYTES, PURCHASE_MESSAGE_FIELDS, purchaseMessageSchema } from '../../../notices/purchase-message';
import { sqsRecordValidationMiddleware, validateSqsRecords } from './index';

const schema = purchaseMessageSchema(() => new Date());
const records = [
  ...Array.from({ length: 8 }, () => sqsRecordFactory(purchaseMessageFactory({ purchaser: { displayName: 'Aunt May' }, giftMessage: 'For the little one' }))),
  sqsRecordFactory({ ...purchaseMessageFactory(), item: { itemId: 'i', title: 't', quantity: 500 }, extra: 1 }),
  sqsRecordFactory('not json'),
];
const event: SQSEvent = { Records: records };
const options = {
  schema,
  quarantine: { put: async () => undefined },
  maxBodyBytes: MAX_BODY_BYTES,
  knownFields: PURCHASE_MESSAGE_FIELDS,
  logger: { warn: () => undefined, error: () => undefined },
  metrics: { addMetric: () => undefined },
};
const handler = middy()
  .use(sqsRecordValidationMiddleware(options))
  .handler(async (e) => ({ batchItemFailures: [], valid: e.Records.length })) as unknown as (e: SQSEvent, c: unknown) => Promise<unknown>;
const context = lambdaContextFactory();

const bench = new Bench({ name: 'validation middleware, one batch of 10 records', time: 1_000, warmup: true });
bench
  .add('bare: JSON.parse + schema per record', () => {
    for (const record of records) {
      try {
        schema['~standard'].validate(JSON.parse(record.body));
      } catch {
        // not JSON
      }
    }
  })
  .add('core: validateSqsRecords', () => validateSqsRecords(records, options).then(() => undefined))
  .add('middleware: middy + sqsRecordValidationMiddleware', () => handler(event, context).then(() => undefined));

await bench.run();
const perSecond = (name: string): number => {
  const result = bench.getTask(name)?.result;
  return result && 'throughput' in result ? result.throughput.mean : Number.NaN;
};
const bare = perSecond('bare: JSON.parse + schema per record');
console.log(`\n${bench.name} (Node ${process.version}, ${new Date().toISOString().slice(0, 10)})`);
for (const task of bench.tasks) {
  const ops = perSecond(task.name);
  console.log(`  ${task.name.padEnd(52)} ${Math.round(ops).toString().padStart(8)} batches/s   ratio to bare ${(bare / ops).toFixed(2)}x the time`);
}
