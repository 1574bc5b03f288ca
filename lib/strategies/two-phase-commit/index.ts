/**
 * Two-phase commit for inter-bank transfers: coordinator and participants with presumed
 * abort, the decision forced to the coordinator's WAL before it is sent, timeouts,
 * in-doubt recovery by asking the coordinator, cooperative termination among
 * participants, and the measurements of notebook 04.
 */
export { twoPhaseCommit, DEFAULT_BANKS, ATM_ACCOUNT } from './cluster';
export type { TwoPhaseCommitOptions, TwoPhaseCommitCluster, TwoPhaseLoadOptions, ProtocolOptions, SiteOptions, LocalLoadSpec, GlobalTransferOperation } from './cluster';
export { coordinatorNode, participantOps } from './coordinator';
export type { CoordinatorConfig, CoordinatorNode, CoordinatorRecord } from './coordinator';
export { participantNode } from './participant';
export type { ParticipantConfig, ParticipantNode, LocalLoadOptions } from './participant';
export { TwoPhaseMetrics } from './metrics';
export type { InDoubtInterval, VoteRecord, DecisionRecord, LocalTransactionRecord, CoordinatorEvent } from './metrics';
export type { TransferLeg, ParticipantOp, Decision, VoteNoReason, TwoPhaseMessage } from './messages';
