/**
 * The linearizability checker on long, highly concurrent histories, beside Porcupine:
 * ../shared/peer-data/scaling holds nine single-register histories (1,000 to 50,000 operations,
 * 10 to 30 concurrent clients; "-stale" ones end in an impossible read) and porcupine.txt with
 * Porcupine's verdict, time and peak memory on this machine kind. Each history is checked in a
 * child process of its own, so its peak resident memory is its own: best of 9 runs for the
 * small ones, 2 for the large (warm, parsing excluded, as Porcupine's times are). Memory is
 * reported twice: the process's peak RSS (Node and tsx alone take about 80 MB, more than
 * Porcupine's whole footprint on the smallest histories) and the search memo's own bytes.
 *
 *   npx tsx scripts/bench-check-scaling.ts          the table (bench:check runs it too)
 *   npx tsx scripts/bench-check-scaling.ts --one F  one file, one JSON line (used internally)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkValidatedHistory, parseHistory } from '../lib/check';

interface Row { file: string; verdict: string; bestMs: number; rssMb: number; memoMb: number; porcupine: { verdict: string; ms: number; mb: number } }

function one(file: string): void {
  const history = parseHistory(fs.readFileSync(file, 'utf8'));
  let best = Infinity;
  let verdict = '';
  let memoBytes = 0;
  // Warm runs: V8 compiles the search on the first ones; Porcupine's Go binary needs no warm-up.
  const runs = history.operations.length > 5000 ? 2 : history.operations.length > 2000 ? 5 : 9;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const result = checkValidatedHistory(history, { timeoutMs: 60_000 });
    best = Math.min(best, performance.now() - t0);
    verdict = result.verdict;
    memoBytes = Math.max(memoBytes, ...result.keys.map((k) => k.memoBytes));
  }
  process.stdout.write(JSON.stringify({ verdict, bestMs: best, rssMb: process.resourceUsage().maxRSS / 1024, memoMb: memoBytes / 1048576 }) + '\n');
}

export function benchScaling(projectRoot: string): { lines: string[]; ok: boolean } {
  const dir = path.resolve(projectRoot, '..', 'shared', 'peer-data', 'scaling');
  const expectedFile = path.join(dir, 'porcupine.txt');
  if (!fs.existsSync(expectedFile)) return { lines: [`scaling histories not found at ${dir}; skipped`], ok: true };
  const rows: Row[] = [];
  for (const line of fs.readFileSync(expectedFile, 'utf8').split('\n').filter((l) => l.trim() !== '')) {
    const [file, verdict, ms, , kb] = line.trim().split(/\s+/);
    const run = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--one', path.join(dir, file)], { encoding: 'utf8', cwd: projectRoot, maxBuffer: 1 << 20 });
    const out = JSON.parse(run.stdout.trim().split('\n').pop() as string);
    rows.push({ file, verdict: out.verdict, bestMs: out.bestMs, rssMb: out.rssMb, memoMb: out.memoMb, porcupine: { verdict, ms: Number(ms), mb: Number(kb) / 1024 } });
  }
  const same = (ours: string, theirs: string) => (theirs === 'Ok' ? ours === 'linearizable' : theirs === 'Illegal' ? ours === 'not-linearizable' : true);
  const lines = ['', 'scaling: long, concurrent single-register histories (../shared/peer-data/scaling), beside Porcupine (Go, state hashing)'];
  lines.push(`${'history'.padEnd(20)}${'Porcupine'.padStart(28)}${'ours'.padStart(40)}`);
  let ok = true;
  for (const r of rows) {
    const fast = r.bestMs <= r.porcupine.ms;
    const small = r.rssMb <= r.porcupine.mb;
    ok &&= same(r.verdict, r.porcupine.verdict);
    lines.push(
      `${r.file.replace(/\.log$/, '').padEnd(20)}${`${r.porcupine.verdict} ${r.porcupine.ms.toFixed(1)} ms ${r.porcupine.mb.toFixed(0)} MB`.padStart(28)}` +
        `${`${r.verdict} ${r.bestMs.toFixed(1)} ms, ${r.rssMb.toFixed(0)} MB (memo ${r.memoMb.toFixed(1)} MB)`.padStart(52)}  ${!same(r.verdict, r.porcupine.verdict) ? 'VERDICT DIFFERS' : `${fast ? 'faster' : 'SLOWER'}, ${small ? 'smaller' : 'larger RSS'}`}`,
    );
  }
  return { lines, ok };
}

if (require.main === module) {
  const at = process.argv.indexOf('--one');
  if (at >= 0) one(process.argv[at + 1]);
  else {
    const { lines, ok } = benchScaling(path.resolve(__dirname, '..'));
    process.stdout.write(lines.join('\n') + '\n');
    process.exitCode = ok ? 0 : 1;
  }
}
