// Proves the check-history command: one line of JSON and exit 0 for every verdict, and a
// one-line message with exit 2 (never a stack trace) for malformed input.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const projectRoot = path.resolve(__dirname, '..', '..');
let dir = '';

function run(...args: string[]) {
  const result = spawnSync('npx', ['tsx', 'scripts/check-history.ts', ...args], { cwd: projectRoot, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const ops = [
  { process: 0, call: 0, return: 3, input: { f: 'write', value: 1 }, output: {} },
  { process: 1, call: 4, return: 5, input: { f: 'read' }, output: { value: null } },
];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-history-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('check-history command', () => {
  it('prints one JSON line and exits 0 for a linearizable history', () => {
    const out = run(write('ok.json', { model: 'register', operations: [ops[0]] }));
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]);
    expect(report).toMatchObject({ verdict: 'linearizable', model: 'register', format: 'json', operations: 1, keys: 1 });
    expect(typeof report.elapsedMs).toBe('number');
  });

  it('exits 0 for a not-linearizable history and names the operation that cannot be placed', () => {
    const out = run(write('stale.json', { model: 'register', operations: ops }));
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.verdict).toBe('not-linearizable');
    expect(report.offendingOperations).toEqual([1]);
    expect(report.counterexample[0].blocked[0]).toMatchObject({ index: 1, operation: 'read() → null' });
  });

  it('exits 0 with verdict unknown when the time budget is 0', () => {
    const out = run(write('budget.json', { model: 'register', operations: ops }), '--timeout-ms', '0');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).verdict).toBe('unknown');
  });

  it('reads a Jepsen log given --format, with line numbers in the counterexample', () => {
    const log = ['INFO  jepsen.util - 0\t:invoke\t:write\t1', 'INFO  jepsen.util - 0\t:ok\t:write\t1', 'INFO  jepsen.util - 1\t:invoke\t:read\tnil', 'INFO  jepsen.util - 1\t:ok\t:read\tnil'].join('\n');
    const out = run(write('etcd.log', log), '--format', 'jepsen');
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report).toMatchObject({ verdict: 'not-linearizable', format: 'jepsen' });
    expect(report.counterexample[0].blocked[0].line).toBe(3);
  });

  it('adds session results with --session and refuses it without versions', () => {
    const versioned = [
      { process: 0, call: 0, return: 1, input: { f: 'put', key: 'x', value: 'a' }, output: { version: 4 } },
      { process: 0, call: 2, return: 3, input: { f: 'get', key: 'x' }, output: { value: '', version: 0 } },
    ];
    const out = run(write('session.json', { model: 'kv', operations: versioned }), '--session');
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.session.readYourWrites).toMatchObject({ ok: false, violationCount: 1 });
    const missing = run(write('noversions.json', { model: 'register', operations: ops }), '--session');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('without "version"');
  });

  const malformed: Array<[string, string, RegExp]> = [
    ['missing file', '', /check-history: cannot read ".*nope\.json": no such file/],
    ['bad JSON', '{"model": "register", "operations": [', /check-history: the history is not valid JSON/],
    ['unknown model', JSON.stringify({ model: 'queue', operations: [] }), /field "model" is "queue"; allowed: "register", "kv"/],
    [
      'an operation missing a field',
      JSON.stringify({ model: 'register', operations: [ops[0], { process: 1, call: 4, return: 5, input: { f: 'read' } }] }),
      /operation 1: field "output" is missing; expected an object/,
    ],
  ];
  for (const [name, content, message] of malformed) {
    it(`exits 2 with a one-line message and no stack trace on ${name}`, () => {
      const file = name === 'missing file' ? path.join(dir, 'nope.json') : write(`${name.replace(/ /g, '-')}.json`, content);
      const out = run(file);
      expect(out.code).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
      expect(out.stderr).toMatch(message);
      expect(out.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('exits 2 on an unknown option and names the allowed ones', () => {
    const out = run(write('ok2.json', { model: 'register', operations: [] }), '--fromat', 'json');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('unknown option "--fromat"; allowed: --format');
  });
});
