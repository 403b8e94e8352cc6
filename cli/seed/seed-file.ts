import { z } from 'zod';
import { InputFileError } from '../errors';
import { parseInput, readJsonInput } from '../input-file';

const id = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, '1–128 characters of A-Z a-z 0-9 . _ : -');

const item = z.strictObject({ itemId: id, title: z.string().min(1).max(200) });

const registry = z.strictObject({
  registryId: id,
  ownerCustomerId: id,
  title: z.string().min(1).max(200),
  status: z.enum(['ACTIVE', 'CLOSED', 'SUSPENDED']).default('ACTIVE'),
  /** false = surprise mode: the owner does not want to hear about purchases. */
  purchaseNotifications: z.boolean().default(true),
  items: z.array(item).default([]),
});

const customer = z.strictObject({
  customerId: id,
  email: z.email(),
  locale: z.string().min(2).max(16).default('en'),
  firstName: z.string().min(1).max(80).optional(),
  notificationsOptOut: z.boolean().default(false),
});

const suppression = z.strictObject({
  email: z.email(),
  reason: z.enum(['BOUNCE', 'COMPLAINT', 'UNSUBSCRIBED', 'MANUAL']),
});

/** The seed format (docs/seed-format.md): customers, registries with their items, suppressions. */
export const SeedFileSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  /** When the seeded facts became true in the shop (their `effectiveAt`); default: when seeded. */
  effectiveAt: z.iso.datetime({ offset: true }).optional(),
  customers: z.array(customer).default([]),
  registries: z.array(registry).default([]),
  suppressions: z.array(suppression).default([]),
});

/** A parsed, validated seed file (defaults applied). */
export type SeedData = z.infer<typeof SeedFileSchema>;

/**
 * Reads and validates a seed file; every problem is reported at once, with its JSON path.
 * Cross-checks too: duplicate ids, and a registry whose owner is not among the customers
 * (allowed, as in the incident, but only on purpose: set `"ownerCustomerId"` to a customer).
 *
 * @example
 * const seed = readSeedFile('cli/demo/seed.json');
 * seed.registries.length // 6
 */
export function readSeedFile(file: string): SeedData {
  return crossChecked(readJsonInput(file, SeedFileSchema), file);
}

/**
 * Validates seed data already in memory (see {@link readSeedFile}).
 *
 * @example
 * parseSeed({ customers: [{ customerId: 'c-1', email: 'ann@example.com' }] }, 'inline').customers[0].locale // 'en'
 */
export function parseSeed(json: unknown, source: string): SeedData {
  return crossChecked(parseInput(json, SeedFileSchema, source), source);
}

function crossChecked(seed: SeedData, source: string): SeedData {
  const problems = [
    ...duplicates(seed.customers.map((c) => c.customerId), 'customerId'),
    ...duplicates(seed.registries.map((r) => r.registryId), 'registryId'),
    ...seed.registries.flatMap((r) => duplicates(r.items.map((i) => i.itemId), `itemId in ${r.registryId}`)),
  ];
  if (problems.length > 0) throw new InputFileError(source, problems);
  return seed;
}

function duplicates(values: readonly string[], what: string): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) (seen.has(value) ? repeated : seen).add(value);
  return [...repeated].map((value) => `${what} "${value}" appears more than once`);
}
