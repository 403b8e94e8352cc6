import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '@registry-notices/local-stack';
import { main } from '../../cli/main';
import { startConsole } from '../../cli/console/start-console';
import type { RunningConsole } from '../../cli/console/console-server';
import { createAwsClients, type AwsClients } from '../support/aws-clients';
import { startBundledStack } from '../support/bundled-stack';
import { OPERATOR_STACK_CONTEXT } from '../support/operator-endpoint';
import { writeTestStackState } from '../support/local-stack-state';
import { Mailbox } from '../support/mailbox';
import { createAuditWorld, sendLogLine, tablesFromOutputs, type AuditWorld } from './audit/audit-world';
import { testTempDir } from '../support/temp-dir';

/** Debian's Chromium (`.ci/run` installs it when missing); CHROMIUM names another. */
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** With CONSOLE_SCREENSHOTS=1 the test writes the pictures docs/console.md shows; `npm test` leaves the tree alone. */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS === '1' ? path.join(import.meta.dirname, '../../docs/console') : undefined;
/** Wrongly notified people in the send log: a few seconds of sending at the allowed rate, so the chart has readings. */
const WRONGLY_NOTIFIED = 12;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The operator console in a real browser (Chromium through playwright-core) against the local
 * stack, as two people: alice declares and runs the dry run, sees the apology as it will be sent
 * in English and German and is refused the approval; bob, in his own console with his own keys,
 * approves; the run's chart fills until the campaign completes; a recipient's story shows their
 * apology. Each form's bad input shows the endpoint's message; axe-core finds nothing serious
 * or critical on any page; no page breaks its own Content-Security-Policy.
 */
describe('the operator console in Chromium', () => {
  let local: LocalStack;
  let clients: AwsClients;
  let world: AuditWorld;
  let browser: Browser;
  let alice: { console: RunningConsole; context: BrowserContext; page: Page };
  let bob: { console: RunningConsole; context: BrowserContext; page: Page };
  const problems: string[] = [];
  /** The functions' error lines, shown when a test fails (a 500 from the endpoint says only its request id). */
  const functionErrors: string[] = [];
  const incidentId = `inc-console-${Date.now().toString(36)}`;
  const as = (name: string) => ({ ...process.env, AWS_ACCESS_KEY_ID: name, AWS_SECRET_ACCESS_KEY: name });

  async function open(who: string, stateFile: string) {
    const running = await startConsole({ stateFile }, as(who));
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    // A CSP refusal or a script error is a bug of the pages, whatever the assertions say.
    page.on('console', (message) => {
      // An HTTP status is an answer the pages show: refusals (4xx) at once, failures (5xx: an emulator slow on a loaded box) after retrying; a CSP refusal or a script error is not.
      if (message.type() === 'error' && !/the server responded with a status of [45]\d\d/.test(message.text())) problems.push(`${who}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${who}: ${error.message}`));
    await page.goto(running.url);
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
    return { console: running, context, page };
  }

  beforeAll(async () => {
    // Prepare: the bundled app; threshold 1 makes the campaign need a second person; the whole SES rate for a quick run.
    // Both settled before either failure is thrown: a browser that will not start must not leave the
    // shared synth half done (the other files take it over, test/support/once-per-run.ts) nor a stack running.
    const [started, launched] = await Promise.allSettled([
      startBundledStack({
        prefix: 'cons',
        context: OPERATOR_STACK_CONTEXT,
        functionLog: (fn, line) => {
          if (/"level":"(ERROR|CRITICAL)"|Error:/.test(line)) functionErrors.push(`${fn}: ${line}`);
        },
      }),
      chromium.launch({ executablePath: CHROMIUM }),
    ]);
    if (started.status === 'fulfilled') ({ local } = started.value);
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const settled of [launched, started]) if (settled.status === 'rejected') throw settled.reason;
    const stateFile = writeTestStackState(local.outputs.values, local.stack.stackName);
    clients = createAwsClients();
    world = await createAuditWorld(clients, {}, tablesFromOutputs(local.outputs.values));
    await world.putRegistry('reg-ann', 'cus-ann');
    await world.putCustomer('cus-ann', 'ann');
    // The send log of the incident: one right notice (to the owner), the rest to people who are not.
    const logFile = path.join(testTempDir('send-log-'), 'legacy.jsonl');
    const wrong = Array.from({ length: WRONGLY_NOTIFIED }, (_, i) =>
      sendLogLine({ sourceNoticeId: `n-${i}`, recipientAddress: world.address(`p${i}`), registryId: 'reg-ann', purchaseId: `p-${i}` }),
    );
    writeFileSync(logFile, [sendLogLine({ sourceNoticeId: 'n-ann', recipientAddress: world.address('ann'), registryId: 'reg-ann', purchaseId: 'p-ann' }), ...wrong].join('\n'));
    const errors: string[] = [];
    expect(await main(['import', logFile, '--state', stateFile], () => undefined, { error: (l) => errors.push(l), env: as('alice') }), errors.join('\n')).toBe(0);
    alice = await open('alice', stateFile);
    bob = await open('bob', stateFile);
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([alice?.console.close(), bob?.console.close()]);
    await local?.stop();
    clients?.destroy();
  });

  // What each person's page showed when a test failed: the endpoint's message is usually there.
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    console.error(`function errors:\n${functionErrors.join('\n')}`);
    for (const [who, p] of [['alice', alice], ['bob', bob]] as const) {
      console.error(`${who}'s page at ${p?.page.url()}:\n${await p?.page.locator('main').innerText().catch(() => '(none)')}`);
    }
  });

  /** axe-core's serious and critical findings on what the page shows now (WCAG 2.x A and AA), each with where. */
  async function accessibilityProblems(page: Page): Promise<string[]> {
    // Evaluated through the DevTools protocol, which the page's CSP does not govern: the pages themselves run no inline script.
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      // In the page (the test's tsconfig has no DOM types): axe-core's one call, typed by hand.
      type Axe = { run(context: unknown, options: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> };
      const { axe, document } = globalThis as unknown as { axe: Axe; document: unknown };
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, where: v.nodes.map((n) => JSON.stringify(n.target)).join(' ') }));
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) at ${v.where}`);
  }

  /** What the window shows, from the element `from` at its top (a full-page picture leaves the sandboxed frames blank). */
  async function screenshot(page: Page, name: string, from?: string): Promise<void> {
    if (!SCREENSHOTS) return;
    if (from) await page.locator(from).evaluate((element) => (element as unknown as { scrollIntoView(): void }).scrollIntoView());
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  }

  async function go(page: Page, hash: string, heading: string | RegExp): Promise<void> {
    await page.evaluate((h) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = h;
    }, hash);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }

  it('declares, dry-runs with the apology in en and de, is refused the approval, approved by a second person, runs and tells a story', async () => {
    const { page } = alice;
    const mailbox = new Mailbox();
    const a11y: Record<string, string[]> = {};

    // Act: declare
    a11y.incidents = await accessibilityProblems(page);
    await go(page, '#/declare', 'Declare an incident');
    a11y.declare = await accessibilityProblems(page);
    await page.getByLabel('What happened (description)').fill('legacy CRM blast, seen in the console');
    await page.getByLabel('Source').fill('legacy-crm');
    await page.getByLabel('Incident id').fill(incidentId);
    await page.getByRole('button', { name: 'Declare the incident' }).click();
    await page.getByRole('link', { name: 'Go to its dry run' }).click();
    await page.getByRole('heading', { level: 1, name: `Incident ${incidentId}` }).waitFor();

    // Act: the dry run, and the apology as it will be sent
    await page.getByRole('button', { name: /Run the dry run/ }).click();
    await page.getByText(`would apologise to ${WRONGLY_NOTIFIED} address(es)`).waitFor({ timeout: 150_000 });
    const english = page.frameLocator('iframe[title="The apology in English as it will be sent"]');
    const german = page.frameLocator('iframe[title="The apology in Deutsch as it will be sent"]');
    await english.locator('body').waitFor();
    await german.locator('body').waitFor();
    const englishSection = page.getByRole('region', { name: 'English (en)' });
    const germanSection = page.getByRole('region', { name: 'Deutsch (de)' });
    await englishSection.locator('dd.subject').waitFor();
    await germanSection.locator('dd.subject').waitFor();
    const previews = {
      en: { subject: await englishSection.locator('dd.subject').textContent(), headers: await englishSection.locator('dl.headers').textContent(), body: await english.locator('body').textContent() },
      de: { subject: await germanSection.locator('dd.subject').textContent(), headers: await germanSection.locator('dl.headers').textContent(), body: await german.locator('body').textContent() },
    };
    await screenshot(page, 'dry-run', '#preview-heading');

    // Act: alice may not approve her own incident's campaign
    await page.getByRole('button', { name: 'Approve this plan' }).click();
    const refusal = page.locator('#approval-outcome [role="alert"]');
    await refusal.waitFor();
    const refusedWith = await refusal.textContent();
    await screenshot(page, 'approval-refused', '#approval-heading');
    a11y.incident = await accessibilityProblems(page);

    // Act: bob approves from his own console
    await go(bob.page, `#/incident/${incidentId}`, `Incident ${incidentId}`);
    await bob.page.getByRole('button', { name: 'Approve this plan' }).click();
    const approved = bob.page.locator('#approval-outcome .ok');
    await approved.waitFor();
    const approvedWith = await approved.textContent();

    // Act: the run, watched on alice's page
    await go(page, '#/incidents', 'Incidents');
    await go(page, `#/incident/${incidentId}`, `Incident ${incidentId}`);
    await page.getByRole('button', { name: 'Start sending' }).click();
    await page.getByText(/^Run complete:/).waitFor({ timeout: 150_000 });
    const chartPoints = await page.locator('svg.chart circle.rate-point').count();
    const chartDescription = await page.locator('svg.chart desc').textContent();
    const settled = await page.locator('#settled').textContent();
    await screenshot(page, 'run', '#run-heading');
    a11y.run = await accessibilityProblems(page);

    // Act: the kill switch from the run page, on and off again, with a reason for the record
    await page.getByLabel('Why (optional, recorded)').fill('checking the switch');
    await page.getByRole('button', { name: 'Pause sending' }).click();
    await page.getByRole('button', { name: 'Resume sending' }).waitFor();
    const whilePaused = await page.locator('#sending-state').textContent();
    await page.getByRole('button', { name: 'Resume sending' }).click();
    await page.getByRole('button', { name: 'Pause sending' }).waitFor();
    const resumed = await page.locator('#sending-state').textContent();

    // Act: one recipient's story
    await go(page, '#/story', "A notice's story");
    await page.getByLabel('Event id, notice id or address').fill(world.address('p7'));
    await page.getByRole('button', { name: 'Show the story' }).click();
    await page.getByText('1 notice(s) found.').waitFor();
    const story = await page.locator('#stories').textContent();
    await screenshot(page, 'story');
    a11y.story = await accessibilityProblems(page);
    // alice may reveal (OPERATOR_STACK_CONTEXT lists her): she ticks the box and says why.
    await page.getByLabel('Show addresses in the clear').check();
    await page.getByLabel('Why you need the addresses in the clear (reason)').fill('the recipient asked which address we mailed');
    await page.getByRole('button', { name: 'Show the story' }).click();
    await page.getByText('1 notice(s) found.').waitFor();
    const revealed = await page.locator('#stories').textContent();
    await go(page, '#/incidents', 'Incidents');
    const incidents = await page.locator('main table').textContent();
    await screenshot(page, 'incidents');
    await go(page, '#/doubt', 'Sends in doubt');
    await page.locator('main').getByText(/Nothing in doubt|in doubt for/).first().waitFor();
    a11y.doubt = await accessibilityProblems(page);
    await go(page, '#/dead-letters', 'Dead letters');
    a11y.deadLetters = await accessibilityProblems(page);

    // Assess
    expect(previews.en.subject).toBeTruthy();
    expect(previews.de.subject).toBeTruthy();
    expect(previews.de.subject).not.toBe(previews.en.subject);
    for (const { headers } of Object.values(previews)) {
      expect(headers).toContain('List-Unsubscribe');
      expect(headers).toContain('List-Unsubscribe-Post');
      expect(headers).toContain('List-Unsubscribe=One-Click');
    }
    expect(previews.en.body).toMatch(/sorry/i);
    expect(previews.de.body).toMatch(/Entschuldigung|entschuldigen/i);
    expect(refusedWith).toContain('needs a second person');
    expect(approvedWith).toContain(`Approved: ${WRONGLY_NOTIFIED} apologies, by arn:aws:iam::000000000000:user/bob`);
    expect(settled).toBe(`${WRONGLY_NOTIFIED} of ${WRONGLY_NOTIFIED}`);
    expect(chartPoints).toBeGreaterThanOrEqual(2);
    expect(chartDescription).toMatch(/readings over/);
    expect(whilePaused).toMatch(/^Sending is PAUSED.* Last paused by arn:aws:iam::000000000000:user\/alice at .* \(checking the switch\)\.$/);
    expect(resumed).toMatch(/^Sending is on\. Last resumed by arn:aws:iam::000000000000:user\/alice at /);
    expect(story).toMatch(/apology\s*SENT/);
    expect(story).not.toContain(world.address('p7'));
    expect(revealed).toContain(world.address('p7'));
    expect(incidents).toContain(incidentId);
    expect(incidents).toContain('COMPLETE');
    expect(await mailbox.to(world.address('p7'))).toHaveLength(1);
    expect(await mailbox.to(world.address('ann'))).toHaveLength(0);
    expect(a11y).toEqual({ incidents: [], declare: [], incident: [], run: [], story: [], doubt: [], deadLetters: [] });
    expect(problems).toEqual([]);
  }, 330_000);

  it("shows each form's bad input with the endpoint's message, naming the field", async () => {
    const { page } = bob;
    const messageOf = async (): Promise<string | null> => {
      const alert = page.locator('main [role="alert"]').last();
      await alert.waitFor();
      return alert.textContent();
    };

    // Act
    await go(page, '#/declare', 'Declare an incident');
    await page.getByLabel('What happened (description)').fill('a window with one end');
    await page.getByLabel('Window start (from)').fill('2025-03-01T00:00:00Z');
    await page.getByRole('button', { name: 'Declare the incident' }).click();
    const declare = await messageOf();
    await go(page, '#/story', "A notice's story");
    await page.getByLabel('Event id, notice id or address').fill('not an id nor an address!');
    await page.getByRole('button', { name: 'Show the story' }).click();
    const story = await messageOf();
    await page.getByLabel('Event id, notice id or address').fill(world.address('p7'));
    await page.getByLabel('Show addresses in the clear').check();
    await page.getByRole('button', { name: 'Show the story' }).click();
    const revealWithoutReason = await messageOf();
    await page.getByLabel('Why you need the addresses in the clear (reason)').fill('just looking');
    await page.getByRole('button', { name: 'Show the story' }).click();
    await page.getByText('REVEAL_NOT_PERMITTED').waitFor();
    const revealByBob = await page.locator('#stories').textContent();
    await go(page, '#/dead-letters', 'Dead letters');
    await page.getByLabel('At most (max)').fill('0');
    await page.getByRole('button', { name: 'Redrive' }).click();
    const redrive = await messageOf();
    await go(page, `#/incident/${incidentId}`, `Incident ${incidentId}`);
    await page.getByRole('button', { name: 'Pause sending' }).waitFor();
    await page.getByLabel('Why (optional, recorded)').fill('x'.repeat(501));
    await page.getByRole('button', { name: 'Pause sending' }).click();
    const pauseReason = await messageOf();
    const stillOn = await page.locator('#sending-state').textContent();

    // Assess
    expect(declare).toContain('window: give both');
    expect(story).toContain('is not an event id, a notice id (evt#…, imp#…) or an address');
    expect(revealWithoutReason).toContain('reason: is required to show addresses in the clear');
    // bob may call the endpoint, not reveal: the refusal names the rule and the setting, and shows no address.
    expect(revealByBob).toMatch(/NOT_A_REVEALER.*operatorRevealerRoles \(user\/alice\)/);
    expect(revealByBob).not.toContain(world.address('p7'));
    expect(redrive).toMatch(/max: must be/);
    expect(pauseReason).toContain('reason: must be at most 500 characters');
    expect(stillOn).toMatch(/^Sending is on\./);
    expect(problems).toEqual([]);
  }, 60_000);
});
