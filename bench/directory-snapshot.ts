// Writes a directory snapshot (JSON Lines of directory events v1) of generated customers and
// registries, for measuring a backfill. See docs/directory-events.md, "Backfill".
//   npx tsx bench/directory-snapshot.ts --customers 1000000 [--registries 0] [--out snapshot.jsonl]
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    registries: { type: 'string', default: '0' },
    out: { type: 'string' },
    effectiveAt: { type: 'string', default: '2026-01-01T00:00:00.000Z' },
  },
});
const customers = Number(values.customers);
const registries = Number(values.registries);
const out = values.out ? createWriteStream(values.out) : process.stdout;

const line = (i: number): string => {
  const id = `c-${String(i).padStart(7, '0')}`;
  return JSON.stringify({
    schemaVersion: 1,
    type: 'customer.upserted',
    eventId: `snap:${id}`,
    version: 1,
    effectiveAt: values.effectiveAt,
    customerId: id,
    email: `customer.${i}@snapshot.example`,
    locale: i % 3 === 0 ? 'de' : 'en',
    ...(i % 2 === 0 ? { firstName: `Name${i}` } : {}),
    notificationsOptOut: i % 10 === 0,
  });
};
const registry = (i: number): string =>
  JSON.stringify({
    schemaVersion: 1,
    type: 'registry.upserted',
    eventId: `snap:r-${i}`,
    version: 1,
    effectiveAt: values.effectiveAt,
    registryId: `r-${String(i).padStart(7, '0')}`,
    ownerCustomerId: `c-${String(i % Math.max(customers, 1)).padStart(7, '0')}`,
    status: 'ACTIVE',
    title: `Registry ${i}`,
    purchaseNotifications: true,
  });

for (let i = 0; i < customers + registries; i += 1) {
  // Respect backpressure: a million lines never sit in memory.
  if (!out.write(`${i < customers ? line(i) : registry(i - customers)}\n`)) await once(out, 'drain');
}
if (out !== process.stdout) out.end();
