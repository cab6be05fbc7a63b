export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const HELP_LINE = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
const SUFFIXES: Record<Family['type'], string[]> = {
  counter: ['', '_total', '_created'],
  gauge: [''],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  summary: ['', '_sum', '_count', '_created'],
  untyped: [''],
};

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line is a HELP, a
 * TYPE or a sample of the family declared just above it; values are numbers or ±Inf/NaN;
 * histogram buckets are cumulative and end with +Inf equal to _count. Throws on the first fault.
 */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  let current: Family | undefined;
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('exposition must end with a newline');
  for (const [index, line] of lines.slice(0, -1).entries()) {
    const where = `line ${index + 1}: ${line}`;
    if (line === '') continue;
    const help = HELP_LINE.exec(line);
    if (help) {
      current = family(families, help[1] as string);
      current.help = help[2] as string;
      continue;
    }
    const type = TYPE_LINE.exec(line);
    if (type) {
      current = family(families, type[1] as string);
      if (current.samples.length > 0) throw new Error(`TYPE after samples, ${where}`);
      current.type = type[2] as Family['type'];
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = SAMPLE_LINE.exec(line);
    if (!sample || !current) throw new Error(`not a sample of a declared family, ${where}`);
    const name = sample[1] as string;
    if (!SUFFIXES[current.type].some((suffix) => name === `${current?.name}${suffix}`)) {
      throw new Error(`sample ${name} outside family ${current.name}, ${where}`);
    }
    current.samples.push({
      name,
      labels: parseLabels(sample[2] ?? '', where),
      value: parseValue(sample[3] as string, where),
    });
  }
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

function family(families: Map<string, Family>, name: string): Family {
  let found = families.get(name);
  if (!found) {
    found = { name, type: 'untyped', help: '', samples: [] };
    families.set(name, found);
  }
  return found;
}

function parseLabels(raw: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < raw.length) {
    const match = LABEL.exec(raw);
    if (!match) throw new Error(`bad labels, ${where}`);
    labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, (_, c: string) =>
      c === 'n' ? '\n' : c,
    );
  }
  return labels;
}

/** As Prometheus reads values (Go's ParseFloat): NaN and ±Inf in any case; prom-client writes `Nan`. */
function parseValue(raw: string, where: string): number {
  const special = raw.toLowerCase();
  if (special === '+inf' || special === 'inf') return Number.POSITIVE_INFINITY;
  if (special === '-inf') return Number.NEGATIVE_INFINITY;
  if (special === 'nan') return Number.NaN;
  const value = Number(raw);
  if (raw === '' || Number.isNaN(value)) throw new Error(`bad value, ${where}`);
  return value;
}

function checkHistogram(f: Family): void {
  const series = new Map<string, Sample[]>();
  for (const s of f.samples.filter((x) => x.name.endsWith('_bucket'))) {
    const { le, ...rest } = s.labels;
    if (le === undefined) throw new Error(`${f.name}: bucket without le`);
    const key = JSON.stringify(rest);
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  for (const [key, buckets] of series) {
    let previous = -1;
    for (const b of buckets) {
      if (b.value < previous) throw new Error(`${f.name}${key}: buckets not cumulative`);
      previous = b.value;
    }
    const last = buckets.at(-1);
    const count = f.samples.find((s) => s.name === `${f.name}_count` && JSON.stringify(s.labels) === key);
    if (last?.labels.le !== '+Inf' || count?.value !== last.value) {
      throw new Error(`${f.name}${key}: +Inf bucket must equal _count`);
    }
  }
}

/** The value of one sample, by exact name and labels (undefined when absent). */
export function sampleValue(
  families: Map<string, Family>,
  familyName: string,
  sampleName: string,
  labels: Record<string, string> = {},
): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort());
  return families
    .get(familyName)
    ?.samples.find((s) => s.name === sampleName && JSON.stringify(Object.entries(s.labels).sort()) === want)
    ?.value;
}
