// Proves the three readers (JSON, Jepsen etcd log, Porcupine kv log), format detection, and
// the precise messages for malformed input.
import { describe, expect, it } from 'vitest';
import { detectFormat, HistoryInputError, parseHistory, parseHistoryJson, parseJepsenLog, parsePorcupineKv } from '../../lib/check';

const EXAMPLE = JSON.stringify({
  model: 'register',
  operations: [
    { process: 0, call: 0, return: 3, input: { f: 'write', value: 1 }, output: {} },
    { process: 1, call: 1, return: 2, input: { f: 'read' }, output: { value: 1 } },
    { process: 2, call: 4, return: 9, input: { f: 'cas', from: 1, to: 2 }, output: { ok: false } },
    { process: 3, call: 5, return: null, input: { f: 'write', value: 7 }, output: null },
  ],
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HistoryInputError);
    return (error as Error).message;
  }
  throw new Error('expected a HistoryInputError');
}

describe('JSON history format', () => {
  it('reads the documented example', () => {
    const h = parseHistoryJson(EXAMPLE);
    expect(h.model).toBe('register');
    expect(h.format).toBe('json');
    expect(h.operations[3]).toEqual({ process: 3, call: 5, return: null, input: { f: 'write', value: 7 }, output: null });
  });

  it('names the operation index, the field, what was given and what is allowed', () => {
    const raw = JSON.parse(EXAMPLE);
    delete raw.operations[2].call;
    expect(messageOf(() => parseHistoryJson(JSON.stringify(raw)))).toBe(
      'operation 2: field "call" is missing; allowed: a finite number of ms',
    );
    raw.operations[2].call = 4;
    raw.operations[1].input.f = 'get';
    expect(messageOf(() => parseHistoryJson(JSON.stringify(raw)))).toBe(
      'operation 1: field "input.f" is "get"; allowed for model "register": "read", "write", "cas"',
    );
  });

  it('rejects an unknown model, bad JSON, a return before the call, and output on an open operation', () => {
    expect(messageOf(() => parseHistoryJson('{"model": "queue", "operations": []}'))).toBe(
      'field "model" is "queue"; allowed: "register", "kv"',
    );
    expect(messageOf(() => parseHistoryJson('{"model": '))).toMatch(/^the history is not valid JSON: /);
    const early = '{"model":"kv","operations":[{"process":0,"call":5,"return":2,"input":{"f":"get","key":"x"},"output":{"value":""}}]}';
    expect(messageOf(() => parseHistoryJson(early))).toContain('operation 0: field "return" is 2; an operation cannot return before its call');
    const open = '{"model":"kv","operations":[{"process":0,"call":5,"return":null,"input":{"f":"get","key":"x"},"output":{"value":""}}]}';
    expect(messageOf(() => parseHistoryJson(open))).toContain('must have "output": null');
  });

  it('requires a cas to say whether it succeeded', () => {
    const raw = JSON.parse(EXAMPLE);
    raw.operations[2].output = {};
    expect(messageOf(() => parseHistoryJson(JSON.stringify(raw)))).toContain('operation 2: field "output.ok" is missing');
  });
});

describe('Jepsen etcd log', () => {
  const log = [
    'INFO  jepsen.util - 0\t:invoke\t:write\t1',
    'INFO  jepsen.util - 1\t:invoke\t:cas\t[1 2]',
    'INFO  jepsen.util - 0\t:ok\t:write\t1',
    'INFO  jepsen.util - 2\t:invoke\t:read\tnil',
    'INFO  jepsen.util - 1\t:fail\t:cas\t[1 2]',
    'INFO  jepsen.core - something else entirely',
    'INFO  jepsen.util - 2\t:fail\t:read\t:timed-out',
    'INFO  jepsen.util - 3\t:invoke\t:write\t4',
    'INFO  jepsen.util - 3\t:info\t:write\t:timed-out',
    'INFO  jepsen.util - 4\t:invoke\t:read\tnil',
    'INFO  jepsen.util - 4\t:ok\t:read\t1',
  ].join('\n');

  it('pairs calls and returns by process, times them by line, and maps every outcome', () => {
    const h = parseJepsenLog(log);
    expect(h.model).toBe('register');
    expect(h.operations.map((op) => [op.input.f, op.call, op.return, op.output])).toEqual([
      ['write', 1, 3, {}],
      ['cas', 2, 5, { ok: false }], // a failed cas definitely did not take effect
      ['read', 4, 7, null], // timed-out read: returned, outcome unknown
      ['write', 8, null, null], // :info: never returned
      ['read', 10, 11, { value: 1 }],
    ]);
    expect(h.sourceLines?.[3]).toEqual({ callLine: 8, returnLine: null });
  });

  it('reports a completion without an open call with its line number', () => {
    expect(messageOf(() => parseJepsenLog('INFO  jepsen.util - 7\t:ok\t:read\t3'))).toBe(
      'line 1: process 7 completes :read (:ok), but it has no open call',
    );
    expect(messageOf(() => parseJepsenLog('INFO  jepsen.util - 7\t:invoke\t:cas\t[1]'))).toContain('line 1: value "[1]" for :invoke :cas; allowed: [FROM TO]');
  });
});

describe('Porcupine kv log', () => {
  const log = [
    '{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}',
    '{:process 1, :type :invoke, :f :get, :key "0", :value nil}',
    '{:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}',
    '{:process 1, :type :ok, :f :get, :key "0", :value "x 0 0 y"}',
  ].join('\n');

  it('reads append, get and their outputs', () => {
    const h = parsePorcupineKv(log);
    expect(h.model).toBe('kv');
    expect(h.operations).toEqual([
      { process: 0, call: 1, return: 3, input: { f: 'append', key: '0', value: 'x 0 0 y' }, output: {} },
      { process: 1, call: 2, return: 4, input: { f: 'get', key: '0' }, output: { value: 'x 0 0 y' } },
    ]);
  });

  it('names the line of a malformed event', () => {
    expect(messageOf(() => parsePorcupineKv(log + '\n{:process 1, :type :ok}'))).toMatch(/^line 5: .* is not a kv event; expected/);
  });
});

describe('format detection', () => {
  it('tells the three formats apart and refuses to guess on anything else', () => {
    expect(detectFormat(EXAMPLE)).toBe('json');
    expect(detectFormat('INFO  jepsen.util - 0\t:invoke\t:read\tnil\n')).toBe('jepsen');
    expect(detectFormat('{:process 0, :type :invoke, :f :get, :key "1", :value nil}')).toBe('porcupine-kv');
    expect(messageOf(() => detectFormat('hello world'))).toContain('cannot tell the format');
    expect(parseHistory(EXAMPLE).format).toBe('json');
    expect(messageOf(() => parseHistory(EXAMPLE, 'csv' as never))).toBe('format "csv" is unknown; allowed: json, jepsen, porcupine-kv');
  });
});
