import { provisionNotifyStack } from './notify-stack';

/** Physical names of the tables the directory function writes, in this run's emulators. */
export interface DirectoryTables {
  readonly registriesTable: string;
  readonly customersTable: string;
  readonly suppressionsTable: string;
  readonly ledgerTable: string;
  readonly historyTable: string;
  readonly auditTable: string;
}

/**
 * The synthesized stack's tables (and queues), provisioned under `namePrefix`, with the names
 * the directory function works on.
 */
export async function provisionDirectoryTables(namePrefix: string): Promise<DirectoryTables> {
  const { stack, names } = await provisionNotifyStack(namePrefix);
  const table = (logicalIdStart: string): string => {
    const found = [...stack.resources.values()].find((r) => r.type === 'AWS::DynamoDB::Table' && r.logicalId.startsWith(logicalIdStart));
    if (!found) throw new Error(`the template has no table ${logicalIdStart}…`);
    return found.outputs.ref;
  };
  return {
    registriesTable: names.registriesTable,
    customersTable: names.customersTable,
    suppressionsTable: names.suppressionsTable,
    ledgerTable: names.ledgerTable,
    historyTable: table('DataTablesDirectoryHistoryTable'),
    auditTable: table('AuditApologyAuditTable'),
  };
}
