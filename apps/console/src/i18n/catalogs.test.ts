import { describe, expect, it } from 'vitest';
import { CATALOGS } from './messages';

describe('message catalogs', () => {
  for (const [area, catalog] of Object.entries(CATALOGS)) {
    it(`${area}: Chinese and English have the same keys, none empty`, () => {
      const zh = Object.keys(catalog.zh).sort();
      const en = Object.keys(catalog.en).sort();
      expect(en).toEqual(zh);
      for (const language of ['zh', 'en'] as const) {
        const empty = Object.entries(catalog[language] as Record<string, string>).filter(([, message]) => message.trim() === '');
        expect(empty).toEqual([]);
      }
    });
  }

  it('no key is defined by two areas', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [area, catalog] of Object.entries(CATALOGS)) {
      for (const key of Object.keys(catalog.zh)) {
        if (seen.has(key)) twice.push(`${key} (${seen.get(key)} and ${area})`);
        seen.set(key, area);
      }
    }
    expect(twice).toEqual([]);
  });
});
