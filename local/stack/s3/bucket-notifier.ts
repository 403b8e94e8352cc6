import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { BucketNotificationsDefinition } from '../provision/bucket-notifications';
import { matchesFilter, s3EventMessage, type SeenObject } from './s3-event';

export interface BucketNotifierOptions {
  readonly definition: BucketNotificationsDefinition;
  /** Queue URL of each destination queue ARN. */
  readonly queueUrls: ReadonlyMap<string, string>;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly region: string;
  /** How often the bucket is listed. @default 500 */
  readonly intervalMs?: number;
  readonly log?: (line: string) => void;
}

/**
 * S3 event notifications to SQS, emulated: the S3 emulator (fauxqs) stores objects but sends no
 * notifications, so this lists the bucket every `intervalMs` and, for every object new or
 * changed (key and ETag) since the last listing, sends each matching queue the message S3
 * would send (`s3EventMessage`), once. Objects already there at start count as new.
 * Delivery is at least once, as S3's: a crash between send and record sends again.
 */
export class BucketNotifier {
  private readonly seen = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private sequence = 0;
  private stopped = false;

  constructor(private readonly options: BucketNotifierOptions) {}

  start(): void {
    const tick = (): void => {
      this.polling = this.poll()
        .catch((error: unknown) => this.options.log?.(`bucket ${this.options.definition.bucketName}: listing failed: ${(error as Error).message}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs ?? 500);
        });
    };
    tick();
  }

  /** One listing now (tests call it to skip the wait). */
  async poll(): Promise<void> {
    const { definition } = this.options;
    let token: string | undefined;
    do {
      const page = await this.options.s3.send(new ListObjectsV2Command({ Bucket: definition.bucketName, ContinuationToken: token }));
      for (const entry of page.Contents ?? []) {
        const object: SeenObject = { key: entry.Key ?? '', size: entry.Size ?? 0, eTag: (entry.ETag ?? '').replaceAll('"', '') };
        if (this.seen.get(object.key) === object.eTag) continue;
        await this.notify(object);
        this.seen.set(object.key, object.eTag);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
  }

  private async notify(object: SeenObject): Promise<void> {
    const { definition } = this.options;
    for (const queue of definition.queues.filter((q) => matchesFilter(object.key, q))) {
      const queueUrl = this.options.queueUrls.get(queue.queueArn);
      if (queueUrl === undefined) continue;
      this.sequence += 1;
      const body = s3EventMessage({ bucket: definition.bucketName, object, region: this.options.region, sequence: this.sequence, at: new Date(), configurationId: definition.logicalId });
      await this.options.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      this.options.log?.(`bucket ${definition.bucketName}: ${object.key} → ${queueUrl}`);
    }
  }
}
