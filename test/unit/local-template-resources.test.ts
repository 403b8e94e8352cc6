import { describe, expect, it } from 'vitest';
import { checkProperties, dependencyOrder, EMULATED_TYPES, IGNORED_TYPES, localPhysicalName, localRoleOf, TemplateResolutionError, UnsupportedPropertyError, UnsupportedResourceTypeError } from '@registry-notices/local-stack';

describe('localRoleOf', () => {
  it.each([
    ['AWS::SQS::Queue', 'queue'],
    ['AWS::DynamoDB::Table', 'table'],
    ['AWS::DynamoDB::GlobalTable', 'table'],
    ['AWS::SSM::Parameter', 'parameter'],
    ['AWS::Lambda::Function', 'function'],
    ['AWS::Lambda::EventSourceMapping', 'event-source-mapping'],
    ['AWS::Scheduler::Schedule', 'schedule'],
    ['AWS::S3::Bucket', 'bucket'],
    ['Custom::S3BucketNotifications', 'bucket-notifications'],
    ['AWS::S3::BucketPolicy', 'ignored'],
    ['AWS::IAM::Role', 'ignored'],
    ['AWS::CloudWatch::Alarm', 'ignored'],
  ])('treats %s as %s', (type, role) => {
    expect(localRoleOf('Id', type)).toBe(role);
  });

  it('fails loudly, naming the logical id, on a type it neither runs nor ignores on purpose', () => {
    const act = () => localRoleOf('NightlyRule', 'AWS::Events::Rule');
    expect(act).toThrow(UnsupportedResourceTypeError);
    expect(act).toThrow(/NightlyRule has type AWS::Events::Rule/);
  });

  it('gives every ignored type a reason, and no type is both emulated and ignored', () => {
    for (const [type, rule] of Object.entries(IGNORED_TYPES)) {
      expect(rule.reason.length, type).toBeGreaterThan(5);
      expect(EMULATED_TYPES[type], type).toBeUndefined();
    }
  });
});

describe('checkProperties', () => {
  it('returns the ignored properties with their reasons', () => {
    const notes = checkProperties('Q', 'AWS::SQS::Queue', { VisibilityTimeout: 30, Tags: [] }, {
      applied: ['VisibilityTimeout'],
      ignored: { Tags: 'not needed' },
    });
    expect(notes).toEqual(['Tags: not needed']);
  });

  it('fails on a property it does not know, so a new setting is never dropped silently', () => {
    const act = () => checkProperties('Q', 'AWS::SQS::Queue', { Surprise: 1 }, { applied: [] });
    expect(act).toThrow(UnsupportedPropertyError);
    expect(act).toThrow(/Q \(AWS::SQS::Queue\) sets Surprise/);
  });
});

describe('localPhysicalName', () => {
  it('names a resource <stack>-<logicalId>, with the prefix first', () => {
    expect(localPhysicalName('RegistryNotices', 'Queue1', { maxLength: 80 })).toBe('RegistryNotices-Queue1');
    expect(localPhysicalName('S', 'Queue1', { maxLength: 80, prefix: 't1-' })).toBe('t1-S-Queue1');
  });

  it('uses the explicit name and keeps a FIFO suffix', () => {
    expect(localPhysicalName('S', 'Q', { maxLength: 80, explicitName: 'orders.fifo', suffix: '.fifo' })).toBe('orders.fifo');
    expect(localPhysicalName('S', 'Q', { maxLength: 80, suffix: '.fifo' })).toBe('S-Q.fifo');
  });

  it('shortens a long name with a stable hash, within the limit', () => {
    const first = localPhysicalName('S'.repeat(50), 'L'.repeat(50), { maxLength: 64 });
    expect(first).toHaveLength(64);
    expect(localPhysicalName('S'.repeat(50), 'L'.repeat(50), { maxLength: 64 })).toBe(first);
  });
});

describe('dependencyOrder', () => {
  it('puts a queue after the dead-letter queue its redrive policy names, and honours DependsOn', () => {
    // Prepare
    const template = {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', DependsOn: 'Role', Properties: { Environment: { Variables: { Q: { Ref: 'Main' } } } } },
        Main: { Type: 'AWS::SQS::Queue', Properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } } },
        Dlq: { Type: 'AWS::SQS::Queue' },
        Role: { Type: 'AWS::IAM::Role' },
      },
    };

    // Act
    const order = dependencyOrder(template);

    // Assess
    expect(order.indexOf('Dlq')).toBeLessThan(order.indexOf('Main'));
    expect(order.indexOf('Main')).toBeLessThan(order.indexOf('Fn'));
    expect(order.indexOf('Role')).toBeLessThan(order.indexOf('Fn'));
  });

  it('reports a cycle with the resources in it', () => {
    const template = {
      Resources: {
        A: { Type: 'AWS::SQS::Queue', Properties: { X: { Ref: 'B' } } },
        B: { Type: 'AWS::SQS::Queue', Properties: { X: { Ref: 'A' } } },
      },
    };
    expect(() => dependencyOrder(template)).toThrow(TemplateResolutionError);
    expect(() => dependencyOrder(template)).toThrow(/circular references between A, B/);
  });
});
