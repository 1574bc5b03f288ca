/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests:
 * every sample must belong to a family announced by # TYPE, label values must be properly
 * quoted and escaped, values must be numbers. It throws on the first line it cannot read.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  type: string;
  help: string;
  samples: PromSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const TYPES = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

function parseValue(text: string, line: number): number {
  // Prometheus reads values with Go's strconv.ParseFloat, which takes NaN and Inf in any
  // letter case (prom-client writes "Nan").
  if (/^nan$/i.test(text)) return NaN;
  if (/^\+?inf(inity)?$/i.test(text)) return Infinity;
  if (/^-inf(inity)?$/i.test(text)) return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${line}: value ${JSON.stringify(text)} is not a number`);
  return Number(text);
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`line ${line}: label without "=" in {${text}}`);
    const name = text.slice(i, eq).trim();
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw new Error(`line ${line}: bad label name ${JSON.stringify(name)}`);
    if (text[eq + 1] !== '"') throw new Error(`line ${line}: label ${name} value is not quoted`);
    let j = eq + 2;
    let value = '';
    for (;;) {
      if (j >= text.length) throw new Error(`line ${line}: unterminated label value for ${name}`);
      const c = text[j];
      if (c === '\\') {
        const next = text[j + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`line ${line}: bad escape \\${next} in label ${name}`);
        j += 2;
      } else if (c === '"') {
        j++;
        break;
      } else {
        value += c;
        j++;
      }
    }
    if (name in labels) throw new Error(`line ${line}: label ${name} repeated`);
    labels[name] = value;
    if (text[j] === ',') j++;
    else if (j < text.length) throw new Error(`line ${line}: expected "," after label ${name}`);
    i = j;
  }
  return labels;
}

export function parsePrometheusText(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const familyOf = (sampleName: string): PromFamily | undefined => {
    const direct = families.get(sampleName);
    if (direct) return direct;
    for (const suffix of SUFFIXES) {
      if (sampleName.endsWith(suffix)) {
        const family = families.get(sampleName.slice(0, -suffix.length));
        if (family) return family;
      }
    }
    return undefined;
  };
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (!match) return; // a plain comment
      const [, kind, name, rest] = match;
      if (!NAME.test(name)) throw new Error(`line ${line}: bad metric name ${JSON.stringify(name)}`);
      const family = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] };
      if (kind === 'TYPE') {
        if (!TYPES.includes(rest)) throw new Error(`line ${line}: unknown type ${JSON.stringify(rest)}`);
        family.type = rest;
      } else family.help = rest;
      families.set(name, family);
      return;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( \d+)?$/.exec(raw);
    if (!match) throw new Error(`line ${line}: cannot read sample ${JSON.stringify(raw)}`);
    const [, name, , labelText, valueText] = match;
    const family = familyOf(name);
    if (!family) throw new Error(`line ${line}: sample ${name} has no # TYPE line before it`);
    family.samples.push({ name, labels: labelText ? parseLabels(labelText, line) : {}, value: parseValue(valueText, line) });
  });
  return families;
}

/** The value of the one sample with these labels (throws if there is none or several). */
export function sampleValue(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): number {
  const family = families.get(name) ?? [...families.values()].find((f) => f.samples.some((s) => s.name === name));
  if (!family) throw new Error(`no metric ${name}; have: ${[...families.keys()].join(', ')}`);
  const matching = family.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matching.length !== 1) throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}: ${JSON.stringify(family.samples)}`);
  return matching[0].value;
}
