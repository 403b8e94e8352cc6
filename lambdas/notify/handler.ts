// Placeholder so the stack synthesizes while the notify function is written.
export const handler = async (): Promise<{ batchItemFailures: [] }> => ({ batchItemFailures: [] });
