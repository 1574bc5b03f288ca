/**
 * Small builders that keep the hand-made histories in the tests readable:
 * `w(0, 0, 3, 1)` is "client 0 wrote 1, called at 0, returned at 3".
 */
import type { CheckedOperation, KvValue, RegisterValue } from '../../lib/check';

export function w(process: number, call: number, ret: number | null, value: RegisterValue): CheckedOperation {
  return { process, call, return: ret, input: { f: 'write', value }, output: ret === null ? null : {} };
}

export function r(process: number, call: number, ret: number | null, value: RegisterValue): CheckedOperation {
  return { process, call, return: ret, input: { f: 'read' }, output: ret === null ? null : { value } };
}

export function cas(process: number, call: number, ret: number | null, from: RegisterValue, to: RegisterValue, ok: boolean | null): CheckedOperation {
  return { process, call, return: ret, input: { f: 'cas', from, to }, output: ok === null ? null : { ok } };
}

export function put(process: number, call: number, ret: number | null, key: string, value: KvValue): CheckedOperation {
  return { process, call, return: ret, input: { f: 'put', key, value }, output: ret === null ? null : {} };
}

export function append(process: number, call: number, ret: number | null, key: string, value: KvValue): CheckedOperation {
  return { process, call, return: ret, input: { f: 'append', key, value }, output: ret === null ? null : {} };
}

export function get(process: number, call: number, ret: number | null, key: string, value: KvValue): CheckedOperation {
  return { process, call, return: ret, input: { f: 'get', key }, output: ret === null ? null : { value } };
}
