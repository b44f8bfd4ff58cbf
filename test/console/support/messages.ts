import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../reliability/support/server-process.js';

type Table = Record<string, string>;

/**
 * The console's own message catalogs (Chinese, its default language), so the journeys find buttons and fields
 * by the words a person reads and a reworded label does not break them. Imported at run time by path: the
 * console compiles under its own tsconfig (bundler resolution), not the server's.
 */
const CATALOGS_FILE = join(REPO_ROOT, 'apps', 'console', 'src', 'i18n', 'messages', 'index.ts');
const { CATALOGS } = (await import(pathToFileURL(CATALOGS_FILE).href)) as { CATALOGS: Record<string, { zh: Table; en: Table }> };
const ZH: Table = Object.assign({}, ...Object.values(CATALOGS).map((catalog) => catalog.zh)) as Table;

/** The Chinese message for a key, with `{name}` placeholders filled; an unknown key fails the test at once. */
export function t(key: string, values: Record<string, string | number> = {}): string {
  const message = ZH[key];
  if (message === undefined) throw new Error(`The console's catalogs have no message "${key}"`);
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Whether the catalogs hold a key (for screens other helpers are still building). */
export function has(key: string): boolean {
  return key in ZH;
}

/**
 * A button's accessible name: Ant Design puts a space between the two characters of a two-character Chinese
 * label (登 录), which a screen reader reads the same; the match allows it.
 */
export function button(key: string, values: Record<string, string | number> = {}): RegExp {
  const text = t(key, values);
  return new RegExp(`^${[...text].map((char) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(' ?')}$`);
}

/** The event type whose label this is (`指派` → ASSIGN), or null for any other text. */
export function eventTypeOf(label: string): string | null {
  const entry = Object.entries(ZH).find(([key, message]) => /^event\.[A-Z_]+$/.test(key) && message === label);
  return entry ? entry[0].slice('event.'.length) : null;
}
