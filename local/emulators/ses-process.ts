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
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
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
// SES's account-level suppression list, which aws-ses-v2-local does not serve (any path of it
// answers an HTML 404 the SDK cannot read). Kept in memory like the rest of the store, in SES v2's
// REST shape: PUT adds, GET one reads, DELETE removes, and an address not on it is a
// NotFoundException, as on SES. Served ahead of the package's own routes.
const suppressed = new Map<string, { EmailAddress: string; Reason: string; LastUpdateTime: number }>();
const SUPPRESSION = /^\/v2\/email\/suppression\/addresses(?:\/([^/?]+))?(?:\?.*)?$/;
const answer = (res: ServerResponse, status: number, body: unknown, errorType?: string): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
  res.end(JSON.stringify(body));
};
const packageRoutes = listening.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
listening.removeAllListeners('request');
// `GET /store/page?offset=&limit=`: the stored emails in pages (at most 10,000), with the
// total. The package's `/store` answers every email in one JSON text, which past about
// 50,000 emails nears V8's longest string.
const STORE_PAGE = /^\/store\/page(?:\?(.*))?$/;
listening.on('request', (req: IncomingMessage, res: ServerResponse) => {
  const page = STORE_PAGE.exec(req.url ?? '');
  if (page && req.method === 'GET') {
    const query = new URLSearchParams(page[1] ?? '');
    const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
    const limit = Math.min(10_000, Math.max(1, Number(query.get('limit') ?? 1000) || 1000));
    const emails = store.getStoreReadonly().emails;
    answer(res, 200, { total: emails.length, emails: emails.slice(offset, offset + limit) });
    return;
  }
  const match = SUPPRESSION.exec(req.url ?? '');
  if (!match) {
    for (const route of packageRoutes) route(req, res);
    return;
  }
  const one = match[1] === undefined ? undefined : decodeURIComponent(match[1]).toLowerCase();
  if (req.method === 'PUT' && one === undefined) {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => {
      const { EmailAddress, Reason } = JSON.parse(body || '{}') as { EmailAddress?: unknown; Reason?: unknown };
      if (typeof EmailAddress !== 'string' || (Reason !== 'BOUNCE' && Reason !== 'COMPLAINT')) {
        answer(res, 400, { message: 'EmailAddress and Reason (BOUNCE or COMPLAINT) are required' }, 'BadRequestException');
        return;
      }
      suppressed.set(EmailAddress.toLowerCase(), { EmailAddress, Reason, LastUpdateTime: Date.now() / 1000 });
      answer(res, 200, {});
    });
    return;
  }
  const entry = one === undefined ? undefined : suppressed.get(one);
  if (one !== undefined && (req.method === 'GET' || req.method === 'DELETE') && !entry) {
    answer(res, 404, { message: 'Email address is not on the suppression list' }, 'NotFoundException');
  } else if (req.method === 'GET' && entry) {
    answer(res, 200, { SuppressedDestination: entry });
  } else if (req.method === 'DELETE' && one !== undefined) {
    suppressed.delete(one);
    answer(res, 200, {});
  } else {
    answer(res, 400, { message: `${req.method} of the suppression list is not served locally` }, 'BadRequestException');
  }
});
listening.keepAliveTimeout = 120_000;
listening.headersTimeout = 121_000;
console.log(`aws-ses-v2-local: server running at http://${values.host}:${values.port}${journal ? ` (journal ${journal})` : ''}`);
