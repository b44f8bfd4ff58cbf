/**
 * Message catalogs, one per area of the console, each in Chinese (the default) and English. `defineCatalog`
 * makes the English side carry exactly the Chinese side's keys, so a missing key does not compile; a test checks
 * the same at run time and that no message is empty.
 */
export type Language = 'zh' | 'en';

export interface Catalog<K extends string> {
  zh: Record<K, string>;
  en: Record<K, string>;
}

export function defineCatalog<K extends string>(zh: Record<K, string>, en: Record<NoInfer<K>, string>): Catalog<K> {
  return { zh, en };
}

/** `{name}` placeholders filled from `values`. */
export function format(message: string, values?: Record<string, string | number>): string {
  if (!values) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
