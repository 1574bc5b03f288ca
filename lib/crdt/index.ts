/**
 * State-based CRDTs for the eventual-consistency lessons. Each type is an object of pure
 * functions over plain-JSON states (see crdt-type.ts): `T.empty()`, the update operations,
 * `T.value(state)`, `T.merge(a, b)`.
 */
export type { CrdtType } from './crdt-type';
export type { JsonValue } from './canonical-json';
export { canonicalJson, sameJson, compareJson } from './canonical-json';
export type { GCounterState } from './g-counter';
export { GCounter } from './g-counter';
export type { PNCounterState } from './pn-counter';
export { PNCounter } from './pn-counter';
export type { GSetState } from './g-set';
export { GSet } from './g-set';
export type { ORSetState, ORSetEntry } from './or-set';
export { ORSet } from './or-set';
export type { LWWRegisterState, LWWWrite, LWWTimestamp } from './lww-register';
export { LWWRegister } from './lww-register';
export type { MVRegisterState } from './mv-register';
export { MVRegister } from './mv-register';
export type { ORMapState, ORMapEntry, ORMapType } from './or-map';
export { ORMap } from './or-map';
