import { LOCAL_CREDENTIALS } from '@registry-notices/local-stack';

/**
 * The plain AWS CLI line that sends one purchase event to the local stack, as printed by
 * `npm start` and the `send` command (the emulators accept any credentials).
 *
 * @example
 * awsSendMessageLine('http://127.0.0.1:4566', 'http://127.0.0.1:4566/000000000000/q', 'us-east-1', 'event.json')
 * // 'AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws sqs send-message --region us-east-1 --endpoint-url ...'
 */
export function awsSendMessageLine(endpoint: string, queueUrl: string, region: string, file: string): string {
  return (
    `AWS_ACCESS_KEY_ID=${LOCAL_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${LOCAL_CREDENTIALS.secretAccessKey} ` +
    `aws sqs send-message --region ${region} ` +
    `--endpoint-url ${endpoint} --queue-url ${queueUrl} --message-body file://${file}`
  );
}
