import type { NoticeFacts } from './notice-facts';
import { BlockReason } from '../reasons';

/** A notice is only about a registry our data knows. */
export function registryExists(facts: NoticeFacts): BlockReason | undefined {
  return facts.registry ? undefined : BlockReason.REGISTRY_NOT_FOUND;
}
