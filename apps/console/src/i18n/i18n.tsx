import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { format, type Language } from './catalog';
import { CATALOGS, type MessageKey } from './messages';

const STORAGE_KEY = 'rk.language';

function merged(language: Language): Record<string, string> {
  return Object.assign({}, ...Object.values(CATALOGS).map((catalog) => catalog[language])) as Record<string, string>;
}

const TABLES: Record<Language, Record<string, string>> = { zh: merged('zh'), en: merged('en') };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'zh';
}

/** Chinese by default; English when chosen (remembered in this browser). */
export function I18nProvider({ children, language: fixed }: { children: ReactNode; language?: Language }) {
  const [language, setState] = useState<Language>(fixed ?? initialLanguage());
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setState(next);
  }, []);
  const t = useCallback<Translate>((key, values) => format(TABLES[language][key] ?? key, values), [language]);
  const value = useMemo(() => ({ language, setLanguage, t }), [language, setLanguage, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}

/** A key built at run time (an event type, a state): translated when the catalog has it, else shown as is. */
export function dynamicKey(prefix: string, value: string): MessageKey {
  return `${prefix}.${value}` as MessageKey;
}
