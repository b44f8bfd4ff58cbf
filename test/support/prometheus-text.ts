/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4, as Prometheus itself parses it):
 * throws on anything a scraper would refuse, so a test that reads /metrics through it also checks the format.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: PrometheusSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES: readonly MetricType[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

export class PrometheusFormatError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'PrometheusFormatError';
  }
}

/** Metric families by name, in the order they came. */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  if (text.length > 0 && !text.endsWith('\n')) throw new PrometheusFormatError(0, 'the last line must end with a line feed');
  const families = new Map<string, MetricFamily>();
  const finished = new Set<string>();
  const seenSeries = new Set<string>();
  const typed = new Set<string>();
  let current: MetricFamily | null = null;
  const lines = text.split('\n').slice(0, -1);

  const enter = (family: MetricFamily, line: number) => {
    if (current === family) return;
    if (finished.has(family.name)) throw new PrometheusFormatError(line, `lines of ${family.name} are not in one group`);
    if (current) finished.add(current.name);
    current = family;
  };
  const familyNamed = (name: string, line: number): MetricFamily => {
    if (!METRIC_NAME.test(name)) throw new PrometheusFormatError(line, `invalid metric name "${name}"`);
    let family = families.get(name);
    if (!family) {
      family = { name, type: 'untyped', samples: [] };
      families.set(name, family);
    }
    return family;
  };

  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const match = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(raw);
      if (!match) return; // another comment
      const [, keyword, name, rest = ''] = match;
      const family = familyNamed(name, line);
      enter(family, line);
      if (keyword === 'HELP') {
        if (family.help !== undefined) throw new PrometheusFormatError(line, `second HELP for ${name}`);
        family.help = unescapeHelp(rest, line);
      } else {
        const type = rest.trim() as MetricType;
        if (!TYPES.includes(type)) throw new PrometheusFormatError(line, `unknown type "${rest}" for ${name}`);
        if (typed.has(name)) throw new PrometheusFormatError(line, `second TYPE for ${name}`);
        if (family.samples.length > 0) throw new PrometheusFormatError(line, `TYPE for ${name} after its samples`);
        family.type = type;
        typed.add(name);
      }
      return;
    }
    const sample = parseSample(raw, line);
    const family = familyOf(sample.name, families) ?? familyNamed(sample.name, line);
    enter(family, line);
    const key = `${sample.name}{${Object.entries(sample.labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
    if (seenSeries.has(key)) throw new PrometheusFormatError(line, `duplicate series ${key}`);
    seenSeries.add(key);
    family.samples.push(sample);
  });

  for (const family of families.values()) {
    if (family.type === 'histogram') checkHistogram(family);
    if (family.type === 'counter' && family.samples.some((sample) => sample.value < 0)) {
      throw new PrometheusFormatError(0, `counter ${family.name} is negative`);
    }
  }
  return families;
}

/** The value of the one sample with exactly these labels, or undefined. */
export function sampleValue(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = familyOf(name, families);
  const wanted = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
  return family?.samples.find((sample) => sample.name === name && JSON.stringify(Object.entries(sample.labels).sort(([a], [b]) => a.localeCompare(b))) === wanted)
    ?.value;
}

function familyOf(sampleName: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  const own = families.get(sampleName);
  if (own) return own;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sampleName.endsWith(suffix)) continue;
    const base = families.get(sampleName.slice(0, -suffix.length));
    if (base && (base.type === 'histogram' || (base.type === 'summary' && suffix !== '_bucket'))) return base;
  }
  return undefined;
}

function parseSample(raw: string, line: number): PrometheusSample {
  let at = 0;
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(raw);
  if (!nameMatch) throw new PrometheusFormatError(line, `a sample must start with a metric name: ${raw}`);
  const name = nameMatch[0];
  at = name.length;
  const labels: Record<string, string> = {};
  if (raw[at] === '{') {
    at += 1;
    for (;;) {
      at = skipBlanks(raw, at);
      if (raw[at] === '}') {
        at += 1;
        break;
      }
      const labelMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(raw.slice(at));
      if (!labelMatch || !LABEL_NAME.test(labelMatch[0])) throw new PrometheusFormatError(line, `invalid label name at column ${at + 1}`);
      const label = labelMatch[0];
      if (label in labels) throw new PrometheusFormatError(line, `label ${label} twice`);
      at = skipBlanks(raw, at + label.length);
      if (raw[at] !== '=') throw new PrometheusFormatError(line, `expected = after label ${label}`);
      at = skipBlanks(raw, at + 1);
      if (raw[at] !== '"') throw new PrometheusFormatError(line, `expected " to open the value of ${label}`);
      at += 1;
      let value = '';
      for (;;) {
        const char = raw[at];
        if (char === undefined) throw new PrometheusFormatError(line, `unterminated value of ${label}`);
        if (char === '"') break;
        if (char === '\\') {
          const next = raw[at + 1];
          if (next === 'n') value += '\n';
          else if (next === '\\' || next === '"') value += next;
          else throw new PrometheusFormatError(line, `invalid escape \\${next ?? ''} in the value of ${label}`);
          at += 2;
        } else {
          value += char;
          at += 1;
        }
      }
      labels[label] = value;
      at = skipBlanks(raw, at + 1);
      if (raw[at] === ',') at += 1;
      else if (raw[at] !== '}') throw new PrometheusFormatError(line, `expected , or } after the value of ${label}`);
    }
  }
  const rest = raw.slice(at);
  const tail = /^[ \t]+(\S+)(?:[ \t]+(-?\d+))?[ \t]*$/.exec(rest);
  if (!tail) throw new PrometheusFormatError(line, `expected a value (and an optional timestamp) after ${name}: ${raw}`);
  return { name, labels, value: parseValue(tail[1], line) };
}

/** As Prometheus reads values (Go's strconv.ParseFloat): decimal, or NaN and Inf in any case (prom-client writes `Nan`). */
function parseValue(text: string, line: number): number {
  if (/^nan$/i.test(text)) return Number.NaN;
  const infinity = /^([-+]?)inf(inity)?$/i.exec(text);
  if (infinity) return infinity[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new PrometheusFormatError(line, `invalid value "${text}"`);
  return Number(text);
}

function skipBlanks(raw: string, at: number): number {
  while (raw[at] === ' ' || raw[at] === '\t') at += 1;
  return at;
}

function unescapeHelp(text: string, line: number): string {
  return text.replace(/\\(.?)/g, (_whole, next: string) => {
    if (next === 'n') return '\n';
    if (next === '\\') return '\\';
    throw new PrometheusFormatError(line, `invalid escape \\${next} in HELP`);
  });
}

/** Per label set: cumulative buckets that never decrease, a +Inf bucket equal to _count, and a _sum. */
function checkHistogram(family: MetricFamily): void {
  const series = new Map<string, { buckets: Array<{ le: number; value: number }>; count?: number; sum?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (sample.name === `${family.name}_bucket`) {
      if (le === undefined) throw new PrometheusFormatError(0, `${family.name}_bucket without le`);
      entry.buckets.push({ le: parseValue(le, 0), value: sample.value });
    } else if (sample.name === `${family.name}_count`) entry.count = sample.value;
    else if (sample.name === `${family.name}_sum`) entry.sum = sample.value;
    else throw new PrometheusFormatError(0, `histogram ${family.name} has a sample ${sample.name}`);
  }
  for (const [labels, entry] of series) {
    const buckets = [...entry.buckets].sort((a, b) => a.le - b.le);
    if (buckets.at(-1)?.le !== Number.POSITIVE_INFINITY) throw new PrometheusFormatError(0, `histogram ${family.name}${labels} has no +Inf bucket`);
    if (buckets.some((bucket, index) => index > 0 && bucket.value < buckets[index - 1].value)) {
      throw new PrometheusFormatError(0, `histogram ${family.name}${labels} has decreasing buckets`);
    }
    if (entry.count === undefined || entry.sum === undefined) throw new PrometheusFormatError(0, `histogram ${family.name}${labels} lacks _count or _sum`);
    if (buckets.at(-1)!.value !== entry.count) throw new PrometheusFormatError(0, `histogram ${family.name}${labels}: +Inf bucket differs from _count`);
  }
}
