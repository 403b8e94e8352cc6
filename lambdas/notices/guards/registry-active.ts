import { RegistryStatus } from '../../directory/facts';
import type { NoticeFacts } from './notice-facts';
import { BlockReason } from '../reasons';

/** Closed or suspended registries get no notices: their page is gone, and so is the occasion. */
export function registryActive(facts: NoticeFacts): BlockReason | undefined {
  return facts.registry?.status === RegistryStatus.ACTIVE ? undefined : BlockReason.REGISTRY_NOT_ACTIVE;
}
