// Proves check-history handles transaction histories: the workbook's JSON records and Jepsen's
// EDN are detected, the verdict is one JSON line (exit 0), and bad input is one line (exit 2).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const projectRoot = path.resolve(__dirname, '..', '..');
let dir = '';
const run = (...args: string[]) => {
  const r = spawnSync('npx', ['tsx', 'scripts/check-history.ts', ...args], { cwd: projectRoot, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-history-txn-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const writeSkew = {
  workload: 'list-append',
  transactions: [
    { process: 0, callMs: 0, returnMs: 5, outcome: 'committed', ops: [['r', 'x', null], ['append', 'y', 1]] },
    { process: 1, callMs: 1, returnMs: 6, outcome: 'committed', ops: [['r', 'y', null], ['append', 'x', 1]] },
    { process: 2, callMs: 10, returnMs: 12, outcome: 'committed', ops: [['r', 'x', [1]], ['r', 'y', [1]]] },
  ],
};

describe('check-history with transactions', () => {
  it('detects the workbook format and names write skew as G2-item', () => {
    const out = run(write('skew.json', JSON.stringify(writeSkew)), '--models', 'serializable');
    expect(out.code).toBe(0);
    const line = JSON.parse(out.stdout.trim());
    expect(line).toMatchObject({ valid: false, format: 'txn', anomalyTypes: ['G2-item'], not: ['repeatable-read'] });
    expect(line.explanations[0]).toMatch(/^G2-item: T\d+ → /);
  });

  it('detects Jepsen EDN and accepts snapshot isolation for the same write skew', () => {
    const edn = [
      '{:type :invoke, :f :txn, :value [[:r 1 nil] [:append 2 1]], :process 0, :index 0}',
      '{:type :invoke, :f :txn, :value [[:r 2 nil] [:append 1 1]], :process 1, :index 1}',
      '{:type :ok, :f :txn, :value [[:r 1 nil] [:append 2 1]], :process 0, :index 2}',
      '{:type :ok, :f :txn, :value [[:r 2 nil] [:append 1 1]], :process 1, :index 3}',
      '{:type :invoke, :f :txn, :value [[:r 1 nil] [:r 2 nil]], :process 0, :index 4}',
      '{:type :ok, :f :txn, :value [[:r 1 [1]] [:r 2 [1]]], :process 0, :index 5}',
    ].join('\n');
    const file = write('skew.edn', edn);
    expect(JSON.parse(run(file, '--models', 'snapshot-isolation').stdout)).toMatchObject({ valid: true, format: 'txn-edn' });
    expect(JSON.parse(run(file).stdout)).toMatchObject({ valid: false, anomalyTypes: ['G2-item'] });
  });

  it('rejects a typo in one line, exit 2, naming the transaction and field', () => {
    const bad = { ...writeSkew, transactions: [{ ...writeSkew.transactions[0], outcome: 'comitted' }] };
    const out = run(write('bad.json', JSON.stringify(bad)));
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/transactions\[0\]\.outcome: got "comitted"; allowed: committed, aborted, unknown/);
    expect(run(write('ok.json', JSON.stringify(writeSkew)), '--workload', 'kv').stderr).toMatch(/--workload is "kv"; allowed: list-append, rw-register/);
  });
});
