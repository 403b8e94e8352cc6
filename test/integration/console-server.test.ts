import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleAssets } from '../../cli/console/console-assets';
import { SESSION_COOKIE, startConsoleServer, type RunningConsole } from '../../cli/console/console-server';
import { OperatorRefusedError, type OperatorEndpoint } from '../../cli/operator/operator-endpoint';

/** A raw HTTP request to the console: any Host, Origin and cookie, as an attacker's page or a rebinding DNS would send them. */
function raw(port: number, options: { path?: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: options.path ?? '/', method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * The console's server refuses what a local server holding credentials must refuse: a request
 * without this start's token, with another Host (DNS rebinding), from another Origin; it binds to
 * 127.0.0.1 only, serves a CSP without inline script, and forwards only what it was sent by its
 * own page. The endpoint here records what reaches it (a refused request must reach nothing);
 * the browser test drives the real signed endpoint.
 */
describe('the console server', () => {
  const forwarded: { command: string; args: unknown }[] = [];
  const endpoint: OperatorEndpoint = {
    description: 'test stack',
    url: 'http://127.0.0.1:9/',
    call: async (command, args) => {
      forwarded.push({ command, args });
      if (command === 'campaign approve') throw new OperatorRefusedError(403, 'SAME_PRINCIPAL', 'it needs a second person');
      return [] as never;
    },
  };
  let running: RunningConsole;
  let host: string;
  let cookie: string;
  const token = 'a-token-for-this-start';

  beforeAll(async () => {
    running = await startConsoleServer({ endpoint, identity: 'arn:aws:iam::000000000000:user/alice', assets: await buildConsoleAssets(), token });
    host = `127.0.0.1:${running.port}`;
    cookie = `${SESSION_COOKIE}=${token}`;
  });

  afterAll(async () => {
    await running?.close();
  });

  const post = (headers: Record<string, string>, body = '{"command":"incident list","args":{}}') =>
    raw(running.port, { method: 'POST', path: '/api/operator', headers: { 'content-type': 'application/json', ...headers }, body });

  it('prints its address with the token once; the token becomes an HttpOnly, SameSite=Strict cookie and leaves the address bar', async () => {
    // Act
    const opened = await raw(running.port, { path: `/?token=${token}`, headers: { host } });
    const page = await raw(running.port, { headers: { host, cookie } });

    // Assess
    expect(running.url).toBe(`http://127.0.0.1:${running.port}/?token=${token}`);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/');
    expect(opened.headers['set-cookie']).toEqual([`${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`]);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="/app.js"></script>');
  });

  it('refuses a wrong token, and a request without the cookie, page or API', async () => {
    // Act
    const wrongToken = await raw(running.port, { path: '/?token=guessed', headers: { host } });
    const wrongCookie = await raw(running.port, { headers: { host, cookie: `${SESSION_COOKIE}=guessed` } });
    const noCookie = await post({ host, origin: `http://${host}` });
    const script = await raw(running.port, { path: '/app.js', headers: { host } });

    // Assess
    expect(wrongToken.status).toBe(403);
    expect(wrongToken.headers['set-cookie']).toBeUndefined();
    expect(wrongCookie.status).toBe(403);
    expect(noCookie.status).toBe(403);
    expect(noCookie.body).toContain('no valid session');
    expect(script.status).toBe(403);
    expect(forwarded).toEqual([]);
  });

  it('refuses another Host even with the right cookie (DNS rebinding), and the token in its URL', async () => {
    // Act
    const rebound = await raw(running.port, { headers: { host: `evil.example:${running.port}`, cookie } });
    const reboundOpen = await raw(running.port, { path: `/?token=${token}`, headers: { host: `evil.example:${running.port}` } });
    const reboundApi = await post({ host: `evil.example:${running.port}`, origin: `http://evil.example:${running.port}`, cookie });
    const otherPort = await raw(running.port, { headers: { host: '127.0.0.1:1', cookie } });

    // Assess
    expect([rebound.status, reboundOpen.status, reboundApi.status, otherPort.status]).toEqual([403, 403, 403, 403]);
    expect(rebound.body).toContain('Host');
    expect(reboundOpen.headers['set-cookie']).toBeUndefined();
    expect(forwarded).toEqual([]);
  });

  it('refuses a foreign Origin, a POST without one, a cross-site fetch and a form post; forwards its own page\'s JSON', async () => {
    // Act
    const foreign = await post({ host, cookie, origin: 'https://evil.example' });
    const sandboxed = await post({ host, cookie, origin: 'null' });
    const noOrigin = await post({ host, cookie });
    const crossSite = await post({ host, cookie, origin: `http://${host}`, 'sec-fetch-site': 'cross-site' });
    const form = await raw(running.port, { method: 'POST', path: '/api/operator', headers: { host, cookie, origin: `http://${host}`, 'content-type': 'text/plain' }, body: '{"command":"incident list"}' });
    const refusedSoFar = [...forwarded];
    const own = await post({ host, cookie, origin: `http://${host}` });
    const notForwarded = await post({ host, cookie, origin: `http://${host}` }, '{"command":"import","args":{"lines":["{}"]}}');

    // Assess
    expect([foreign.status, sandboxed.status, noOrigin.status, crossSite.status]).toEqual([403, 403, 403, 403]);
    expect(foreign.body).toContain('Origin');
    expect(form.status).toBe(415);
    expect(refusedSoFar).toEqual([]);
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body)).toEqual({ result: [] });
    expect(notForwarded.status).toBe(400);
    expect(forwarded).toEqual([{ command: 'incident list', args: {} }]);
  });

  it("answers the endpoint's refusal with its status, code and words", async () => {
    // Act
    const refused = await post({ host, cookie, origin: `http://${host}` }, '{"command":"campaign approve","args":{"incidentId":"inc-1"}}');

    // Assess
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual({ error: { code: 'SAME_PRINCIPAL', message: 'it needs a second person' } });
  });

  it('serves every page with a CSP that allows no inline script, and never the credentials', async () => {
    // Act
    const page = await raw(running.port, { headers: { host, cookie } });
    const session = await raw(running.port, { path: '/api/session', headers: { host, cookie } });

    // Assess
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.body).not.toMatch(/<script>(?!<\/script>)/);
    expect(JSON.parse(session.body)).toEqual({ target: 'test stack', identity: 'arn:aws:iam::000000000000:user/alice' });
  });

  it('listens on 127.0.0.1 only', async () => {
    // Act
    const viaLoopbackV6 = await new Promise<string>((resolve) => {
      const req = request({ host: '::1', port: running.port, path: '/' }, () => resolve('answered'));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      req.end();
    });

    // Assess
    expect(running.origin).toBe(`http://127.0.0.1:${running.port}`);
    expect(viaLoopbackV6).not.toBe('answered');
  });
});
