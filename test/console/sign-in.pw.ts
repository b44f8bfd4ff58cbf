import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { AxeAudit, errorsInPages, DESKTOP, eventually, launchChromium, openBrowser, screenshot, signIn } from './support/browser.js';
import { ADMIN_ONE_TIME_PASSWORD, ConsoleServer, MAX_FAILURES } from './support/console-server.js';
import { button, t } from './support/messages.js';
import { type Organisation, seedOrganisation } from './support/seed.js';

/**
 * Signing in as the README's quick start says (the admin's one-time password, changed at first sign-in), a
 * deep link kept across sign-in, and the lock-out after SIGN_IN_MAX_FAILURES wrong passwords.
 */
describe('signing in to the console', () => {
  const audit = new AxeAudit();
  let server: ConsoleServer;
  let browser: Browser;
  let organisation: Organisation;

  beforeAll(async () => {
    server = await ConsoleServer.start();
    organisation = await seedOrganisation(server);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the admin signs in with the one-time password the server printed and must choose their own', async () => {
    // given: the first start's message, as a person reads it in the terminal
    expect(server.output).toContain('Sign in as username admin with the one-time password');
    const { context, page } = await openBrowser(browser, server, DESKTOP);

    // when: they open the console, are sent to the sign-in page and sign in
    await page.goto('/');
    await page.waitForURL(/\/sign-in/);
    await page.getByRole('heading', { level: 1, name: t('signIn.title') }).waitFor();
    await audit.check(page, 'the sign-in page');
    await screenshot(page, 'sign-in');
    await page.getByLabel(t('signIn.username')).fill('admin');
    await page.getByLabel(t('signIn.password')).fill(ADMIN_ONE_TIME_PASSWORD);
    await page.getByRole('button', { name: button('signIn.submit') }).click();

    // then: the console asks for a password of their own first
    await page.getByRole('heading', { level: 1, name: t('signIn.changePassword') }).waitFor();
    await audit.check(page, 'the change-password page');
    await page.getByLabel(t('signIn.currentPassword')).fill(ADMIN_ONE_TIME_PASSWORD);
    await page.getByLabel(t('signIn.newPassword')).fill('a-password-of-my-own-2026');
    await page.getByRole('button', { name: button('app.save') }).click();

    // and then they are in: the administrator's start page, with their name and role in the header
    await page.waitForURL((url) => url.pathname !== '/sign-in');
    await page.getByText(`Administrator · ${t('role.admin')}`).waitFor();
    await context.close();
  }, 60_000);

  it('a deep link survives signing in, and signing out ends the session', async () => {
    const { context, page } = await openBrowser(browser, server, DESKTOP);
    const { supervisor } = organisation;

    // when: a supervisor opens a bookmarked list view while signed out
    await signIn(page, supervisor.username, supervisor.password, '/problems?severity=minor');

    // then: they land on it, its filter still set
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/problems?severity=minor');
    await page.getByRole('heading', { level: 2, name: t('nav.problems') }).waitFor();

    // when: they sign out, the console is closed to them again
    await page.getByRole('button', { name: button('app.signOut') }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.goto('/problems');
    await page.waitForURL(/\/sign-in\?next=%2Fproblems$/);
    await context.close();
  }, 60_000);

  it(`after ${MAX_FAILURES} wrong passwords the account is locked, even for the right one`, async () => {
    const { context, page } = await openBrowser(browser, server, DESKTOP);
    const { locksmith } = organisation;
    await page.goto('/sign-in');
    const username = page.getByLabel(t('signIn.username'));
    const password = page.getByLabel(t('signIn.password'));
    const submit = page.getByRole('button', { name: button('signIn.submit') });
    const alert = page.getByRole('alert');

    const attempt = async (typed: string, status: number, message: string) => {
      await username.fill(locksmith.username);
      await password.fill(typed);
      const answer = page.waitForResponse((response) => response.url().endsWith('/auth/sign-in'));
      await submit.click();
      expect((await answer).status()).toBe(status);
      await eventually(async () => expect(await alert.innerText()).toContain(message));
    };

    // when: wrong passwords, one after another; then: each is refused as a wrong username or password, no more said
    for (let failure = 1; failure < MAX_FAILURES; failure += 1) await attempt(`wrong-password-${failure}`, 401, t('signIn.failed'));
    // the one that reaches the limit locks the account at once, and the page says so
    await attempt(`wrong-password-${MAX_FAILURES}`, 429, t('signIn.locked'));
    // and then even the right password is refused while the lock lasts
    await attempt(locksmith.password, 429, t('signIn.locked'));
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await audit.check(page, 'the sign-in page, locked out');
    await context.close();
  }, 60_000);

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});
