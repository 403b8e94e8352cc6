import { defineCommand } from '../framework/define-command';
import { readSeedFile } from '../seed/seed-file';
import { writeSeed } from '../seed/write-seed';
import { requireOutput, resolveTarget } from '../stack-target';

/**
 * `seed <file>`: validates a seed file (docs/seed-format.md) and writes it into the
 * registries, customers and suppressions tables of the target stack (a dev tool: it writes
 * the tables directly).
 */
export const seedCommand = defineCommand({
  name: 'seed',
  summary: 'write a seed file (docs/seed-format.md) into the registries, customers and suppressions tables',
  args: [{ name: 'file', description: 'the seed file (JSON)' }],
  target: 'stack',
  examples: ['npx tsx cli/main.ts seed local/demo/seed.json'],
  run: async ({ args, target: where, io }) => {
    const seed = readSeedFile(args.file);
    const target = resolveTarget(where);
    try {
      const counts = await writeSeed(
        target.documentClient,
        {
          registries: requireOutput(target, 'RegistriesTableName'),
          customers: requireOutput(target, 'CustomersTableName'),
          suppressions: requireOutput(target, 'SuppressionsTableName'),
        },
        seed,
      );
      io.print(
        `Seeded the ${target.description}: ${seed.registries.length} registries (${counts.registries} items with their gifts), ` +
          `${counts.customers} customers, ${counts.suppressions} suppressions.`,
      );
    } finally {
      target.destroy();
    }
  },
});
