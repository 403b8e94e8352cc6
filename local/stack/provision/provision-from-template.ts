import type { EmulatorEndpoints } from '../../emulators';
import { LOCAL_ACCOUNT_ID, LOCAL_AWS_REGION } from '../../emulators/local-aws';
import { localClients } from '../aws-clients';
import { TemplateResolutionError } from '../../errors';
import { evaluateCondition, resolveValue, type ResolveContext } from '../template/intrinsics';
import { EMULATED_CUSTOM_RESOURCES, IGNORED_TYPES, LocalRole, localRoleOf } from '../template/resource-types';
import type { CfnTemplate, CreatedResource, PseudoParameters, ResourceOutputs, ResourceToCreate } from '../template/types';
import { findFreePort } from '../../emulators/ports';
import { eventSourceMappingOutputs, functionOutputs, functionUrlOutputs, scheduleOutputs } from './compute-resources';
import { dependencyOrder } from './dependency-order';
import { bucketNotifications } from './bucket-notifications';
import { ignoredResourceOutputs } from './ignored-resource';
import { provision, type ProvisionTarget } from './provisioner';
import { PROVISIONERS } from './provisioners';
import { mailEventDestinationOutputs } from '../mail/event-destination';

/** Options for {@link provisionFromTemplate}. */
export interface ProvisionOptions {
  /** The emulators to create resources in. */
  readonly endpoints: EmulatorEndpoints;
  /** The stack name (`AWS::StackName`, and the start of generated names). */
  readonly stackName: string;
  /** @default process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1' */
  readonly region?: string;
  /** Put before every generated name so several copies can share one set of emulators (tests). */
  readonly namePrefix?: string;
  /** Receives one line per resource created or ignored. */
  readonly log?: (line: string) => void;
  /**
   * Port of the first `AWS::Lambda::Url` (in template order); the next ones take the ports
   * after it. 0 gives each any free port.
   *
   * @default 0
   */
  readonly functionUrlPort?: number;
}

/** One resource of the template as it exists locally. */
export interface ProvisionedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly role: LocalRole;
  /** What `Ref` / `Fn::GetAtt` give for it. */
  readonly outputs: ResourceOutputs;
  /** Its properties with every intrinsic resolved (emulated resources only). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** Properties set in the template that have no local effect, with why. */
  readonly notes: readonly string[];
  /** For ignored types: why nothing is created. */
  readonly ignoredBecause?: string;
}

/** A template provisioned into the emulators. */
export interface ProvisionedStack {
  readonly stackName: string;
  readonly template: CfnTemplate;
  readonly pseudo: PseudoParameters;
  readonly endpoints: EmulatorEndpoints;
  /** By logical id, in creation order; resources whose Condition is false are absent. */
  readonly resources: ReadonlyMap<string, ProvisionedResource>;
  /** A resolver context for further template values (e.g. `Outputs`). */
  readonly resolveContext: (logicalId?: string) => ResolveContext;
}

/**
 * Creates a synthesized template's queues, tables, parameters and keys in the emulators, in
 * dependency order, resolving every intrinsic on the way; functions, event source
 * mappings and schedules get their names and resolved properties for the runner.
 * Resource types that are neither emulated nor listed as ignored, unknown properties
 * and unsupported intrinsics fail loudly, naming the logical id.
 *
 * @example
 * const stack = await provisionFromTemplate(template, { endpoints, stackName: 'RegistryNotices' });
 * stack.resources.get('PurchaseQueue1A2B3C')?.outputs.ref // the queue URL
 */
export async function provisionFromTemplate(template: CfnTemplate, options: ProvisionOptions): Promise<ProvisionedStack> {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? LOCAL_AWS_REGION;
  const pseudo: PseudoParameters = {
    region,
    accountId: LOCAL_ACCOUNT_ID,
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    stackName: options.stackName,
    stackId: `arn:aws:cloudformation:${region}:${LOCAL_ACCOUNT_ID}:stack/${options.stackName}/local`,
  };
  const resources = new Map<string, ProvisionedResource>();
  const context = (logicalId?: string): ResolveContext => ({
    template,
    pseudo,
    logicalId,
    outputsOf: (target) => {
      const resource = resources.get(target);
      if (resource === undefined) {
        throw new TemplateResolutionError(logicalId, `refers to ${target}, which does not exist locally (its Condition is false?)`);
      }
      return resource.outputs;
    },
  });

  // Classify first, so an unsupported type fails before anything is created.
  const roles = new Map<string, LocalRole>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    roles.set(logicalId, localRoleOf(logicalId, resource.Type));
  }
  const providers = emulatedCustomResourceProviders(template);
  for (const logicalId of providers.keys()) roles.set(logicalId, LocalRole.IGNORED);

  const clients = localClients(options.endpoints, region);
  const target: ProvisionTarget = { clients, endpoints: options.endpoints };
  let nextUrlPort = options.functionUrlPort ?? 0;
  const urlPort = async (): Promise<number> => (nextUrlPort === 0 ? findFreePort() : nextUrlPort++);
  const prefixed: PseudoParameters = { ...pseudo, stackName: `${options.namePrefix ?? ''}${pseudo.stackName}` };
  // What the runner runs, or reads as it runs (nothing to create in an emulator): only its Ref/GetAtt values.
  const runByTheRunner = async (role: LocalRole, resource: ResourceToCreate): Promise<CreatedResource> => {
    const { logicalId, properties } = resource;
    switch (role) {
      case LocalRole.FUNCTION:
        return { outputs: functionOutputs(logicalId, properties, pseudo, options.namePrefix), notes: [] };
      case LocalRole.EVENT_SOURCE_MAPPING:
        return { outputs: eventSourceMappingOutputs(logicalId, prefixed), notes: [] };
      case LocalRole.SCHEDULE:
        return { outputs: scheduleOutputs(logicalId, properties, pseudo, options.namePrefix), notes: [] };
      case LocalRole.BUCKET_NOTIFICATIONS:
        return bucketNotifications(resource);
      case LocalRole.MAIL_EVENT_DESTINATION:
        return mailEventDestinationOutputs(logicalId, properties);
      case LocalRole.FUNCTION_URL:
        return { outputs: functionUrlOutputs(logicalId, properties, await urlPort(), prefixed), notes: [] };
      default:
        throw new TemplateResolutionError(logicalId, `no way to run a ${resource.type} locally (role ${role})`);
    }
  };
  try {
    for (const logicalId of dependencyOrder(template)) {
      const resource = template.Resources[logicalId];
      const role = roles.get(logicalId);
      if (resource === undefined || role === undefined) continue;
      if (resource.Condition !== undefined && !evaluateCondition(resource.Condition, context(logicalId))) continue;

      if (role === LocalRole.IGNORED) {
        const provides = providers.get(logicalId);
        const reason = provides ?? IGNORED_TYPES[resource.Type]?.reason ?? '';
        resources.set(logicalId, {
          logicalId,
          type: resource.Type,
          role,
          outputs: provides
            ? functionOutputs(logicalId, {}, pseudo, options.namePrefix)
            : ignoredResourceOutputs(logicalId, resource, context(logicalId), options.namePrefix),
          properties: {},
          notes: [],
          ignoredBecause: reason,
        });
        options.log?.(`ignored  ${logicalId} (${resource.Type}): ${reason}`);
        continue;
      }

      const properties = (resolveValue(resource.Properties ?? {}, context(logicalId)) ?? {}) as Record<string, unknown>;
      const common: ResourceToCreate = { logicalId, type: resource.Type, stackName: options.stackName, properties, namePrefix: options.namePrefix };
      const provisioner = PROVISIONERS[role];
      const { outputs, notes } = provisioner ? await provision(provisioner, common, target) : await runByTheRunner(role, common);
      resources.set(logicalId, { logicalId, type: resource.Type, role, outputs, properties, notes });
      options.log?.(`${role.padEnd(8)} ${logicalId} → ${outputs.ref}${notes.length ? ` (not applied locally: ${notes.join('; ')})` : ''}`);
    }
  } finally {
    clients.destroy();
  }
  return { stackName: options.stackName, template, pseudo, endpoints: options.endpoints, resources, resolveContext: context };
}

/**
 * The functions that only serve a custom resource the local stack emulates itself (their
 * `ServiceToken`), with why they are not run.
 */
function emulatedCustomResourceProviders(template: CfnTemplate): Map<string, string> {
  const providers = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!EMULATED_CUSTOM_RESOURCES.has(resource.Type)) continue;
    const token = resource.Properties?.ServiceToken as { 'Fn::GetAtt'?: [string, string] } | undefined;
    const provider = token?.['Fn::GetAtt']?.[0];
    if (provider && template.Resources[provider]?.Type === 'AWS::Lambda::Function') {
      providers.set(provider, `provider of ${resource.Type} ${logicalId}, which the local stack emulates itself`);
    }
  }
  return providers;
}

/**
 * The queue of the stack whose ARN is `arn` (an event source or a schedule target), if any.
 *
 * @example
 * queueWithArn(stack, mapping.EventSourceArn)?.outputs.ref // the queue URL
 */
export function queueWithArn(stack: ProvisionedStack, arn: unknown): ProvisionedResource | undefined {
  return [...stack.resources.values()].find((resource) => resource.role === LocalRole.QUEUE && resource.outputs.attributes.Arn === arn);
}
