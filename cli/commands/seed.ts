import { defineCommand } from '../framework/define-command';
import { readSeedFile } from '../seed/seed-file';
import { seedTablesOf, writeSeed } from '../seed/write-seed';
import { requireOutput, resolveTarget } from '../stack-target';
import { useStackAddressHashKey } from '../address-hash-key';

/**
 * `seed <file>`: validates a seed file (docs/seed-format.md) and applies it to the target stack
 * as the directory events it stands for, with the directory function's own apply code (history
 * and current state), plus suppressions (a dev tool: it writes the tables directly).
 */
export const seedCommand = defineCommand({
  name: 'seed',
  summary: 'apply a seed file (docs/seed-format.md) as directory events, and its suppressions',
  args: [{ name: 'file', description: 'the seed file (JSON)' }],
  target: 'stack',
  examples: ['npx tsx cli/main.ts seed cli/demo/seed.json'],
  run: async ({ args, target: where, io }) => {
    const seed = readSeedFile(args.file);
    const target = resolveTarget(where);
    try {
      await useStackAddressHashKey(target.kms, target);
      const counts = await writeSeed(target.documentClient, seedTablesOf((key) => requireOutput(target, key)), seed);
      io.print(
        `Seeded the ${target.description}: ${counts.registries} registries with their gifts, ${counts.customers} customers ` +
          `(${counts.events} directory events applied), ${counts.suppressions} suppressions.`,
      );
    } finally {
      target.destroy();
    }
  },
});
