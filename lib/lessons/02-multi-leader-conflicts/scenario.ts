/**
 * Notebook 02's scenario: UPI on leaders in Mumbai, Delhi and Bangalore. Each experiment of the
 * lesson takes a seed, runs one simulation and returns plain records.
 */
/** The regions that each run a leader. */
export const UPI_LEADER_REGIONS: readonly string[] = ['mumbai', 'delhi', 'bangalore'];
