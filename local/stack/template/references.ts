import type { CfnTemplate } from './types';

/**
 * The resources a template value refers to through `Ref`, `Fn::GetAtt` or `Fn::Sub`
 * placeholders (both branches of an `Fn::If` count). Used to create resources in
 * dependency order, as CloudFormation does.
 *
 * @example
 * referencedResources({ 'Fn::GetAtt': ['Dlq', 'Arn'] }, template) // Set { 'Dlq' }
 */
export function referencedResources(value: unknown, template: CfnTemplate): Set<string> {
  const found = new Set<string>();
  const addIfResource = (name: string): void => {
    if (template.Resources[name] !== undefined) found.add(name);
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, item] of Object.entries(node)) {
      if (key === 'Ref' && typeof item === 'string') addIfResource(item);
      else if (key === 'Fn::GetAtt') {
        if (typeof item === 'string') addIfResource(item.split('.')[0] ?? '');
        else if (Array.isArray(item) && typeof item[0] === 'string') addIfResource(item[0]);
      } else if (key === 'Fn::Sub') {
        const text = typeof item === 'string' ? item : Array.isArray(item) ? item[0] : undefined;
        if (typeof text === 'string') {
          for (const match of text.matchAll(/\$\{([^}!][^}]*)\}/g)) addIfResource((match[1] ?? '').trim().split('.')[0] ?? '');
        }
        if (Array.isArray(item)) visit(item[1]);
      } else visit(item);
    }
  };
  visit(value);
  return found;
}
