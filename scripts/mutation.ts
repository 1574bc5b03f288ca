// `npm run test:mutation -- MODULE [more Stryker options]`: StrykerJS on one safety-critical
// module, running only that module's tests. The modules, the code each one mutates (a file or a
// line range of one) and its test files are listed in scripts/mutation-modules.json; the shared
// settings are in stryker.config.mjs. The JSON report goes to reports/mutation/MODULE.json and a
// one-line summary (mutants, killed + timed out, survived, no coverage, score) is printed last.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

interface ModuleSpec {
  mutate: string[];
  tests: string[];
}

const ROOT = path.resolve(__dirname, '..');
const modules = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts', 'mutation-modules.json'), 'utf8')) as Record<string, ModuleSpec>;
const [name, ...rest] = process.argv.slice(2);
if (!name || !(name in modules)) {
  console.error(`test:mutation: module: got ${JSON.stringify(name ?? null)}; allowed: ${Object.keys(modules).join(', ')}`);
  process.exit(2);
}
const spec = modules[name];
for (const file of [...spec.mutate.map((m) => m.replace(/:\d+(-\d+)?$/, '')), ...spec.tests]) {
  if (!fs.existsSync(path.join(ROOT, file))) {
    console.error(`test:mutation: ${name} lists ${file}, which does not exist (scripts/mutation-modules.json)`);
    process.exit(2);
  }
}
const reportFile = path.join('reports', 'mutation', `${name}.json`);
const stryker = path.join(ROOT, 'node_modules', '.bin', 'stryker');
const args = ['run', 'stryker.config.mjs', '--mutate', spec.mutate.join(','), ...rest];
console.log(`test:mutation ${name}: mutating ${spec.mutate.join(', ')} with ${spec.tests.length} test files`);
const run = spawnSync(stryker, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, MUTATION_TESTS: spec.tests.join(','), MUTATION_MODULE: name } });
if (run.status !== 0) process.exit(run.status ?? 1);

interface Report {
  files: Record<string, { mutants: Array<{ status: string }> }>;
}
const report = JSON.parse(fs.readFileSync(path.join(ROOT, reportFile), 'utf8')) as Report;
const count: Record<string, number> = {};
for (const file of Object.values(report.files)) for (const m of file.mutants) count[m.status] = (count[m.status] ?? 0) + 1;
const killed = (count.Killed ?? 0) + (count.Timeout ?? 0);
const survived = count.Survived ?? 0;
const noCoverage = count.NoCoverage ?? 0;
const ignored = count.Ignored ?? 0;
const total = Object.values(count).reduce((a, b) => a + b, 0);
const scored = killed + survived + noCoverage;
const score = scored === 0 ? 100 : (100 * killed) / scored;
console.log(`mutation ${name}: ${total} mutants, ${killed} killed or timed out, ${survived} survived, ${noCoverage} no coverage, ${ignored} ignored (string literals and disable comments); score ${score.toFixed(1)} %`);
