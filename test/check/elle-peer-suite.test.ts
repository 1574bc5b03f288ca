// Proves the transactional checker gives Elle's verdicts on Elle's own test suite: the 54 cases
// transcribed in ../shared/peer-data/elle (validity, anomaly types, the weakest models ruled out),
// read in place and skipped only when that folder is absent.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { checkTransactions, inferDependencies, transactionsOf, RW, WR, WW } from '../../lib/check';
import type { TxnWorkload } from '../../lib/check';
import { peerData } from '../peer-data';

const ELLE_DIR = peerData('elle');
const present = fs.existsSync(path.join(ELLE_DIR, 'cases'));

interface ElleCase {
  workload: TxnWorkload;
  options: Record<string, unknown> | null;
  history: unknown[];
  expected: { valid?: boolean | 'unknown'; anomalyTypes?: string[]; not?: string[]; sccCount?: number };
  assertion: string;
  flags?: string[];
}

const cases: Array<[string, ElleCase]> = present
  ? fs.readdirSync(path.join(ELLE_DIR, 'cases')).filter((f) => f.endsWith('.json')).sort()
      .map((f) => [f.replace(/\.json$/, ''), JSON.parse(fs.readFileSync(path.join(ELLE_DIR, 'cases', f), 'utf8')) as ElleCase])
  : [];

describe.skipIf(!present)("Elle's test suite (../shared/peer-data/elle)", () => {
  test('all 54 cases are there', () => {
    expect(cases.length).toBe(54);
  });

  test.each(cases)('%s gets the verdict Elle asserts', (_name, c) => {
    const options = c.options ?? {};
    if (typeof options.analyzer === 'string') {
      // Elle's core check with one dependency graph: invalid exactly when that graph has a cycle.
      const txns = transactionsOf(c.workload, c.history);
      const { graph } = inferDependencies(txns, { workload: c.workload, orderEdges: 'none' });
      const mask = options.analyzer === 'elle.rw-register/wr-graph' ? WR : WW | WR | RW;
      const sccs = graph.components(mask);
      if (c.expected.valid !== undefined) expect(sccs.length === 0).toBe(c.expected.valid);
      if (c.expected.sccCount !== undefined) expect(sccs.length).toBe(c.expected.sccCount);
      return;
    }
    const result = checkTransactions(c.history, {
      workload: c.workload,
      consistencyModels: 'consistencyModels' in options ? (options.consistencyModels as string[] | null) : undefined,
      anomalies: options.anomalies as string[] | undefined,
      wfrKeys: options.wfrKeys as boolean | undefined,
      sequentialKeys: options.sequentialKeys as boolean | undefined,
      linearizableKeys: options.linearizableKeys as boolean | undefined,
      transactionOrder: options.transactionOrder as Record<string, number> | undefined,
    });
    const got = { valid: result.valid, anomalyTypes: result.anomalyTypes, not: result.not, found: result.foundTypes };
    if (c.expected.valid !== undefined) expect(got.valid, JSON.stringify(got)).toBe(c.expected.valid);
    if (c.expected.anomalyTypes !== undefined) expect(got.anomalyTypes, JSON.stringify(got)).toEqual(c.expected.anomalyTypes);
    if (c.expected.not !== undefined) expect(got.not, JSON.stringify(got)).toEqual(c.expected.not);
  });
});
