/** Instants shown on the organisation's clock (Asia/Shanghai unless the server says otherwise). */
export const ORGANISATION_TIME_ZONE = 'Asia/Shanghai';

export function formatInstant(iso: string | null | undefined, language: 'zh' | 'en'): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: ORGANISATION_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** A rate (0–1) as the ledger's figures show it, to a tenth of a percent (0.6667 → 66.7%); a dash while there is none. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}
