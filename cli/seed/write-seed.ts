import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '../../lambdas/platform/dynamodb/document';
import { validateValue } from '../../lambdas/platform/validation';
import { applyDirectoryEvent } from '../../lambdas/directory/apply-directory-event';
import { directoryApplyDeps, type DirectoryTableNames } from '../../lambdas/directory/apply-deps-wiring';
import { directoryEventSchema } from '../../lambdas/directory/directory-event';
import { normalizeInstant } from '../../lambdas/directory/directory-fact';
import { InputFileError } from '../errors';
import type { SeedData } from './seed-file';
import { seedDirectoryEvents, seedSuppressionItems } from './seed-events';

/** Where the seed goes: the directory's tables and the suppressions table, by physical name. */
export interface SeedTables extends DirectoryTableNames {
  readonly suppressions: string;
}

/**
 * The seed's tables from a stack's outputs (`RegistriesTableName`, ...); `output` throws for a
 * missing one, naming it.
 *
 * @example
 * seedTablesOf((key) => requireOutput(target, key))
 */
export function seedTablesOf(output: (key: string) => string): SeedTables {
  return {
    history: output('DirectoryHistoryTableName'),
    registries: output('RegistriesTableName'),
    customers: output('CustomersTableName'),
    ledger: output('LedgerTableName'),
    suppressions: output('SuppressionsTableName'),
  };
}

/** How many of each were written. */
export interface SeedCounts {
  readonly registries: number;
  readonly customers: number;
  readonly suppressions: number;
  /** Directory events applied (a registry is one, plus one per 100 items). */
  readonly events: number;
}

/** Events applied at once. */
const CONCURRENCY = 16;

/**
 * Seeds the tables the way the shop's feed would: the seed becomes directory events
 * (`seedDirectoryEvents`), each checked against contract v1 and applied by the directory
 * function's own code (history and current state, conditional writes); suppressions are put
 * by address hash. The facts hold from the seed's `effectiveAt` (default: now), as version
 * `now` in milliseconds, so a later seed of the same file supersedes this one.
 *
 * @example
 * await writeSeed(documentClient, tables, readSeedFile('cli/demo/seed.json'));
 */
export async function writeSeed(
  client: DynamoDBDocumentClient,
  tables: SeedTables,
  seed: SeedData,
  clock: () => Date = () => new Date(),
): Promise<SeedCounts> {
  const now = clock();
  const events = seedDirectoryEvents(seed, { effectiveAt: normalizeInstant(seed.effectiveAt ?? now.toISOString()), version: now.getTime() });
  const schema = directoryEventSchema(clock);
  const problems = events.flatMap((event, i) => {
    const checked = validateValue(schema, event);
    return checked.ok ? [] : checked.issues.map((issue) => `event ${i + 1} (${event.type}): ${issue.field}: ${issue.rule}`);
  });
  if (problems.length > 0) throw new InputFileError('seed', problems);

  const deps = directoryApplyDeps(client, tables, clock);
  for (let i = 0; i < events.length; i += CONCURRENCY) {
    await Promise.all(events.slice(i, i + CONCURRENCY).map((event) => applyDirectoryEvent(event, deps)));
  }
  const suppressions = seedSuppressionItems(seed, now.toISOString());
  await batchWriteAll(client, tables.suppressions, suppressions.map((Item) => ({ PutRequest: { Item } })));
  return { registries: seed.registries.length, customers: seed.customers.length, suppressions: suppressions.length, events: events.length };
}
