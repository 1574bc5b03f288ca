/**
 * The transactional checker's benchmark, run by `npm run bench:check` after the linearizability
 * tables: (1) a generated 10,000-transaction list-append history with concurrency 10, strictly
 * serializable and under snapshot isolation, best of 3; (2) Elle's own performance case
 * `huge-scc.edn` (20,602 operations, one enormous strongly connected component), on which Elle's
 * cycle search gives up on its timeout; (3) Elle's 54 transcribed test cases, verdicts compared.
 * Prints the numbers and whether the targets hold (10k history < 1 s; huge-scc named < 10 s).
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkTransactions, parseJepsenEdn } from '../lib/check';
import { generateListAppendHistory } from '../lib/workload';

const GENERATED_MS_MAX = 1000;
const HUGE_SCC_MS_MAX = 10_000;

export function benchTransactions(projectRoot: string): { lines: string[]; ok: boolean } {
  const lines: string[] = [];
  let ok = true;
  lines.push('', 'transactional checker (Elle-style), best of 3, parsing excluded');
  for (const isolation of ['strict-serializable', 'snapshot'] as const) {
    const history = generateListAppendHistory({ seed: 7, transactionCount: 10_000, concurrency: 10, isolation });
    let best = Infinity;
    let summary = '';
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      const r = checkTransactions(history, { workload: 'list-append' });
      best = Math.min(best, performance.now() - t0);
      summary = `valid ${r.valid}${r.anomalyTypes.length ? `, ${r.anomalyTypes.join(' ')}; not ${r.not.join(' ')}` : ''}`;
    }
    const pass = best < GENERATED_MS_MAX;
    ok &&= pass;
    lines.push(`  generated list-append, 10,000 txns, concurrency 10, ${isolation.padEnd(19)} ${best.toFixed(0).padStart(6)} ms  ${summary}  ${pass ? 'ok' : `over ${GENERATED_MS_MAX} ms`}`);
  }
  const elle = path.resolve(projectRoot, '..', 'shared', 'peer-data', 'elle');
  const huge = path.join(elle, 'histories', 'huge-scc.edn');
  if (fs.existsSync(huge)) {
    const { ops, skipped } = parseJepsenEdn(fs.readFileSync(huge, 'utf8'));
    const t0 = performance.now();
    const r = checkTransactions(ops, { workload: 'list-append', cycleSearchTimeoutMs: 60_000 });
    const ms = performance.now() - t0;
    const pass = r.valid === false && r.not.join() === 'strong-snapshot-isolation' && ms < HUGE_SCC_MS_MAX;
    ok &&= pass;
    lines.push(`  Elle huge-scc.edn, ${ops.length + skipped} ops (${r.transactionCount} txns, ${r.edgeCount} edges): ${ms.toFixed(0)} ms, valid ${r.valid}, ${r.anomalyTypes.join(' ')}, not ${r.not.join(' ')} (Elle: cycle-search-timeout; not strong-snapshot-isolation)  ${pass ? 'ok' : 'MISS'}`);
    const cases = fs.readdirSync(path.join(elle, 'cases')).filter((f) => f.endsWith('.json'));
    let match = 0;
    let total = 0;
    const t1 = performance.now();
    for (const f of cases) {
      const c = JSON.parse(fs.readFileSync(path.join(elle, 'cases', f), 'utf8'));
      const o = c.options ?? {};
      if (typeof o.analyzer === 'string') continue;
      total += 1;
      const res = checkTransactions(c.history, {
        workload: c.workload,
        consistencyModels: 'consistencyModels' in o ? o.consistencyModels : undefined,
        anomalies: o.anomalies, wfrKeys: o.wfrKeys, sequentialKeys: o.sequentialKeys,
        linearizableKeys: o.linearizableKeys, transactionOrder: o.transactionOrder,
      });
      const e = c.expected;
      const same = (e.valid === undefined || e.valid === res.valid)
        && (e.anomalyTypes === undefined || JSON.stringify(e.anomalyTypes) === JSON.stringify(res.anomalyTypes))
        && (e.not === undefined || JSON.stringify(e.not) === JSON.stringify(res.not));
      if (same) match += 1;
    }
    ok &&= match === total;
    lines.push(`  Elle's test cases (checker cases; the 6 graph-analyzer cases are in the test suite): ${match}/${total} verdicts match, ${(performance.now() - t1).toFixed(0)} ms in all`);
  } else {
    lines.push(`  Elle's peer data is not at ${elle}; huge-scc and the case verdicts skipped`);
  }
  return { lines, ok };
}

if (require.main === module) {
  const { lines, ok } = benchTransactions(path.resolve(__dirname, '..'));
  process.stdout.write(lines.join('\n') + '\n');
  process.exitCode = ok ? 0 : 1;
}
