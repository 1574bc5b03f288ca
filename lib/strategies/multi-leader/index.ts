/**
 * lib/strategies/multi-leader: master–master replication (notebook 02). A leader per
 * region accepts writes locally and replicates them asynchronously; conflicts are
 * detected with version vectors and resolved by a pluggable policy (LWW by wall clock,
 * LWW by HLC, siblings), or avoided by the UPI business rule (commutative credits and
 * debits, idempotency by transaction id).
 */
export { multiLeaderRegisters } from './multi-leader-registers';
export type { MultiLeaderRegisters, MultiLeaderRegistersOptions, PutRecord, ConflictRecord } from './multi-leader-registers';
export { multiLeaderLedger } from './multi-leader-ledger';
export type { MultiLeaderLedger, MultiLeaderLedgerOptions, PaymentRecord, LedgerEventRecord } from './multi-leader-ledger';
export type { MultiLeaderOptions, LeaderCluster } from './leader-cluster';
export { LeaderNode } from './leader-node';
export type { LeaderConfig, LeaderMessage, ReplicatedData } from './leader-node';
export { LeaderOpLog } from './leader-op-log';
export type { AppendOutcome } from './leader-op-log';
export { RegisterStore } from './register-store';
export type { PutPayload, ApplyResult, LostUpdate } from './register-store';
export { UpiLedger, checkPayment } from './upi-ledger';
export type { PaymentPayload, JournalEntry, LedgerOutcome } from './upi-ledger';
export { conflictPolicy, laterWrite, LWW_PHYSICAL, LWW_HLC, SIBLINGS, BUILT_IN_POLICIES } from './conflict-policy';
export type { ConflictPolicy, LastWriterWinsPolicy, SiblingsPolicy, BuiltInPolicyName, StoredWrite, RegisterKeyState } from './conflict-policy';
export { dotLabel, hlcLabel } from './logged-op';
export type { LoggedOp } from './logged-op';
