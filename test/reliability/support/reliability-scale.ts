/**
 * How hard the reliability suites push. `RELIABILITY=full` (the README's figures) or `short` (CI, the default):
 * every suite runs in both, only the sizes differ.
 */
export const RELIABILITY_MODE: 'short' | 'full' = process.env.RELIABILITY === 'full' ? 'full' : 'short';

/** The short or the full size of something. */
export function scaled<T>(short: T, full: T): T {
  return RELIABILITY_MODE === 'full' ? full : short;
}

/** Prints a suite's figures in one recognisable block (collected into the README's Reliability section). */
export function reportFigures(suite: string, figures: Record<string, number | string>): void {
  const lines = Object.entries(figures).map(([name, value]) => `  ${name}: ${typeof value === 'number' ? value.toLocaleString('en') : value}`);
  process.stdout.write(`\n[reliability:${RELIABILITY_MODE}] ${suite}\n${lines.join('\n')}\n`);
}
