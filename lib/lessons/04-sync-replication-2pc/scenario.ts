/**
 * Notebook 04's scenario: NEFT/RTGS between banks over two-phase commit. Each experiment of the
 * lesson is a plain function of a seed returning records for tables and plots; times are
 * simulated ms.
 */
import { SiteOptions } from '../../strategies/two-phase-commit';

/** The banks of the throughput experiments, one per region. */
export const BANK_SITES: SiteOptions[] = [
  { id: 'hdfc', region: 'mumbai' },
  { id: 'sbi', region: 'delhi' },
  { id: 'canara', region: 'bangalore' },
  { id: 'indian-bank', region: 'chennai' },
  { id: 'uco', region: 'kolkata' },
  { id: 'axis', region: 'hyderabad' },
];
