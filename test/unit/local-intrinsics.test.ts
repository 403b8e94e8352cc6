import { describe, expect, it } from 'vitest';
import { type CfnTemplate, evaluateCondition, referencedResources, type ResolveContext, resolveString, resolveValue, type ResourceOutputs, TemplateResolutionError, UnsupportedIntrinsicError } from '@registry-notices/local-stack';

const template: CfnTemplate = {
  Parameters: {
    Stage: { Type: 'String', Default: 'local' },
    NoDefault: { Type: 'String' },
    BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
  },
  Conditions: {
    IsLocal: { 'Fn::Equals': [{ Ref: 'Stage' }, 'local'] },
    IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
    LocalAndNotProd: { 'Fn::And': [{ Condition: 'IsLocal' }, { 'Fn::Not': [{ Condition: 'IsProd' }] }] },
  },
  Mappings: { Sizes: { local: { memory: 256 } } },
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue' },
    Table: { Type: 'AWS::DynamoDB::Table' },
    Role: { Type: 'AWS::IAM::Role' },
  },
};

const outputs: Record<string, ResourceOutputs> = {
  Queue: { ref: 'http://127.0.0.1:4566/000000000000/S-Queue', attributes: { Arn: 'arn:aws:sqs:eu-central-1:000000000000:S-Queue', QueueName: 'S-Queue' } },
  Table: { ref: 'S-Table', attributes: { Arn: 'arn:aws:dynamodb:ddblocal:000000000000:table/S-Table' } },
};

function contextFactory(overrides: Partial<ResolveContext> = {}): ResolveContext {
  return {
    template,
    pseudo: {
      region: 'eu-central-1',
      accountId: '000000000000',
      partition: 'aws',
      urlSuffix: 'amazonaws.com',
      stackName: 'S',
      stackId: 'arn:aws:cloudformation:eu-central-1:000000000000:stack/S/local',
    },
    logicalId: 'Subject',
    outputsOf: (id) => {
      const found = outputs[id];
      if (!found) throw new TemplateResolutionError('Subject', `${id} not created`);
      return found;
    },
    ...overrides,
  };
}

describe('resolveValue', () => {
  it('resolves Ref to a resource to its physical id, and to a parameter to its Default', () => {
    expect(resolveValue({ Ref: 'Queue' }, contextFactory())).toBe(outputs.Queue?.ref);
    expect(resolveValue({ Ref: 'Stage' }, contextFactory())).toBe('local');
  });

  it.each([
    ['AWS::Region', 'eu-central-1'],
    ['AWS::AccountId', '000000000000'],
    ['AWS::Partition', 'aws'],
    ['AWS::URLSuffix', 'amazonaws.com'],
    ['AWS::StackName', 'S'],
  ])('resolves the pseudo parameter %s', (name, value) => {
    expect(resolveValue({ Ref: name }, contextFactory())).toBe(value);
  });

  it('resolves Fn::GetAtt in list and dotted form', () => {
    expect(resolveValue({ 'Fn::GetAtt': ['Queue', 'Arn'] }, contextFactory())).toBe('arn:aws:sqs:eu-central-1:000000000000:S-Queue');
    expect(resolveValue({ 'Fn::GetAtt': 'Table.Arn' }, contextFactory())).toBe('arn:aws:dynamodb:ddblocal:000000000000:table/S-Table');
  });

  it('joins resolved values with Fn::Join', () => {
    const value = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Stage' }, '-bucket']] };
    expect(resolveValue(value, contextFactory())).toBe('arn:aws:s3:::local-bucket');
  });

  it('substitutes pseudo parameters, Refs, GetAtts and variables in Fn::Sub, and keeps ${!Literal}', () => {
    // Prepare
    const value = {
      'Fn::Sub': [
        'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:${Name} ${Queue.QueueName} ${Table} ${!NotMe}',
        { Name: { Ref: 'Stage' } },
      ],
    };

    // Act
    const resolved = resolveValue(value, contextFactory());

    // Assess
    expect(resolved).toBe('arn:aws:lambda:eu-central-1:000000000000:local S-Queue S-Table ${NotMe}');
  });

  it('resolves the string form of Fn::Sub', () => {
    expect(resolveValue({ 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, contextFactory())).toBe(
      'cdk-hnb659fds-assets-000000000000-eu-central-1',
    );
  });

  it('selects from a split list', () => {
    const value = { 'Fn::Select': ['5', { 'Fn::Split': [':', { 'Fn::GetAtt': ['Queue', 'Arn'] }] }] };
    expect(resolveValue(value, contextFactory())).toBe('S-Queue');
  });

  it('evaluates Fn::If, conditions and drops AWS::NoValue from objects and lists', () => {
    // Prepare
    const value = {
      Kept: { 'Fn::If': ['IsLocal', 'yes', 'no'] },
      Dropped: { 'Fn::If': ['IsProd', 'prod-only', { Ref: 'AWS::NoValue' }] },
      List: ['a', { Ref: 'AWS::NoValue' }, 'b'],
      Memory: { 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'memory'] },
    };

    // Act
    const resolved = resolveValue(value, contextFactory());

    // Assess
    expect(resolved).toEqual({ Kept: 'yes', List: ['a', 'b'], Memory: 256 });
    expect(evaluateCondition('LocalAndNotProd', contextFactory())).toBe(true);
  });

  it('leaves plain values and nested objects alone', () => {
    const value = { VisibilityTimeout: 30, Nested: { Flag: true, List: [1, 'x'] } };
    expect(resolveValue(value, contextFactory())).toEqual(value);
  });

  it('fails loudly on Fn::ImportValue, naming the resource', () => {
    const act = () => resolveValue({ 'Fn::ImportValue': 'SharedQueueArn' }, contextFactory());
    expect(act).toThrow(UnsupportedIntrinsicError);
    expect(act).toThrow(/Resource Subject uses Fn::ImportValue/);
  });

  it('fails loudly on an intrinsic it does not know', () => {
    expect(() => resolveValue({ 'Fn::Frobnicate': [] }, contextFactory())).toThrow(UnsupportedIntrinsicError);
  });

  it('fails on a Ref to something the template does not define', () => {
    expect(() => resolveValue({ Ref: 'Missing' }, contextFactory())).toThrow(/Ref to Missing, which the template does not define/);
  });

  it('fails on an attribute the local resource does not provide', () => {
    expect(() => resolveValue({ 'Fn::GetAtt': ['Table', 'StreamArn'] }, contextFactory())).toThrow(UnsupportedIntrinsicError);
  });

  it('fails on a parameter without Default, and on SSM-typed parameters', () => {
    expect(() => resolveValue({ Ref: 'NoDefault' }, contextFactory())).toThrow(/has no Default/);
    expect(() => resolveValue({ Ref: 'BootstrapVersion' }, contextFactory())).toThrow(/read from SSM at deploy time/);
  });
});

describe('resolveString', () => {
  it('turns numbers into text and rejects lists', () => {
    expect(resolveString(30, contextFactory(), 'Timeout')).toBe('30');
    expect(() => resolveString({ 'Fn::Split': [',', 'a,b'] }, contextFactory(), 'Name')).toThrow(TemplateResolutionError);
  });
});

describe('referencedResources', () => {
  it('finds resources named by Ref, GetAtt and Sub placeholders, but not parameters or pseudo parameters', () => {
    // Prepare
    const value = {
      A: { Ref: 'Queue' },
      B: { 'Fn::Sub': '${Table.Arn}/${AWS::Region}/${Stage}/${!Role}' },
      C: { 'Fn::GetAtt': 'Role.Arn' },
    };

    // Act
    const found = referencedResources(value, template);

    // Assess
    expect([...found].sort()).toEqual(['Queue', 'Role', 'Table']);
  });
});
