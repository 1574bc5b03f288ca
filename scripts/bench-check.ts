/**
 * `npm run bench:check`: times the linearizability checker on Porcupine's own test suite
 * (../shared/peer-data/porcupine, read in place) and sets it beside Porcupine's times from
 * expected.txt. Each file is parsed once, then checked 5 times; the best time counts
 * (parsing excluded, as in Porcupine's numbers). Prints the total, the 10 slowest files and
 * the ratio to Porcupine, and whether the targets hold: total ≤ 0.5 × Porcupine's (issue 18),
 * and no single file over 2 s. Every verdict must also match Porcupine's.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkValidatedHistory, parseHistory } from '../lib/check';
import { benchScaling } from './bench-check-scaling';
import { benchTransactions } from './bench-check-txn';

const RUNS = 5;
const TOTAL_RATIO_MAX = 0.5;
const FILE_MS_MAX = 2000;

interface Row {
  file: string;
  operations: number;
  expected: string;
  verdict: string;
  bestMs: number;
  porcupineMs: number;
  /** Search steps over all keys: the work done, independent of the machine's load. */
  steps: number;
}

function main(): number {
  const projectRoot = path.resolve(__dirname, '..');
  const suiteDir = path.resolve(projectRoot, '..', 'shared', 'peer-data', 'porcupine');
  const expectedFile = path.join(suiteDir, 'expected.txt');
  if (!fs.existsSync(expectedFile)) {
    process.stderr.write(`bench:check: the peer suite is not at ${suiteDir} (expected.txt missing); nothing to time\n`);
    return 2;
  }
  const lines = fs
    .readFileSync(expectedFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const rows: Row[] = [];
  for (const line of lines) {
    const [file, expected, operations, porcupineMs] = line.trim().split(/\s+/);
    const history = parseHistory(fs.readFileSync(path.join(suiteDir, file), 'utf8'));
    let bestMs = Infinity;
    let verdict = '';
    let steps = 0;
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const result = checkValidatedHistory(history);
      bestMs = Math.min(bestMs, performance.now() - started);
      verdict = result.verdict;
      steps = result.keys.reduce((sum, k) => sum + k.searchSteps, 0);
    }
    rows.push({ file, operations: Number(operations), expected, verdict, bestMs, porcupineMs: Number(porcupineMs), steps });
  }
  const totalMs = rows.reduce((s, r) => s + r.bestMs, 0);
  const porcupineTotalMs = rows.reduce((s, r) => s + r.porcupineMs, 0);
  const mismatches = rows.filter((r) => r.verdict !== r.expected);
  const slowest = rows.slice().sort((a, b) => b.bestMs - a.bestMs).slice(0, 10);

  const pad = (text: string, width: number): string => (text.length >= width ? text : text + ' '.repeat(width - text.length));
  const padLeft = (text: string, width: number): string => (text.length >= width ? text : ' '.repeat(width - text.length) + text);
  const out: string[] = [];
  out.push(`checker on Porcupine's suite: ${rows.length} files, best of ${RUNS} per file, parsing excluded (node ${process.version})`);
  out.push('');
  out.push('10 slowest files:');
  out.push(`${pad('file', 24)}${padLeft('ops', 6)}${padLeft('steps', 9)}${padLeft('ours ms', 11)}${padLeft('porcupine ms', 14)}${padLeft('ratio', 8)}  verdict`);
  for (const r of slowest) {
    out.push(
      `${pad(r.file, 24)}${padLeft(String(r.operations), 6)}${padLeft(String(r.steps), 9)}${padLeft(r.bestMs.toFixed(2), 11)}` +
        `${padLeft(r.porcupineMs.toFixed(2), 14)}${padLeft((r.bestMs / r.porcupineMs).toFixed(2), 8)}  ${r.verdict}`,
    );
  }
  out.push('');
  const ratio = totalMs / porcupineTotalMs;
  const totalSteps = rows.reduce((s, r) => s + r.steps, 0);
  out.push(`total: ${totalMs.toFixed(1)} ms (Porcupine ${porcupineTotalMs.toFixed(1)} ms), ratio ${ratio.toFixed(2)}; ${totalSteps} search steps`);
  const slowestMs = slowest.length > 0 ? slowest[0].bestMs : 0;
  const totalOk = ratio <= TOTAL_RATIO_MAX;
  const fileOk = slowestMs <= FILE_MS_MAX;
  out.push(`target total ≤ ${TOTAL_RATIO_MAX} × Porcupine (${(porcupineTotalMs * TOTAL_RATIO_MAX).toFixed(0)} ms): ${totalOk ? 'met' : 'NOT met'}`);
  out.push(`target no file over ${FILE_MS_MAX} ms (slowest ${slowestMs.toFixed(1)} ms): ${fileOk ? 'met' : 'NOT met'}`);
  out.push(
    mismatches.length === 0
      ? `verdicts: all ${rows.length} match Porcupine's`
      : `verdicts: ${mismatches.length} DIFFER from Porcupine's: ${mismatches.map((r) => `${r.file} (ours ${r.verdict}, expected ${r.expected})`).join(', ')}`,
  );
  process.stdout.write(out.join('\n') + '\n');
  const scaling = benchScaling(projectRoot);
  process.stdout.write(scaling.lines.join('\n') + '\n');
  const txn = benchTransactions(projectRoot);
  process.stdout.write(txn.lines.join('\n') + '\n');
  return mismatches.length === 0 && scaling.ok && txn.ok ? 0 : 1;
}

process.exitCode = main();
