import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../reliability/support/server-process.js';
import type { ConsoleServer } from './console-server.js';
import { button, t } from './messages.js';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it): the suite never downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (the browser tests never download one)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The organisation's zone and language, as its people have them. */
const PEOPLE: BrowserContextOptions = { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
export const DESKTOP: BrowserContextOptions = { ...PEOPLE, viewport: { width: 1280, height: 800 } };
/** An inspector's phone in the field: 390×844 CSS pixels, touch, the mobile viewport meta honoured. */
export const PHONE: BrowserContextOptions = { ...PEOPLE, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

const pageErrors: string[] = [];

/**
 * What went wrong inside the pages of this test file: uncaught exceptions and console errors (a CSP refusal among
 * them), but not a failed request, which the console answers for itself (401 before sign-in, a 409, a 429).
 */
export function errorsInPages(): string[] {
  return [...pageErrors];
}

/** A person at their own browser (a context: own cookies, own session), on the server's origin. */
export async function openBrowser(browser: Browser, server: ConsoleServer, options: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...options, baseURL: server.baseUrl });
  context.setDefaultTimeout(15_000);
  context.on('weberror', (error) => pageErrors.push(`uncaught: ${error.error().message}`));
  context.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      pageErrors.push(`console.error on ${message.location().url}: ${message.text()}`);
    }
  });
  const page = await context.newPage();
  return { context, page };
}

/** Signs in through the sign-in page, as a person does, and waits until the console has left it. */
export async function signIn(page: Page, username: string, password: string, path = '/'): Promise<void> {
  await page.goto(path);
  await page.getByLabel(t('signIn.username')).fill(username);
  await page.getByLabel(t('signIn.password')).fill(password);
  await page.getByRole('button', { name: button('signIn.submit') }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

/**
 * Retries an assertion until it holds or `timeoutMs` passes, then throws its last failure: the page answers
 * when the server has, not on a timetable (playwright-core has no web-first `expect` of its own).
 */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

const AXE_SOURCE = join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const AXE = readFileSync(AXE_SOURCE, 'utf8');
const BLOCKING = new Set(['serious', 'critical']);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/**
 * axe-core on every main page a journey visits. Each check records the serious and critical violations with the
 * elements at fault; the journey's last test asserts there were none, so a contrast slip on one page is reported
 * by name without hiding whether the journey itself works. axe is evaluated through the DevTools protocol rather
 * than added as a <script>: the server's CSP (`script-src 'self'`) rightly refuses inline scripts, and bypassing
 * it would hide a console that breaks under it.
 */
export class AxeAudit {
  private readonly pages: string[] = [];
  private readonly findings: string[] = [];

  async check(page: Page, where: string): Promise<void> {
    // The page as a person reads it, not half loaded: wait for its spinners to stop (a stuck one is checked as is),
    // with no element under a pointer left where the last click was (a hover colour is not the page's),
    await page.mouse.move(0, 0);
    // and with closing pop-ups gone (a select's list fading out is still in the page until its animation ends).
    await eventually(async () => {
      if ((await page.locator('.ant-spin-spinning').count()) > 0) throw new Error('still loading');
      const moving = await page.evaluate(
        'document.getAnimations().filter((animation) => animation.effect?.getTiming().iterations !== Infinity && animation.playState === "running").length',
      );
      if (moving !== 0) throw new Error('still moving');
    }, 10_000).catch(() => undefined);
    // These functions run in the page (this program is typed without the DOM: the page's globals are declared here).
    const ready = await page.evaluate(() => typeof (globalThis as unknown as { axe?: unknown }).axe === 'object');
    if (!ready) await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const { axe, document } = globalThis as unknown as {
        axe: { run(context: unknown, options: object): Promise<{ violations: AxeViolation[] }> };
        document: unknown;
      };
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map(({ id, impact, help, helpUrl, nodes }) => ({
        id, impact, help, helpUrl, nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
      }));
    });
    this.pages.push(where);
    for (const v of violations.filter((violation) => BLOCKING.has(violation.impact ?? ''))) {
      const nodes = v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`);
      if (v.nodes.length > 5) nodes.push(`    … and ${v.nodes.length - 5} more`);
      this.findings.push(`- ${where} (${new URL(page.url()).pathname}): [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes.join('\n')}`);
    }
  }

  /** Fails with every serious or critical violation found, page by page; and if no page was checked at all. */
  expectClean(): void {
    if (this.pages.length === 0) throw new Error('axe-core checked no page: the journey did not get far enough');
    if (this.findings.length > 0) {
      throw new Error(`axe-core: serious/critical violations on ${this.findings.length} check(s) of ${this.pages.length} page(s):\n${this.findings.join('\n')}`);
    }
  }
}

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');

/** A screenshot for the README (docs/screenshots/<name>.png), written by every run so it shows the console as it is. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
}
