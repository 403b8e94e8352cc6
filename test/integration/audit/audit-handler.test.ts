import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUDIT_RUN_EVENT } from '../../../lambdas/audit/run/run-event';
import type { RunReport } from '../../../lambdas/audit/run-once';
import { sqsRecordFactory } from '../../helpers/factories';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { lambdaContextFactory } from '../../support/lambda-context';
import { Mailbox } from '../../support/mailbox';
import { createAuditWorld, type AuditWorld } from './audit-world';
import { EXPECTED_APOLOGIES, seedIncident } from './seed-incident';

describe('audit and apology handlers (Middy, Powertools) as the scheduler and the queue invoke them', () => {
  let clients: AwsClients;
  let world: AuditWorld;
  const saved = { ...process.env };

  beforeAll(async () => {
    clients = createAwsClients();
    world = await createAuditWorld(clients);
    await seedIncident(world);
    const killSwitch = `/registry-notices/test-${world.domain}`;
    await clients.ssm.send(new PutParameterCommand({ Name: killSwitch, Value: 'false', Type: 'String', Overwrite: true }));
    const { QueueUrl: quarantineUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `quarantine-${world.domain.replaceAll('.', '-')}` }));
    Object.assign(process.env, world.env, {
      KILL_SWITCH_PARAMETER: killSwitch,
      QUARANTINE_QUEUE_URL: quarantineUrl,
      APOLOGY_RATE_SHARE_PERCENT: '100',
      AUDIT_SAFETY_MARGIN_SECONDS: '2',
      POWERTOOLS_SERVICE_NAME: 'registry-notices',
      POWERTOOLS_METRICS_NAMESPACE: 'RegistryNotices',
    });
  });

  afterAll(() => {
    process.env = saved;
    clients.destroy();
  });

  it('audits, plans and enqueues the incident apologies, which the sender sends once each, logging no address', async () => {
    // Prepare
    const logged: string[] = [];
    const spies = (['log', 'info', 'warn', 'error'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))),
    );
    const writes = (['stdout', 'stderr'] as const).map((stream) =>
      vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
        logged.push(String(chunk));
        return true;
      }),
    );
    const audit = (await import('../../../lambdas/audit/run/handler')).handler;
    // Typed as Lambda calls it: the raw SQS event, before the validation middleware parses it.
    const sender = ((await import('../../../lambdas/audit/apology/handler')) as unknown as { handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> }).handler;

    // Act
    let first: RunReport;
    let second: RunReport;
    let sent: SQSBatchResponse;
    let queued: number;
    try {
      first = (await audit(AUDIT_RUN_EVENT, lambdaContextFactory('audit', 60_000))) as RunReport;
      second = (await audit(AUDIT_RUN_EVENT, lambdaContextFactory('audit', 60_000))) as RunReport;
      // Lambda's event source for the sender: one batch of what is on the queue.
      const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: world.apologyQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      queued = Messages.length;
      const event = { Records: Messages.map((m) => sqsRecordFactory(m.Body ?? '', { messageId: m.MessageId ?? '', receiptHandle: m.ReceiptHandle ?? '' })) };
      sent = await sender(event, lambdaContextFactory('apology', 60_000));
    } finally {
      for (const spy of [...spies, ...writes]) spy.mockRestore();
    }

    // Assess
    expect(first.campaigns[0]).toMatchObject({ enqueuedNow: 3, enqueued: 3, allEnqueued: true, complete: false });
    expect(first.audit.wrongByReason).toEqual({ NOT_A_PARTICIPANT: 4, NOT_THE_OWNER: 1, REGISTRY_CLOSED: 1, DUPLICATE: 1 });
    expect(second.campaigns).toEqual([expect.objectContaining({ enqueuedNow: 0, allEnqueued: true })]);
    expect(queued).toBe(3);
    expect(sent.batchItemFailures).toEqual([]);
    const mailbox = new Mailbox();
    for (const local of Object.keys(EXPECTED_APOLOGIES)) expect(await mailbox.to(world.address(local))).toHaveLength(1);
    const output = logged.join('\n');
    expect(output).toContain('ApologySent');
    expect(output).toContain('WrongNoticeFound');
    expect(output).not.toContain(world.domain);
  });
});
