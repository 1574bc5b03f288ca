/** lib/lessons/00-getting-started: the code of notebook 00, the simulator: regions, messages, partitions, crashes. See README.md for which section uses what. */
export * from './network-basics';
