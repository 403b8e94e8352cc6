import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main';
import { readSeedFile } from '../../../cli/seed/seed-file';
import { writeSeed } from '../../../cli/seed/write-seed';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { startInProcessOperatorEndpoint, type InProcessOperatorEndpoint } from '../../support/operator-endpoint';
import { createAuditWorld, type AuditWorld } from './audit-world';

/**
 * The documented walk-through (docs/audit-and-apology.md, "Try it"): the demo seed plus
 * docs/examples/legacy-send-log.jsonl give exactly the counts the doc promises, through the
 * CLI and the operator endpoint.
 */
describe('the example send log against the demo seed', () => {
  let clients: AwsClients;
  let world: AuditWorld;
  let endpoint: InProcessOperatorEndpoint;
  const lines: string[] = [];

  beforeAll(async () => {
    clients = createAwsClients();
    world = await createAuditWorld(clients);
    await writeSeed(
      clients.documentClient,
      world.tables,
      readSeedFile('cli/demo/seed.json'),
    );
    endpoint = await startInProcessOperatorEndpoint(clients, world.env);
  });
  afterAll(async () => {
    await endpoint.stop();
    clients.destroy();
  });

  it('imports 9 of 11 lines and plans 5 apologies', async () => {
    // Prepare
    const run = async (...argv: string[]) => expect(await main([...argv, '--state', endpoint.stateFile], (l) => lines.push(l), { error: (l) => lines.push(l) })).toBe(0);

    // Act
    await run('import', 'docs/examples/legacy-send-log.jsonl');
    await run('incident', 'declare', '--id', 'inc-example', '--source', 'legacy-crm', '--description', 'legacy CRM blast');
    await run('campaign', 'dry-run', 'inc-example');

    // Assess
    const out = lines.join('\n');
    expect(out).toContain('11 lines, 9 accepted, 0 already imported, 2 refused');
    expect(out).toContain('line 10: sentAt must be an RFC 3339 date-time with a time zone');
    expect(out).toContain('line 11: campaign is not a field of send log v1');
    expect(out).toContain('wrong notices by reason: NOT_A_PARTICIPANT 3, NOT_THE_OWNER 3, DUPLICATE 1, REGISTRY_CLOSED 1');
    expect(out).toContain('would apologise to 5 address(es): NOT_A_PARTICIPANT 3, NOT_THE_OWNER 1, REGISTRY_CLOSED 1');
    expect(out).toContain('would not write to: OPTED_OUT 1, RIGHTLY_NOTIFIED 1, SUPPRESSED 1');
  });
});
