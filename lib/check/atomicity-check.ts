/**
 * What must hold after any 2PC run once faults have healed and everything is resolved:
 *
 * 1. Atomicity: no global transaction committed at one participant and aborted (or
 *    refused) at another.
 * 2. A client told "decision to commit" finds the transfer committed at every
 *    participant; a client told "abort" finds it committed nowhere.
 * 3. Nothing left in doubt (when the run was given time to resolve).
 * 4. Money is conserved across all banks, and each bank's balances equal its opening
 *    balances plus the legs of the transfers it committed plus its own local transfers.
 * 5. The clearing house holds a settlement entry for exactly the committed transfers.
 */
import type { GidOutcome, JsonValue } from '../storage';
import { ACCOUNT_PREFIX, TRANSFER_PREFIX, TransferRecord } from './ledger-check';

// The shapes this checker reads from a 2PC run (the same as lib/strategies/two-phase-commit's
// messages, declared here because a checker may not import a strategy).
/** One leg of a transfer: money into (+) or out of (−) an account at one bank. */
export interface TransferLeg {
  bank: string;
  account: string;
  deltaPaise: number;
}
export type Decision = 'commit' | 'abort';

export interface ParticipantState {
  id: string;
  /** Local outcome of each global transaction this participant knows. */
  outcomes: Array<[string, GidOutcome]>;
  /** Global transactions still prepared here. */
  inDoubt: string[];
  /** Committed rows of the participant's database. */
  rows: Array<[string, JsonValue]>;
}

export interface AtomicityCheckInput {
  participants: ParticipantState[];
  /** The clearing house participant id, or null. */
  clearing: string | null;
  /** Every transfer requested, with its legs. */
  transfers: Array<{ gid: string; legs: TransferLeg[]; told: Decision | null }>;
  /** Opening balances per bank. */
  openingBalances: Record<string, Record<string, number>>;
  /** Also require that nothing is still in doubt (true after a healed, quiet period). */
  requireResolved: boolean;
}

export interface AtomicityCheckResult {
  ok: boolean;
  globalTransactions: number;
  committedEverywhere: number;
  abortedEverywhere: number;
  stillInDoubt: number;
  totalPaise: number;
  expectedTotalPaise: number;
  violations: string[];
}

const LISTED_MAX = 20;

export function checkAtomicity(input: AtomicityCheckInput): AtomicityCheckResult {
  const violations: string[] = [];
  const note = (text: string) => {
    if (violations.length < LISTED_MAX) violations.push(text);
  };
  const outcomeAt = new Map<string, Map<string, GidOutcome | 'prepared'>>();
  for (const p of input.participants) {
    const map = new Map<string, GidOutcome | 'prepared'>(p.outcomes);
    for (const gid of p.inDoubt) map.set(gid, 'prepared');
    outcomeAt.set(p.id, map);
  }
  let committedEverywhere = 0;
  let abortedEverywhere = 0;
  let stillInDoubt = 0;
  const committedGids = new Set<string>();
  for (const t of input.transfers) {
    const participants = [...new Set(t.legs.map((l) => l.bank))];
    if (input.clearing) participants.push(input.clearing);
    const states = participants.map((p) => outcomeAt.get(p)?.get(t.gid));
    const committed = states.filter((s) => s === 'committed').length;
    const aborted = states.filter((s) => s === 'aborted' || s === 'refused').length;
    const prepared = states.filter((s) => s === 'prepared').length;
    stillInDoubt += prepared;
    if (committed > 0) committedGids.add(t.gid);
    if (committed > 0 && aborted > 0) note(`atomicity broken: ${t.gid} committed at ${participants.filter((_, i) => states[i] === 'committed').join(', ')} but aborted at ${participants.filter((_, i) => states[i] === 'aborted' || states[i] === 'refused').join(', ')}`);
    if (committed === participants.length) committedEverywhere++;
    else if (committed === 0 && prepared === 0) abortedEverywhere++;
    if (t.told === 'commit' && input.requireResolved && committed !== participants.length) {
      note(`client was told ${t.gid} is committed, but it is committed at only ${committed} of ${participants.length} participants (${participants.map((p, i) => `${p}: ${states[i] ?? 'unknown'}`).join(', ')})`);
    }
    if (t.told === 'abort' && committed > 0) note(`client was told ${t.gid} aborted, but it committed at ${committed} participants`);
    if (input.requireResolved && prepared > 0) note(`${t.gid} is still in doubt at ${prepared} participants`);
    if (input.requireResolved && committed > 0 && committed < participants.length) note(`${t.gid} committed at ${committed} of ${participants.length} participants after everything healed`);
  }

  // Money: per bank, opening + committed legs + local transfers (which move money inside the bank).
  let totalPaise = 0;
  let expectedTotalPaise = 0;
  for (const p of input.participants) {
    const opening = input.openingBalances[p.id];
    if (!opening) continue;
    const expected = new Map<string, number>(Object.entries(opening));
    for (const amount of expected.values()) expectedTotalPaise += amount;
    const balances = new Map<string, number>();
    for (const [key, value] of p.rows) {
      if (key.startsWith(ACCOUNT_PREFIX)) balances.set(key.slice(ACCOUNT_PREFIX.length), value as number);
      else if (key.startsWith(TRANSFER_PREFIX)) {
        const local = value as unknown as TransferRecord;
        expected.set(local.from, (expected.get(local.from) ?? NaN) - local.amountPaise);
        expected.set(local.to, (expected.get(local.to) ?? NaN) + local.amountPaise);
      }
    }
    for (const t of input.transfers) {
      if (!committedGids.has(t.gid) || outcomeAt.get(p.id)?.get(t.gid) !== 'committed') continue;
      for (const leg of t.legs) if (leg.bank === p.id) expected.set(leg.account, (expected.get(leg.account) ?? NaN) + leg.deltaPaise);
    }
    for (const amount of balances.values()) totalPaise += amount;
    for (const [account, want] of expected) {
      const have = balances.get(account);
      if (have !== want) note(`${p.id}: account ${account} holds ${have} paise; opening balance and committed transfers say ${want}`);
    }
  }
  if (totalPaise !== expectedTotalPaise) note(`money not conserved across banks: ${totalPaise} paise now, ${expectedTotalPaise} opened with`);

  if (input.clearing) {
    const clearing = input.participants.find((p) => p.id === input.clearing);
    if (clearing) {
      const settled = new Set(clearing.rows.filter(([k]) => k.startsWith('settle:')).map(([k]) => k.slice('settle:'.length)));
      for (const gid of settled) if (!committedGids.has(gid)) note(`clearing house holds a settlement for ${gid}, which committed nowhere else`);
      for (const gid of committedGids) if (outcomeAt.get(input.clearing)?.get(gid) === 'committed' && !settled.has(gid)) note(`clearing house committed ${gid} but has no settlement entry`);
    }
  }
  return {
    ok: violations.length === 0,
    globalTransactions: input.transfers.length,
    committedEverywhere,
    abortedEverywhere,
    stillInDoubt,
    totalPaise,
    expectedTotalPaise,
    violations,
  };
}
