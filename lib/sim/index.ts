/**
 * lib/sim — the deterministic simulator every lesson runs on, and that knows nothing about
 * replication: virtual time and an event queue ordered by (time, sequence number); one seeded
 * PRNG split into independent streams; a network of Indian regions with latency from the RTT
 * matrix, jitter, a congestion tail, loss, duplication, reordering and partitions; nodes that act
 * only through an injected context, with crashable disks whose un-fsynced writes die with them
 * and clocks with skew and drift; faults as named, scheduled events; a trace for space-time
 * diagrams; and message isolation (every object message is the receiver's own copy).
 * Measurement helpers that several strategies share (message meters, wire sizes, periodic
 * sampling) live here too, below every strategy. Option errors come from lib/util.
 */
export * from '../util/option-error';
export * from './rng';
export * from './event-queue';
export * from './topology';
export * from './network-model';
export * from './node-clock';
export * from './disk';
export * from './history';
export * from './history-recorder';
export * from './trace';
export * from './trace-hash';
export * from './simulation';
export * from './fault-schedule';
export { copyMessage } from './message-copy';
export * from './message-meter';
export * from './wire-size';
export * from './sampling';
