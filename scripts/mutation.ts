// `npm run test:mutation -- MODULE [more Stryker options]`: StrykerJS on one safety-critical
// module, running only that module's tests. The modules, the code each one mutates (a file or a
// line range of one) and its test files are listed in scripts/mutation-modules.json; the shared
// settings are in stryker.config.mjs. The JSON report goes to reports/mutation/MODULE.json and a
// one-line summary (mutants, killed + timed out, survived, no coverage, score) is printed last.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * A file, or the lines of a file between two marker texts (`between`: from the line holding the
 * first to the line before the second) or outside them (`outside`: the rest of the file). Markers
 * keep the ranges right when lines are added above them.
 */
type MutateSpec = string | { file: string; between?: [string, string]; outside?: [string, string] };

interface ModuleSpec {
  mutate: MutateSpec[];
  tests: string[];
  note?: string;
}

function lineOf(file: string, lines: string[], marker: string): number {
  const index = lines.findIndex((line) => line.includes(marker));
  if (index < 0) throw new Error(`test:mutation: marker ${JSON.stringify(marker)} not found in ${file} (scripts/mutation-modules.json)`);
  return index + 1;
}

/** Stryker's mutate patterns ("file" or "file:from-to") for one entry. */
function patterns(spec: MutateSpec): string[] {
  if (typeof spec === 'string') return [spec];
  const lines = fs.readFileSync(path.join(ROOT, spec.file), 'utf8').split('\n');
  const markers = spec.between ?? spec.outside;
  if (!markers) return [spec.file];
  const from = lineOf(spec.file, lines, markers[0]);
  const to = lineOf(spec.file, lines, markers[1]) - 1;
  if (spec.between) return [`${spec.file}:${from}-${to}`];
  return [`${spec.file}:1-${from - 1}`, `${spec.file}:${to + 1}-${lines.length}`];
}

const ROOT = path.resolve(__dirname, '..');
const modules = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts', 'mutation-modules.json'), 'utf8')) as Record<string, ModuleSpec>;
const [name, ...rest] = process.argv.slice(2);
if (!name || !(name in modules)) {
  console.error(`test:mutation: module: got ${JSON.stringify(name ?? null)}; allowed: ${Object.keys(modules).join(', ')}`);
  process.exit(2);
}
const spec = modules[name];
for (const file of [...spec.mutate.map((m) => (typeof m === 'string' ? m : m.file)), ...spec.tests]) {
  if (!fs.existsSync(path.join(ROOT, file))) {
    console.error(`test:mutation: ${name} lists ${file}, which does not exist (scripts/mutation-modules.json)`);
    process.exit(2);
  }
}
const reportFile = path.join('reports', 'mutation', `${name}.json`);
const stryker = path.join(ROOT, 'node_modules', '.bin', 'stryker');
const mutate = spec.mutate.flatMap(patterns);
const args = ['run', 'stryker.config.mjs', '--mutate', mutate.join(','), ...rest];
console.log(`test:mutation ${name}: mutating ${mutate.join(', ')} with ${spec.tests.length} test files`);
const run = spawnSync(stryker, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, MUTATION_TESTS: spec.tests.join(','), MUTATION_MODULE: name } });
if (run.status !== 0) process.exit(run.status ?? 1);

interface Report {
  files: Record<string, { mutants: Array<{ status: string; statusReason?: string }> }>;
}
const report = JSON.parse(fs.readFileSync(path.join(ROOT, reportFile), 'utf8')) as Report;
const count: Record<string, number> = {};
let excluded = 0;
for (const file of Object.values(report.files)) {
  for (const m of file.mutants) {
    count[m.status] = (count[m.status] ?? 0) + 1;
    if (m.status === 'Ignored' && (m.statusReason ?? '').startsWith('Ignored because of excluded mutation')) excluded++;
  }
}
const killed = (count.Killed ?? 0) + (count.Timeout ?? 0);
const survived = count.Survived ?? 0;
const noCoverage = count.NoCoverage ?? 0;
const equivalent = (count.Ignored ?? 0) - excluded;
const errors = (count.CompileError ?? 0) + (count.RuntimeError ?? 0);
const scored = killed + survived + noCoverage;
const score = scored === 0 ? 100 : (100 * killed) / scored;
console.log(
  `mutation ${name}: ${scored} mutants scored, ${killed} killed or timed out, ${survived} survived, ${noCoverage} no coverage; ` +
    `score ${score.toFixed(1)} % (not scored: ${equivalent} marked equivalent, ${excluded} string literals, ${errors} errors)`,
);
