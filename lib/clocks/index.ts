/**
 * Logical clocks for the multi-leader and eventual-consistency lessons: Lamport clocks,
 * vector clocks, dotted version vector sets (Riak-style siblings) and hybrid logical
 * clocks. Everything is immutable plain data with pure functions, so clocks can be put
 * into simulated messages and compared in tests.
 */
export type { NodeId } from './node-id';
export { assertNodeId, compareNodeIds, describeValue } from './node-id';
export type { LamportClock } from './lamport';
export { Lamport } from './lamport';
// VectorClock and Dot are each both a type (the plain data) and a namespace of functions.
export type { CausalOrder } from './vector-clock';
export { VectorClock } from './vector-clock';
export { Dot } from './dot';
export type { DvvSet, DvvPut, DvvOptions, Sibling } from './dotted-version-vector';
export { Dvv, SIBLING_COUNT_MAX_DEFAULT } from './dotted-version-vector';
export type { HlcTimestamp, HlcOptions } from './hlc';
export { Hlc, HlcMaxOffsetError, HLC_LOGICAL_MAX_DEFAULT } from './hlc';
