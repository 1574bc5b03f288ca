// Proves the arrows of ../shared/DESIGN.md hold: every import in lib/ goes from a folder to one
// its layer may use (down the stack, or to a shared base), never up and never sideways between
// strategies or lessons; a failure prints each offending import as "file → target".
import * as fs from 'fs';
import * as path from 'path';
import { expect, test } from 'vitest';

const LIB = path.resolve(__dirname, '../../lib');

/**
 * What each top-level folder of lib/ may import (besides itself). The order of DESIGN.md:
 * lessons and the monitor at the top (they may draw with viz), then strategies, bench and the
 * real engines, then check, then storage / clocks / crdt / workload, then sim, then stats and util.
 */
const BASE = ['stats', 'util'];
const BELOW_CHECK = ['storage', 'clocks', 'crdt', 'workload', 'sim', ...BASE];
const BELOW_STRATEGIES = ['check', ...BELOW_CHECK];
const ALLOWED: Record<string, string[]> = {
  util: [],
  stats: ['util'],
  sim: BASE,
  clocks: ['sim', ...BASE],
  // CRDTs are built on the clocks' dots and version vectors: the one arrow inside their layer.
  crdt: ['clocks', 'sim', ...BASE],
  workload: ['sim', ...BASE],
  storage: ['sim', ...BASE],
  check: BELOW_CHECK,
  strategies: BELOW_STRATEGIES,
  // Real engines sit beside the strategies. lib/postgres also runs the simulated leader-follower
  // strategy to set its prediction beside a measurement (simulator-prediction.ts): an arrow
  // DESIGN.md does not draw, kept deliberately and named here (it belongs in lesson 11's folder).
  // Its cluster watchdog is lib/chaos's process watchdog with lib/postgres's folder prefix.
  postgres: ['strategies', 'chaos', ...BELOW_STRATEGIES],
  // The other engines use lib/postgres's loopback helpers (free ports, service accounts) and the
  // fault proxy; Patroni runs PostgreSQL on an etcd cluster, so it stands on both.
  etcd: ['chaos', 'postgres', ...BELOW_STRATEGIES],
  patroni: ['etcd', 'chaos', 'postgres', ...BELOW_STRATEGIES],
  galera: ['chaos', 'postgres', ...BELOW_STRATEGIES],
  chaos: BELOW_STRATEGIES,
  bench: ['strategies', 'postgres', ...BELOW_STRATEGIES],
  viz: ['check', 'sim', ...BASE],
  monitor: ['viz', 'postgres', 'strategies', ...BELOW_STRATEGIES],
  lessons: ['viz', 'monitor', 'bench', 'strategies', 'postgres', 'etcd', 'patroni', 'galera', 'chaos', ...BELOW_STRATEGIES],
};

/**
 * Sideways arrows between two strategies, each named and justified; any other is an offence.
 * Two-phase commit's participants are banks: each runs the banking ledger's transfer (one
 * transaction on its own database, lib/strategies/banking/transfer.ts) as its local work, so
 * 2PC stands on the banking strategy rather than copying it.
 */
const SIDEWAYS_ALLOWED: Record<string, string[]> = {
  'strategies/two-phase-commit': ['strategies/banking'],
};

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** lib-relative segments of a path: ['strategies', 'eventual', 'x.ts']. */
const segments = (p: string) => path.relative(LIB, p).split(path.sep);

test('every import in lib/ follows an arrow DESIGN.md allows', () => {
  const offending: string[] = [];
  const folders = new Set<string>();
  for (const file of tsFiles(LIB)) {
    const [top, second] = segments(file);
    folders.add(top);
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
      const target = path.resolve(path.dirname(file), match[1]);
      if (!target.startsWith(LIB + path.sep)) continue;
      const [targetTop, targetSecond] = segments(target);
      const where = `${path.relative(LIB, file)} → ${path.relative(LIB, target)}`;
      if (targetTop === top) {
        // Inside strategies and lessons, each subfolder is its own unit: no sideways arrows.
        const named = (SIDEWAYS_ALLOWED[`${top}/${second}`] ?? []).includes(`${targetTop}/${targetSecond}`);
        if ((top === 'strategies' || top === 'lessons') && second !== targetSecond && second !== undefined && !second.endsWith('.ts') && !(targetSecond ?? '').endsWith('.ts') && !named) {
          offending.push(`${where} (one ${top === 'strategies' ? 'strategy' : 'lesson'} importing another)`);
        }
        continue;
      }
      const allowed = ALLOWED[top];
      if (!allowed) offending.push(`${where} (lib/${top} has no place in DESIGN.md's layers)`);
      else if (!allowed.includes(targetTop)) offending.push(`${where} (lib/${top} may import only ${allowed.join(', ') || 'nothing'})`);
    }
  }
  expect(offending, offending.join('\n')).toEqual([]);
  // The table must know every folder, so a new one is placed deliberately.
  for (const f of folders) expect(Object.keys(ALLOWED), `lib/${f}`).toContain(f);
});
