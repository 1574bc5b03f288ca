/** lib/lessons/03-eventual-consistency-crdts: the code of notebook 03, eventual consistency and CRDTs (Flipkart stock). See README.md for which section uses what. */
export * from './scenario';
export * from './crash-catch-up';
export * from './gossip-convergence';
export * from './merkle-bytes';
export * from './stock-partition';
