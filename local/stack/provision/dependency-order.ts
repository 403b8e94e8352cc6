import { TemplateResolutionError } from '../../errors';
import { referencedResources } from '../template/references';
import type { CfnTemplate } from '../template/types';

/**
 * The template's resources in an order where each comes after everything it refers to
 * (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `DependsOn`), template order otherwise, as
 * CloudFormation creates them. A cycle fails with the resources involved.
 *
 * @example
 * dependencyOrder(template) // ['Dlq', 'PurchaseQueue', ...]
 */
export function dependencyOrder(template: CfnTemplate): string[] {
  const ids = Object.keys(template.Resources);
  const dependsOn = new Map<string, Set<string>>();
  for (const id of ids) {
    const resource = template.Resources[id];
    const deps = referencedResources(resource?.Properties ?? {}, template);
    const explicit = resource?.DependsOn;
    for (const dep of typeof explicit === 'string' ? [explicit] : (explicit ?? [])) {
      if (template.Resources[dep] !== undefined) deps.add(dep);
    }
    deps.delete(id);
    dependsOn.set(id, deps);
  }
  const ordered: string[] = [];
  const done = new Set<string>();
  while (ordered.length < ids.length) {
    const ready = ids.find((id) => !done.has(id) && [...(dependsOn.get(id) ?? [])].every((dep) => done.has(dep)));
    if (ready === undefined) {
      const stuck = ids.filter((id) => !done.has(id));
      throw new TemplateResolutionError(undefined, `circular references between ${stuck.join(', ')}`);
    }
    ordered.push(ready);
    done.add(ready);
  }
  return ordered;
}
