import { readSeedFile } from '../seed/seed-file';
import { writeSeed } from '../seed/write-seed';
import { requireOutput, type StackTarget } from '../stack-target';

/**
 * `seed <file>`: validates a seed file (docs/seed-format.md) and writes it into the
 * registries, customers and suppressions tables of the target stack.
 *
 * @example
 * await seedCommand(target, 'local/demo/seed.json', console.log);
 */
export async function seedCommand(target: StackTarget, file: string, print: (line: string) => void): Promise<void> {
  const seed = readSeedFile(file);
  const counts = await writeSeed(
    target.documentClient,
    {
      registries: requireOutput(target, 'RegistriesTableName'),
      customers: requireOutput(target, 'CustomersTableName'),
      suppressions: requireOutput(target, 'SuppressionsTableName'),
    },
    seed,
  );
  print(
    `Seeded the ${target.description}: ${seed.registries.length} registries (${counts.registries} items with their gifts), ` +
      `${counts.customers} customers, ${counts.suppressions} suppressions.`,
  );
}
