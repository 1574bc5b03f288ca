/**
 * `checkTransactions`: which isolation anomalies does a history of transactions contain, and
 * which consistency models does it therefore rule out? An Elle-style checker (Kingsbury &
 * Alvaro, "Elle: Inferring Isolation Anomalies from Experimental Observations", VLDB 2020):
 *
 * 1. infer ww / wr / rw dependencies (and process or real-time order) from the values read;
 * 2. find the non-cyclic anomalies on the way (aborted read G1a, intermediate read G1b, internal
 *    inconsistency, dirty update, duplicated elements, incompatible orders, lost update, …);
 * 3. split the graph into strongly connected components and, in each, search for the shortest
 *    cycle of each of Adya's shapes, worst first (G0, G1c, G-single, G-nonadjacent, G2-item, then
 *    their -process and -realtime variants), skipping a shape already implied by one found;
 * 4. report, as Elle does, `valid` (false if an anomaly the requested models prohibit was found,
 *    "unknown" if the graph was empty or the search ran out of time), the anomaly types worth
 *    reporting, and `not`: the weakest models the history rules out.
 */
import { OptionError } from '../util/option-error';
import {
  anomaliesImplying,
  anomaliesProhibitedBy,
  boundary,
  canonicalModel,
  impliedAnomalies,
} from './txn-consistency-models';
import {
  CycleShape,
  CycleStep,
  DepGraph,
  findCycle,
  PROCESS,
  REALTIME,
  REL_NAMES,
  RelName,
  RW,
  SearchBudget,
  WR,
  WW,
} from './txn-graph';
import { Mop, opsFromRecords, Txn, TxnElement, TxnHistoryError, TxnKey, transactionsOf, TxnWorkload } from './txn-history';
import { AnomalyCases, inferDependencies } from './txn-infer';

export interface TxnCheckOptions {
  workload: TxnWorkload;
  /** Models the history should satisfy. Omitted: strict-serializable. `null`: none (only `anomalies`). */
  consistencyModels?: string[] | null;
  /** Specific anomalies to look for, in addition (e.g. ['G1'] also catches G1a, G1b, G1c, G0). */
  anomalies?: string[];
  /** Time budget for the cycle search, ms (default 10 000). Past it: `cycle-search-timeout`. */
  cycleSearchTimeoutMs?: number;
  wfrKeys?: boolean;
  sequentialKeys?: boolean;
  linearizableKeys?: boolean;
  transactionOrder?: Record<string, number>;
  /** Clock for the budget (tests inject a fake one); defaults to the wall clock. */
  now?: () => number;
}

export interface CycleExplanation {
  type: string;
  /** Transaction ids around the cycle, the first repeated at the end. */
  cycle: number[];
  steps: Array<{ type: RelName; key?: TxnKey; value?: unknown; "value'"?: unknown }>;
  /** The cycle in sentences. */
  text: string;
}

export interface TxnCheckResult {
  valid: true | false | 'unknown';
  /** Anomaly types worth reporting for these options (sorted as Elle sorts them). */
  anomalyTypes: string[];
  anomalies: Record<string, unknown>;
  /** The weakest models ruled out by every anomaly found (reported or not). */
  not: string[];
  alsoNot: string[];
  /** Every anomaly type found, whether or not these options prohibit it. */
  foundTypes: string[];
  transactionCount: number;
  edgeCount: number;
  sccCount: number;
  elapsedMs: number;
  /** One sentence per reported anomaly, for a learner. */
  explanations: string[];
}

const BASE_SHAPES = ['G0', 'G1c', 'G-single-item', 'G-nonadjacent-item', 'G2-item'] as const;
const UNKNOWN_TYPES = ['empty-transaction-graph', 'cycle-search-timeout'];
export const DEFAULT_CYCLE_SEARCH_TIMEOUT_MS = 10_000;

/** The automaton for one cycle shape, optionally requiring a process or realtime edge. */
function shapeOf(base: (typeof BASE_SHAPES)[number], variant: 0 | typeof PROCESS | typeof REALTIME): CycleShape {
  // State bits: 1 = last step was rw, 2 = two or more rw steps, 4 = two rw steps adjacent, 8 = variant edge seen.
  const name = variant === 0 ? base : `${base}-${variant === PROCESS ? 'process' : 'realtime'}`;
  const extra = variant;
  const variantOk = (s: number) => variant === 0 || (s & 8) !== 0;
  const mark = (s: number, rel: number) => (rel === variant && variant !== 0 ? s | 8 : s);
  switch (base) {
    case 'G0':
      return { name, allowed: WW | extra, start: WW, states: 16, initial: () => 0, step: (s, rel) => mark(s, rel), accept: (s) => variantOk(s) };
    case 'G1c':
      return { name, allowed: WW | WR | extra, start: WR, states: 16, initial: () => 0, step: (s, rel) => mark(s, rel), accept: (s) => variantOk(s) };
    case 'G-single-item':
      return {
        name, allowed: WW | WR | extra, start: RW, states: 16,
        initial: () => 1, step: (s, rel) => mark(s & ~1, rel), accept: (s) => variantOk(s),
      };
    case 'G-nonadjacent-item':
      return {
        name, allowed: WW | WR | RW | extra, start: RW, states: 16,
        initial: () => 1,
        step: (s, rel) => (rel === RW ? ((s & 1) !== 0 ? -1 : s | 1 | 2) : mark(s & ~1, rel)),
        accept: (s) => (s & 1) === 0 && (s & 2) !== 0 && variantOk(s),
      };
    case 'G2-item':
      return {
        name, allowed: WW | WR | RW | extra, start: RW, states: 16,
        initial: () => 1,
        step: (s, rel) => (rel === RW ? s | 1 | 2 | ((s & 1) !== 0 ? 4 : 0) : mark(s & ~1, rel)),
        accept: (s) => (s & 2) !== 0 && ((s & 4) !== 0 || (s & 1) !== 0) && variantOk(s),
      };
  }
}

/** The shape a cycle actually has, from its steps (Elle's cycle explainer). */
export function classifyCycle(steps: readonly CycleStep[]): string {
  const rels = steps.map((s) => s.rel);
  const count = (r: number) => rels.filter((x) => x === r).length;
  const rw = count(RW);
  let adjacent = false;
  for (let i = 0; i < rels.length; i++) if (rels[i] === RW && rels[(i + 1) % rels.length] === RW) adjacent = true;
  const base = rw === 1 ? 'G-single-item' : rw > 1 ? (adjacent ? 'G2-item' : 'G-nonadjacent-item') : count(WR) > 0 ? 'G1c' : 'G0';
  return base + (count(REALTIME) > 0 ? '-realtime' : count(PROCESS) > 0 ? '-process' : '');
}

function describeValue(v: unknown): string {
  if (v === 'initial' || v === null) return 'the initial (empty) version';
  return JSON.stringify(v);
}

function explainCycle(graph: DepGraph, type: string, steps: CycleStep[]): CycleExplanation {
  const ids = steps.map((s) => graph.idOf(s.from));
  const explained = steps.map((s) => {
    const a = graph.idOf(s.from);
    const b = graph.idOf(s.to);
    const why = graph.explain(a, b, s.rel);
    const step: CycleExplanation['steps'][number] = { type: REL_NAMES[s.rel] };
    if (why.key !== undefined) step.key = why.key;
    if (why.value !== undefined) step.value = why.value === 'initial' ? null : why.value;
    if (why.valueAfter !== undefined) step["value'"] = why.valueAfter;
    return { step, a, b, why };
  });
  const sentences = explained.map(({ step, a, b, why }) => {
    const k = why.key !== undefined ? JSON.stringify(why.key) : '';
    switch (step.type) {
      case 'ww': return `T${a} wrote ${k} = ${describeValue(why.value)} and T${b} wrote the next version ${describeValue(why.valueAfter)} (ww)`;
      case 'wr': return `T${b} read T${a}'s write of ${describeValue(why.value)} to ${k} (wr)`;
      case 'rw': return `T${a} read ${describeValue(why.value)} of ${k}, which T${b} then replaced with ${describeValue(why.valueAfter)} (rw: T${a} missed T${b}'s write)`;
      case 'process': return `T${a} came before T${b} on the same client (process order)`;
      default: return `T${a} finished before T${b} began (real time)`;
    }
  });
  const ring = [...ids, ids[0]].map((id) => `T${id}`).join(' → ');
  return {
    type,
    cycle: [...ids, ids[0]],
    steps: explained.map((e) => e.step),
    text: `${type}: ${ring}. ${sentences.join('; ')}. No serial order can put each transaction after the one before it.`,
  };
}

function checkOptions(options: TxnCheckOptions): void {
  if (typeof options !== 'object' || options === null) throw new OptionError(`checkTransactions: options = ${String(options)}; allowed: an object with workload`);
  if (options.workload !== 'list-append' && options.workload !== 'rw-register') {
    throw new OptionError(`checkTransactions: workload = ${JSON.stringify(options.workload)} is not allowed; allowed: "list-append" | "rw-register"`);
  }
  const t = options.cycleSearchTimeoutMs;
  if (t !== undefined && (typeof t !== 'number' || !(t > 0))) {
    throw new OptionError(`checkTransactions: cycleSearchTimeoutMs = ${JSON.stringify(t)} is not allowed; allowed: a number > 0 (ms)`);
  }
  if (options.anomalies !== undefined && !Array.isArray(options.anomalies)) {
    throw new OptionError(`checkTransactions: anomalies = ${JSON.stringify(options.anomalies)} is not allowed; allowed: a list such as ["G1", "G2"]`);
  }
}

/** Checks a history given as Jepsen/Elle operations (`invoke`/`ok`/`fail`/`info`). */
export function checkTransactions(history: readonly unknown[], options: TxnCheckOptions): TxnCheckResult {
  checkOptions(options);
  return checkTxns(transactionsOf(options.workload, history), options);
}

/** Checks the workbook's transaction records (`{process, callMs, returnMs, outcome, ops}`). */
export function checkTransactionRecords(records: readonly unknown[], options: TxnCheckOptions): TxnCheckResult {
  checkOptions(options);
  return checkTxns(transactionsOf(options.workload, opsFromRecords(options.workload, records)), options);
}

/** The anomaly types that make a history invalid under `options`. */
export function prohibitedAnomalies(options: Pick<TxnCheckOptions, 'consistencyModels' | 'anomalies'>): Set<string> {
  const models = options.consistencyModels === undefined ? ['strict-serializable'] : options.consistencyModels ?? [];
  const canonical = models.map((m, i) => canonicalModel(`consistencyModels[${i}]`, m));
  const prohibited = anomaliesProhibitedBy(canonical);
  for (const a of anomaliesImplying(options.anomalies ?? [])) prohibited.add(a);
  return prohibited;
}

function checkTxns(txns: Txn[], options: TxnCheckOptions): TxnCheckResult {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const prohibited = prohibitedAnomalies(options);
  const reportable = new Set([...prohibited, ...UNKNOWN_TYPES]);
  const wants = (suffix: string) => [...reportable].some((a) => a.endsWith(suffix));
  const orderEdges = wants('-realtime') ? 'realtime' : wants('-process') ? 'process' : 'none';
  const inference = inferDependencies(txns, {
    workload: options.workload,
    orderEdges,
    wfrKeys: options.wfrKeys,
    sequentialKeys: options.sequentialKeys,
    linearizableKeys: options.linearizableKeys,
    transactionOrder: options.transactionOrder,
  });
  const { graph } = inference;
  const anomalies: Record<string, unknown[] | true> = { ...inference.anomalies };
  if (graph.edgeCount === 0) anomalies['empty-transaction-graph'] = true;

  const budget: SearchBudget = {
    deadline: started + (options.cycleSearchTimeoutMs ?? DEFAULT_CYCLE_SEARCH_TIMEOUT_MS),
    now,
    timedOut: false,
  };
  const variants: Array<0 | typeof PROCESS | typeof REALTIME> = [0];
  if (orderEdges === 'process') variants.push(PROCESS);
  if (orderEdges === 'realtime') variants.push(REALTIME);
  const components = graph.components(WW | WR | RW | PROCESS | REALTIME);
  for (const component of components) {
    const found = new Set<string>();
    let skipped = new Set<string>();
    for (const variant of variants) {
      for (const base of BASE_SHAPES) {
        const shape = shapeOf(base, variant);
        if (skipped.has(shape.name)) continue;
        const steps = findCycle(graph, component, shape, budget);
        if (budget.timedOut) {
          (anomalies['cycle-search-timeout'] ??= [] as unknown[]);
          (anomalies['cycle-search-timeout'] as unknown[]).push({
            'anomaly-spec-type': shape.name,
            'does-not-contain': [...BASE_SHAPES].filter((b) => !found.has(b)).slice(0, BASE_SHAPES.indexOf(base)),
            'scc-size': component.length,
          });
          break;
        }
        if (!steps) continue;
        const type = classifyCycle(steps);
        if (type !== shape.name) continue;
        found.add(type);
        (anomalies[type] ??= [] as unknown[]);
        (anomalies[type] as unknown[]).push(explainCycle(graph, type, steps));
        skipped = new Set([...skipped, ...impliedAnomalies([type])]);
      }
      if (budget.timedOut) break;
    }
    if (budget.timedOut) break;
  }

  const foundTypes = Object.keys(anomalies).sort();
  const reported = foundTypes.filter((t) => reportable.has(t));
  const bad = reported.filter((t) => prohibited.has(t));
  const { not, alsoNot } = boundary(foundTypes.filter((t) => !UNKNOWN_TYPES.includes(t)));
  const reportedAnomalies: Record<string, unknown> = {};
  for (const t of reported) reportedAnomalies[t] = anomalies[t];
  const valid: TxnCheckResult['valid'] = reported.length === 0 ? true : bad.length > 0 ? false : 'unknown';
  return {
    valid,
    anomalyTypes: reported,
    anomalies: reportedAnomalies,
    not: reported.length === 0 ? [] : not,
    alsoNot: reported.length === 0 ? [] : alsoNot,
    foundTypes,
    transactionCount: txns.length,
    edgeCount: graph.edgeCount,
    sccCount: components.length,
    elapsedMs: now() - started,
    explanations: explanationsOf(reportedAnomalies),
  };
}

function explanationsOf(anomalies: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [type, cases] of Object.entries(anomalies)) {
    if (cases === true) {
      out.push(type === 'empty-transaction-graph'
        ? 'No dependency between committed transactions could be inferred, so nothing can be said about their order (verdict unknown).'
        : `${type}`);
      continue;
    }
    for (const c of cases as unknown[]) {
      const x = c as Record<string, unknown>;
      if (typeof x.text === 'string') out.push(x.text);
      else if (type === 'G1a') out.push(`G1a (aborted read): T${x.op} read ${JSON.stringify((x.mop as Mop)[2])} of ${JSON.stringify((x.mop as Mop)[1])}, which includes a write of T${x.writer}, a transaction that aborted.`);
      else if (type === 'G1b') out.push(`G1b (intermediate read): T${x.op} read ${JSON.stringify((x.mop as Mop)[2])} of ${JSON.stringify((x.mop as Mop)[1])}, a version T${x.writer} overwrote before it committed.`);
      else if (type === 'lost-update') out.push(`lost update: transactions ${(x.txns as number[]).map((t) => `T${t}`).join(', ')} all read ${JSON.stringify(x.value)} of ${JSON.stringify(x.key)} and all wrote ${JSON.stringify(x.key)}: all but one update is lost.`);
      else if (type === 'internal') out.push(`internal: T${x.op} read ${JSON.stringify((x.mop as Mop)[2])} of ${JSON.stringify((x.mop as Mop)[1])}, but its own earlier reads and writes say it should be ${JSON.stringify(x.expected)}.`);
      else out.push(`${type}: ${JSON.stringify(x)}`);
    }
  }
  return out;
}

/** Re-exported helpers for callers that build histories. */
export type { Mop, TxnElement, TxnKey, TxnWorkload };
export { TxnHistoryError };
