import type { NoticeFacts } from './notice-facts';
import { BlockReason } from '../reasons';

/** A purchase of something not on the registry is not a registry gift. */
export function itemOnRegistry(facts: NoticeFacts): BlockReason | undefined {
  return facts.itemOnRegistry ? undefined : BlockReason.ITEM_NOT_ON_REGISTRY;
}
