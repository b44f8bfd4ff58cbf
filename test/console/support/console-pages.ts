import { expect } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { eventually } from './browser.js';
import { button, eventTypeOf, t } from './messages.js';

/**
 * An Ant Design Select found by its label: opened, the option typed (searchable) or picked by its title, then
 * waited on until its list has closed, so nothing after it (an axe check, a screenshot) meets a list fading out.
 */
export async function choose(scope: Page | Locator, page: Page, label: string, option: string): Promise<void> {
  const box = scope.getByLabel(label, { exact: true });
  await box.click();
  const list = await box.getAttribute('aria-controls');
  const searchable = (await box.getAttribute('readonly')) === null;
  if (searchable) {
    await box.fill(option);
    await page.keyboard.press('Enter');
  } else {
    // The open list's visible items carry the option's label as their title (its a11y twin is zero-sized).
    await page.getByTitle(option, { exact: true }).filter({ visible: true }).last().click();
  }
  if (list) {
    // Polled from here: the page's CSP refuses the string evaluation waitForFunction would need.
    const closed = `(() => { const popup = document.getElementById(${JSON.stringify(list)})?.closest('.ant-select-dropdown'); return !popup || getComputedStyle(popup).display === 'none'; })()`;
    await eventually(async () => expect(await page.evaluate(closed)).toBe(true));
  }
}

/** An Ant Design DatePicker found by its label, given a value typed as the picker shows it, then confirmed. */
export async function pickDate(scope: Page | Locator, page: Page, label: string, value: string): Promise<void> {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await page.keyboard.press('Enter');
}

/** What a person fills in an event's dialog, field label → value. */
export type DialogFields = Array<{ label: string; value: string; kind?: 'text' | 'select' | 'date' }>;

/**
 * Sends one event from the problem page as a person does: its button (there only when `allowedEvents` has it),
 * the dialog's fields, 确定. Resolves with the server's status for the event's POST, once the dialog has closed
 * (or, on a refusal, once it has been answered).
 */
export async function sendFromPage(page: Page, eventType: string, fields: DialogFields = []): Promise<number> {
  const name = t(`event.${eventType}`);
  await page.getByRole('button', { name: button(`event.${eventType}`) }).click();
  const dialog = page.getByRole('dialog', { name });
  await dialog.waitFor();
  for (const field of fields) {
    if (field.kind === 'select') await choose(dialog, page, field.label, field.value);
    else if (field.kind === 'date') await pickDate(dialog, page, field.label, field.value);
    else await dialog.getByLabel(field.label, { exact: true }).fill(field.value);
  }
  const answer = page.waitForResponse((response) => response.request().method() === 'POST' && /\/problems\/[^/]+\/events$/.test(response.url()));
  await dialog.getByRole('button', { name: button('event.send') }).click();
  const status = (await answer).status();
  if (status < 300) await dialog.waitFor({ state: 'hidden' });
  return status;
}

/** Waits until the problem page shows the state (the 状态 row of its details), as a person would read it. */
export async function expectState(page: Page, state: string, timeoutMs?: number): Promise<void> {
  await page.getByRole('cell', { name: t(`state.${state}`), exact: true }).waitFor({ timeout: timeoutMs });
}

/** The events the page offers buttons for now (from `allowedEvents`), as event types, read from the buttons' labels. */
export async function offeredActions(page: Page): Promise<string[]> {
  const labels = await page.getByRole('main').getByRole('button').allInnerTexts();
  return labels.map((label) => eventTypeOf(label.replace(/\s/g, ''))).filter((type): type is string => type !== null);
}

/** Waits until the page offers exactly these events' buttons (in any order). */
export async function expectActions(page: Page, eventTypes: string[]): Promise<void> {
  await eventually(async () => expect((await offeredActions(page)).sort()).toEqual([...eventTypes].sort()));
}

/** The titles the ledger's table lists (each row links to its problem by its title), sorted. */
export async function ledgerTitles(page: Page): Promise<string[]> {
  if ((await page.locator('.ant-spin-spinning').count()) > 0) throw new Error('still loading');
  return (await page.getByRole('main').getByRole('table').getByRole('link').allInnerTexts()).map((title) => title.trim()).sort();
}
