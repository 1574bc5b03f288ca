/**
 * Notebook 06 — flash-sale inventory across regional warehouses (Myntra's End of Reason Sale):
 * the scenario, one sale per strategy and fault judged by the inventory checker, the series the
 * figures draw, and the findings the notebook prints.
 */
export * from './scenario';
export * from './sale-run';
export * from './findings';
export * from './postgres-race';
