// The SES emulator's process: aws-ses-v2-local, plus what real SES knows about each email
// and aws-ses-v2-local drops. Run by Node itself (type stripping), so only node: imports.
//
// Hand-written because the package has no hook for it: its v2 SendEmail handler ignores
// `ConfigurationSetName` and `EmailTags`, which the local stack needs to publish SES events
// through a configuration set's event destination. We wrap that handler (which the server
// registers when it starts) and the store's `saveEmail` (which the handler calls through
// the store module's exports) so each stored email also carries them; and, with
// `--journal <file>`, we append each email to a file before SES answers and read the file
// back on start, so a restarted emulator still knows what it took before it was killed,
// as real SES would.
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';

interface SendEmailBody {
  ConfigurationSetName?: unknown;
  EmailTags?: unknown;
}
type Handler = (req: { body?: SendEmailBody }, res: unknown, next: unknown) => unknown;
interface StoredEmail {
  messageId: string;
  [field: string]: unknown;
}
interface Store {
  saveEmail(email: StoredEmail): void;
  clearStore(): void;
  getStoreReadonly(): { emails: StoredEmail[] };
}

const { values } = parseArgs({ options: { host: { type: 'string' }, port: { type: 'string' }, journal: { type: 'string' } } });
const journal = values.journal;
const require = createRequire(import.meta.url);
const store = require('aws-ses-v2-local/dist/store') as Store;
const sendEmailV2 = require('aws-ses-v2-local/dist/v2/sendEmail') as { default: Handler };

/** What the current SendEmail request said beyond what aws-ses-v2-local keeps. */
const request = new AsyncLocalStorage<{ configurationSetName?: string; tags: Record<string, string> }>();

const handleSendEmail = sendEmailV2.default;
sendEmailV2.default = (req, res, next) => {
  const body = req.body ?? {};
  const tags = Array.isArray(body.EmailTags)
    ? Object.fromEntries(
        body.EmailTags.filter((t): t is { Name: string; Value: string } => typeof t?.Name === 'string' && typeof t?.Value === 'string').map(
          (t) => [t.Name, t.Value],
        ),
      )
    : {};
  const configurationSetName = typeof body.ConfigurationSetName === 'string' ? body.ConfigurationSetName : undefined;
  return request.run({ configurationSetName, tags }, () => handleSendEmail(req, res, next));
};

const saveEmail = store.saveEmail;
store.saveEmail = (email) => {
  const saved = { ...email, ...request.getStore() };
  if (journal) appendFileSync(journal, `${JSON.stringify(saved)}\n`);
  saveEmail(saved);
};

const clearStore = store.clearStore;
store.clearStore = () => {
  clearStore();
  if (journal) writeFileSync(journal, '');
};

if (journal && existsSync(journal)) {
  // Straight into the store: saveEmail would also hand them to SMTP a second time.
  const emails = store.getStoreReadonly().emails;
  for (const line of readFileSync(journal, 'utf8').split('\n')) {
    if (line.trim() !== '') emails.push(JSON.parse(line) as StoredEmail);
  }
}

const server = (require('aws-ses-v2-local') as { default: (config: { host?: string; port?: number }) => Promise<Server> }).default;
const listening = await server({ host: values.host, port: values.port === undefined ? undefined : Number(values.port) });
// Node closes a keep-alive connection idle for 5 s; SES's endpoint keeps one far longer. A
// client that reuses a connection just as the server closes it gets a reset after its request
// was written, which a sender must call "outcome unknown" (UNCERTAIN). Under load, the campaign
// bench saw 1-5 apologies in 2,000 come back UNCERTAIN (OUTCOME_UNKNOWN) that the emulator never
// stored; kept open as SES keeps them, the race is the client's alone.
listening.keepAliveTimeout = 120_000;
listening.headersTimeout = 121_000;
console.log(`aws-ses-v2-local: server running at http://${values.host}:${values.port}${journal ? ` (journal ${journal})` : ''}`);
