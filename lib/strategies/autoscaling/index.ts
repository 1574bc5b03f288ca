/**
 * lib/strategies/autoscaling — a read-replica fleet that scales per region on a leader–follower
 * cluster: the provisioning model (base-backup copy, WAL catch-up, ready under the lag objective,
 * drain on removal), the fleet simulation stepped per minute, the policies (static, reactive
 * threshold, Kubernetes-HPA target tracking, scheduled pre-warm, seasonal-naive predictive), cost
 * per region from data/replica-cost.json, and the measures that compare policies.
 */
export * from './hpa';
export * from './provisioning';
export * from './policies';
export * from './replica-cost';
export * from './fleet';
export * from './measures';
