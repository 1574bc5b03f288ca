/**
 * Inferring the dependency graph and the non-cyclic anomalies from what clients observed
 * (Elle's method, Kingsbury & Alvaro, VLDB 2020). Values written are unique per key, so every
 * value read names its writer; in list-append the longest read of a key gives that key's
 * version order outright; in rw-register the order is inferred from the initial state and
 * whatever else the options say is known (write-follows-read, per-process or real-time order,
 * a known commit order).
 */
import { DepGraph, PROCESS, REALTIME, RW, WR, WW } from './txn-graph';
import { Mop, Txn, TxnElement, TxnKey, TxnWorkload } from './txn-history';

/** Anomalies that need no cycle, by Elle's names, each a list of cases (plain JSON). */
export type AnomalyCases = Record<string, unknown[]>;

export interface InferOptions {
  workload: TxnWorkload;
  /** Which ordering edges to add: Elle adds realtime ones only when a realtime anomaly matters. */
  orderEdges: 'none' | 'process' | 'realtime';
  /** rw-register: within a transaction a write follows its read of the same key. */
  wfrKeys?: boolean;
  /** rw-register: each process observes every key's versions in order. */
  sequentialKeys?: boolean;
  /** rw-register: every key's versions follow real time. */
  linearizableKeys?: boolean;
  /** rw-register: completion index → position in a known commit order. */
  transactionOrder?: Record<string, number>;
}

export interface Inference {
  graph: DepGraph;
  anomalies: AnomalyCases;
  /** list-append: version order per key (JSON of the key → elements). */
  versionOrders: Map<string, TxnElement[]>;
}

const kid = (k: TxnKey): string => JSON.stringify(k);
const eid = (k: TxnKey, v: TxnElement | null): string => `${kid(k)}|${JSON.stringify(v)}`;

function push(anomalies: AnomalyCases, type: string, c: unknown): void {
  (anomalies[type] ??= []).push(c);
}

/** The transaction's first read of each key that comes before its own write of that key. */
function externalReads(txn: Txn): Map<string, { mopIndex: number; mop: Mop }> {
  const reads = new Map<string, { mopIndex: number; mop: Mop }>();
  const written = new Set<string>();
  txn.mops.forEach((mop, mopIndex) => {
    const k = kid(mop[1]);
    if (mop[0] === 'r') {
      if (!reads.has(k) && !written.has(k)) reads.set(k, { mopIndex, mop });
    } else written.add(k);
  });
  return reads;
}

/** Each key's last write (or append) in the transaction: the version others can see. */
function finalWrites(txn: Txn): Map<string, { mopIndex: number; value: TxnElement }> {
  const finals = new Map<string, { mopIndex: number; value: TxnElement }>();
  txn.mops.forEach((mop, mopIndex) => {
    if (mop[0] !== 'r') finals.set(kid(mop[1]), { mopIndex, value: mop[2] as TxnElement });
  });
  return finals;
}

/**
 * Lost update, detected directly (Elle's lost-update-cases): two committed transactions that
 * read the same version of a key and both wrote that key.
 */
function lostUpdates(txns: readonly Txn[], anomalies: AnomalyCases): void {
  const groups = new Map<string, { key: TxnKey; value: unknown; txns: number[] }>();
  for (const txn of txns) {
    if (txn.type !== 'ok') continue;
    const reads = new Map<string, unknown>();
    const wrote = new Set<string>();
    for (const [f, k, v] of txn.mops) {
      const key = kid(k);
      if (f === 'r') {
        if (!reads.has(key)) reads.set(key, v);
      } else if (!wrote.has(key) && reads.has(key)) {
        wrote.add(key);
        // A list version is named by its length and last element (reads are prefixes of one
        // order); a register version by its value. Cheap even for long lists.
        const v = reads.get(key);
        const version = Array.isArray(v) ? `${v.length}:${JSON.stringify(v[v.length - 1] ?? null)}` : JSON.stringify(v ?? null);
        const g = `${key}|${version}`;
        const group = groups.get(g) ?? { key: k, value: reads.get(key), txns: [] };
        group.txns.push(txn.id);
        groups.set(g, group);
      }
    }
  }
  for (const group of groups.values()) if (group.txns.length >= 2) push(anomalies, 'lost-update', group);
}

/**
 * Process and real-time edges. Real time: T1 → T2 when T1 committed before T2 was invoked. Only a
 * covering subset is added (each transaction links to those that completed since the last
 * completion it already follows), which keeps exactly the same reachability with far fewer edges.
 */
function orderEdges(txns: readonly Txn[], graph: DepGraph, kind: 'none' | 'process' | 'realtime'): void {
  if (kind === 'process') {
    const last = new Map<string, number>();
    for (const txn of [...txns].sort((a, b) => a.id - b.id)) {
      if (txn.type === 'fail') continue;
      const p = `${typeof txn.process}:${txn.process}`;
      const prev = last.get(p);
      if (prev !== undefined) graph.link(prev, txn.id, PROCESS);
      if (txn.type === 'ok') last.set(p, txn.id);
      else last.delete(p);
    }
    return;
  }
  if (kind !== 'realtime') return;
  type Event = { at: number; kind: 'invoke' | 'complete'; txn: Txn };
  const events: Event[] = [];
  for (const txn of txns) {
    if (txn.type === 'fail') continue;
    if (txn.invokeIndex !== null) events.push({ at: txn.invokeIndex, kind: 'invoke', txn });
    if (txn.type === 'ok') events.push({ at: txn.id, kind: 'complete', txn });
  }
  events.sort((a, b) => a.at - b.at);
  let frontier = new Set<number>();
  const predecessors = new Map<number, number[]>();
  for (const e of events) {
    if (e.kind === 'invoke') {
      const preds = [...frontier];
      predecessors.set(e.txn.id, preds);
      for (const p of preds) graph.link(p, e.txn.id, REALTIME);
    } else {
      const covered = new Set(predecessors.get(e.txn.id) ?? []);
      const next = new Set<number>();
      for (const f of frontier) if (!covered.has(f)) next.add(f);
      next.add(e.txn.id);
      frontier = next;
    }
  }
}

/** Element-wise equality of two lists of primitives. */
function sameList(a: readonly TxnElement[], b: readonly TxnElement[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * list-append: versions ordered by the longest read of each key. Reads return whole lists, so
 * the work is dominated by scanning them; everything per element is a Map or Set lookup on the
 * element itself (elements are numbers or strings), never a string built per element.
 */
function inferListAppend(txns: readonly Txn[], graph: DepGraph, anomalies: AnomalyCases): Map<string, TxnElement[]> {
  /** Per key: element → [writer, position of the append in its transaction]. */
  const writers = new Map<string, Map<TxnElement, [Txn, number]>>();
  const failedElements = new Map<string, Set<TxnElement>>();
  /** Per transaction: each key's last appended element (earlier ones are intermediate). */
  const lastAppendOf = new Map<number, Map<string, TxnElement>>();
  for (const txn of txns) {
    const last = new Map<string, TxnElement>();
    txn.mops.forEach((mop, i) => {
      if (mop[0] !== 'append') return;
      const k = kid(mop[1]);
      const e = mop[2] as TxnElement;
      let w = writers.get(k);
      if (!w) writers.set(k, (w = new Map()));
      if (!w.has(e)) w.set(e, [txn, i]);
      if (txn.type === 'fail') {
        let f = failedElements.get(k);
        if (!f) failedElements.set(k, (f = new Set()));
        f.add(e);
      }
      last.set(k, e);
    });
    lastAppendOf.set(txn.id, last);
  }
  const writerOf = (k: string, e: TxnElement): Txn | undefined => writers.get(k)?.get(e)?.[0];

  const okTxns = txns.filter((t) => t.type === 'ok');
  // The longest read of each key (by raw length) is the candidate version order. Reads are then
  // compared with it element by element: a read that is a prefix of a duplicate-free order needs
  // no further work, which is the common case and keeps the pass linear in what was read.
  const longestRaw = new Map<string, { key: TxnKey; list: TxnElement[] }>();
  for (const txn of okTxns) {
    for (const mop of txn.mops) {
      if (mop[0] !== 'r') continue;
      const list = (mop[2] as TxnElement[] | null) ?? [];
      const k = kid(mop[1]);
      const best = longestRaw.get(k);
      if (!best || list.length > best.list.length) longestRaw.set(k, { key: mop[1], list });
    }
  }
  const dedupe = (list: TxnElement[]): TxnElement[] => {
    const set = new Set(list);
    return set.size === list.length ? list : [...set];
  };
  const longest = new Map<string, { key: TxnKey; list: TxnElement[] }>();
  for (const [k, { key, list }] of longestRaw) longest.set(k, { key, list: dedupe(list) });
  const isPrefixOf = (list: readonly TxnElement[], order: readonly TxnElement[]): boolean => {
    if (list.length > order.length) return false;
    for (let i = 0; i < list.length; i++) if (list[i] !== order[i]) return false;
    return true;
  };
  const incompatible = new Set<string>();

  for (const txn of okTxns) {
    // Internal consistency: within the transaction, each read must agree with what it already
    // read and appended; with no earlier read, it must at least end with its own appends.
    const known = new Map<string, TxnElement[]>();
    const pending = new Map<string, TxnElement[]>();
    txn.mops.forEach((mop, mopIndex) => {
      const k = kid(mop[1]);
      if (mop[0] === 'append') {
        const kn = known.get(k);
        if (kn) known.set(k, [...kn, mop[2] as TxnElement]);
        else pending.set(k, [...(pending.get(k) ?? []), mop[2] as TxnElement]);
        return;
      }
      const list = (mop[2] as TxnElement[] | null) ?? [];
      const kn = known.get(k);
      if (kn) {
        if (!sameList(kn, list)) push(anomalies, 'internal', { op: txn.id, mop, expected: kn.slice() });
      } else {
        const own = pending.get(k) ?? [];
        if (own.length > 0 && (list.length < own.length || !sameList(list.slice(list.length - own.length), own))) {
          push(anomalies, 'internal', { op: txn.id, mop, expected: ['...', ...own] });
        }
      }
      known.set(k, list);
      pending.delete(k);

      const order = (longest.get(k) as { list: TxnElement[] }).list;
      if (!isPrefixOf(list, order)) {
        // The slow path: duplicates, or a read that is not a prefix of the longest one.
        const counts = new Map<TxnElement, number>();
        for (const e of list) counts.set(e, (counts.get(e) ?? 0) + 1);
        const duplicates = [...counts].filter(([, c]) => c > 1);
        if (duplicates.length > 0) push(anomalies, 'duplicate-elements', { op: txn.id, mop, duplicates });
        if (!isPrefixOf(dedupe(list), order) && !incompatible.has(k)) {
          push(anomalies, 'incompatible-order', { key: mop[1], values: [list, order] });
          incompatible.add(k);
        }
      }
      // Future read: this transaction appends, later on, an element it has already read.
      txn.mops.forEach((later, j) => {
        if (j > mopIndex && later[0] === 'append' && kid(later[1]) === k && list.includes(later[2] as TxnElement)) {
          push(anomalies, 'future-read', { op: txn.id, mop, element: later[2] });
        }
      });
      const failed = failedElements.get(k);
      if (failed) {
        for (const e of list) {
          if (failed.has(e)) push(anomalies, 'G1a', { op: txn.id, mop, writer: (writerOf(k, e) as Txn).id, element: e });
        }
      }
      if (list.length > 0) {
        const lastElement = list[list.length - 1];
        const w = writerOf(k, lastElement);
        if (w && w.id !== txn.id && w.type !== 'fail' && lastAppendOf.get(w.id)?.get(k) !== lastElement) {
          push(anomalies, 'G1b', { op: txn.id, mop, writer: w.id, element: lastElement });
        }
      }
    });
  }
  const orders = new Map<string, TxnElement[]>();

  // Appends nobody has read yet all come after the longest read (it is a prefix of the final
  // list). When a key has exactly one such append, it is certainly the next version.
  for (const [k, w] of writers) {
    const order = longest.get(k)?.list ?? [];
    const inOrder = new Set(order);
    const unread: Array<[TxnElement, Txn]> = [];
    for (const [e, [txn]] of w) if (txn.type !== 'fail' && !inOrder.has(e)) unread.push([e, txn]);
    if (unread.length !== 1) continue;
    const [[e, txn]] = unread;
    const mop = txn.mops.find((m) => m[0] === 'append' && kid(m[1]) === k) as Mop;
    longest.set(k, { key: mop[1], list: [...order, e] });
  }
  for (const [k, { key, list }] of longest) {
    if (incompatible.has(k)) continue;
    orders.set(k, list);
    // Dirty update: a committed (or maybe-committed) append built on an aborted one's version.
    if (failedElements.has(k)) {
      for (let i = 0; i < list.length; i++) {
        const w = writerOf(k, list[i]);
        if (!w || w.type !== 'fail') continue;
        for (let j = i + 1; j < list.length; j++) {
          const later = writerOf(k, list[j]);
          if (later && later.type !== 'fail') {
            push(anomalies, 'dirty-update', { key, values: list.slice(i, j + 1), txns: j === i + 1 ? [w.id, later.id] : [w.id, '...', later.id] });
            break;
          }
        }
        break;
      }
    }
    // ww: consecutive versions written by different transactions.
    for (let i = 0; i + 1 < list.length; i++) {
      const a = writerOf(k, list[i]);
      const b = writerOf(k, list[i + 1]);
      if (a && b && a.type !== 'fail' && b.type !== 'fail') graph.link(a.id, b.id, WW, { key, value: list[i], valueAfter: list[i + 1] });
    }
  }
  for (const txn of okTxns) {
    for (const [k, { mop }] of externalReads(txn)) {
      const order = orders.get(k);
      if (!order) continue;
      const read = (mop[2] as TxnElement[] | null) ?? [];
      const length = read.length <= order.length && read[read.length - 1] === order[read.length - 1] ? read.length : new Set(read).size;
      if (read.length > 0) {
        const w = writerOf(k, read[read.length - 1]);
        if (w && w.type !== 'fail') graph.link(w.id, txn.id, WR, { key: mop[1], value: read[read.length - 1] });
      }
      if (length < order.length) {
        const w = writerOf(k, order[length]);
        if (w && w.type !== 'fail') {
          graph.link(txn.id, w.id, RW, { key: mop[1], value: read.length > 0 ? read[read.length - 1] : 'initial', valueAfter: order[length] });
        }
      }
    }
  }
  return orders;
}

/** rw-register: version graphs per key, from the sources the options allow. */
function inferRwRegister(txns: readonly Txn[], graph: DepGraph, anomalies: AnomalyCases, options: InferOptions): void {
  const writer = new Map<string, Txn>();
  const finalOf = new Map<number, Map<string, { mopIndex: number; value: TxnElement }>>();
  for (const txn of txns) {
    for (const mop of txn.mops) if (mop[0] === 'w' && !writer.has(eid(mop[1], mop[2] as TxnElement))) writer.set(eid(mop[1], mop[2] as TxnElement), txn);
    finalOf.set(txn.id, finalWrites(txn));
  }
  const okTxns = txns.filter((t) => t.type === 'ok');
  const extReads = new Map<number, Map<string, { mopIndex: number; mop: Mop }>>();
  for (const txn of okTxns) {
    extReads.set(txn.id, externalReads(txn));
    const known = new Map<string, TxnElement | null>();
    txn.mops.forEach((mop, mopIndex) => {
      const k = kid(mop[1]);
      if (mop[0] === 'w') {
        known.set(k, mop[2] as TxnElement);
        return;
      }
      const v = mop[2] as TxnElement | null;
      if (known.has(k) && JSON.stringify(known.get(k)) !== JSON.stringify(v)) {
        push(anomalies, 'internal', { op: txn.id, mop, expected: known.get(k) });
      }
      known.set(k, v);
      if (v === null) return;
      const w = writer.get(eid(mop[1], v));
      if (!w || w.id === txn.id) return;
      if (w.type === 'fail') push(anomalies, 'G1a', { op: txn.id, mop, writer: w.id });
      else if (JSON.stringify(finalOf.get(w.id)?.get(k)?.value) !== JSON.stringify(v)) {
        push(anomalies, 'G1b', { op: txn.id, mop, writer: w.id });
      }
      void mopIndex;
    });
  }

  // Version graph per key: value → later values, labelled with the source that says so.
  interface KeyVersions { key: TxnKey; succ: Map<string, Set<string>>; values: Map<string, TxnElement | null>; sources: Set<string> }
  const versions = new Map<string, KeyVersions>();
  const keyVersions = (key: TxnKey): KeyVersions => {
    const k = kid(key);
    let kv = versions.get(k);
    if (!kv) {
      kv = { key, succ: new Map(), values: new Map([['null', null]]), sources: new Set() };
      versions.set(k, kv);
    }
    return kv;
  };
  const order = (key: TxnKey, a: TxnElement | null, b: TxnElement | null, source: string) => {
    const kv = keyVersions(key);
    const ja = JSON.stringify(a);
    const jb = JSON.stringify(b);
    kv.values.set(ja, a);
    kv.values.set(jb, b);
    if (ja === jb) return;
    const s = kv.succ.get(ja) ?? new Set<string>();
    if (!s.has(jb)) {
      s.add(jb);
      kv.succ.set(ja, s);
      kv.sources.add(source);
    }
  };
  // The versions each committed transaction observed or installed, per key, in mop order.
  const touched = (txn: Txn): Array<[TxnKey, TxnElement | null]> => {
    const out: Array<[TxnKey, TxnElement | null]> = [];
    for (const [, { mop }] of extReads.get(txn.id) ?? new Map()) out.push([mop[1], mop[2] as TxnElement | null]);
    for (const [, f] of finalOf.get(txn.id) ?? new Map()) {
      const key = txn.mops[f.mopIndex][1];
      out.push([key, f.value]);
    }
    return out;
  };
  for (const txn of txns) {
    if (txn.type === 'fail') continue;
    for (const [key, v] of touched(txn)) if (v !== null) order(key, null, v, 'initial-state');
  }
  if (options.wfrKeys) {
    for (const txn of okTxns) {
      const reads = extReads.get(txn.id) as Map<string, { mopIndex: number; mop: Mop }>;
      for (const [k, f] of finalOf.get(txn.id) ?? new Map()) {
        const r = reads.get(k);
        if (r && r.mopIndex < f.mopIndex) order(r.mop[1], r.mop[2] as TxnElement | null, f.value, 'wfr-keys');
      }
    }
  }
  const sequence = (ordered: Txn[], source: string, perProcess: boolean, writesOnly = false) => {
    const last = new Map<string, TxnElement | null>();
    for (const txn of ordered) {
      const versions = writesOnly
        ? [...(finalOf.get(txn.id) ?? new Map()).values()].map((f) => [txn.mops[f.mopIndex][1], f.value] as [TxnKey, TxnElement])
        : touched(txn);
      for (const [key, v] of versions) {
        const slot = `${perProcess ? `${typeof txn.process}:${txn.process}|` : ''}${kid(key)}`;
        if (last.has(slot)) order(key, last.get(slot) as TxnElement | null, v, source);
        last.set(slot, v);
      }
    }
  };
  if (options.sequentialKeys) sequence([...okTxns].sort((a, b) => a.id - b.id), 'sequential-keys', true);
  if (options.transactionOrder) {
    const position = (t: Txn) => options.transactionOrder?.[String(t.id)];
    const ordered = okTxns.filter((t) => position(t) !== undefined).sort((a, b) => (position(a) as number) - (position(b) as number));
    sequence(ordered, 'transaction-order', false, true);
  }
  if (options.linearizableKeys) {
    const rt = new DepGraph();
    orderEdges(okTxns, rt, 'realtime');
    const byId = new Map(okTxns.map((t) => [t.id, t]));
    for (const s of rt.nodes.map((_, i) => i)) {
      const a = byId.get(rt.idOf(s)) as Txn;
      for (const [t] of rt.successors(s)) {
        const b = byId.get(rt.idOf(t)) as Txn;
        const bv = new Map(touched(b).map(([k, v]) => [kid(k), v]));
        for (const [key, v] of touched(a)) if (bv.has(kid(key))) order(key, v, bv.get(kid(key)) as TxnElement | null, 'linearizable-keys');
      }
    }
  }

  // Cyclic version orders are anomalies themselves; acyclic ones give the direct successors.
  for (const kv of versions.values()) {
    const cyclic = versionCycle(kv.succ);
    if (cyclic) {
      push(anomalies, 'cyclic-versions', { key: kv.key, scc: cyclic.map((j) => kv.values.get(j)).sort(), sources: [...kv.sources].sort() });
      continue;
    }
    for (const [ja, direct] of directSuccessors(kv.succ)) {
      const a = kv.values.get(ja) as TxnElement | null;
      for (const jb of direct) {
        const b = kv.values.get(jb) as TxnElement;
        const wb = writer.get(eid(kv.key, b));
        if (!wb || wb.type === 'fail' || JSON.stringify(finalOf.get(wb.id)?.get(kid(kv.key))?.value) !== jb) continue;
        if (a !== null) {
          const wa = writer.get(eid(kv.key, a));
          if (wa && wa.type !== 'fail' && JSON.stringify(finalOf.get(wa.id)?.get(kid(kv.key))?.value) === ja) {
            graph.link(wa.id, wb.id, WW, { key: kv.key, value: a, valueAfter: b });
          }
        }
        for (const txn of okTxns) {
          const r = extReads.get(txn.id)?.get(kid(kv.key));
          if (r && JSON.stringify(r.mop[2]) === ja) graph.link(txn.id, wb.id, RW, { key: kv.key, value: a, valueAfter: b });
        }
      }
    }
  }
  for (const txn of okTxns) {
    for (const [k, { mop }] of extReads.get(txn.id) ?? new Map()) {
      if (mop[2] === null) continue;
      const w = writer.get(eid(mop[1], mop[2] as TxnElement));
      if (w && w.type !== 'fail' && JSON.stringify(finalOf.get(w.id)?.get(k)?.value) === JSON.stringify(mop[2])) {
        graph.link(w.id, txn.id, WR, { key: mop[1], value: mop[2] as TxnElement });
      }
    }
  }
}

/** The values on a cycle of a version graph, or null if it has none. */
function versionCycle(succ: Map<string, Set<string>>): string[] | null {
  const g = new DepGraph();
  const ids = new Map<string, number>();
  const id = (v: string) => {
    let i = ids.get(v);
    if (i === undefined) {
      i = ids.size;
      ids.set(v, i);
    }
    return i;
  };
  for (const [a, bs] of succ) for (const b of bs) g.link(id(a), id(b), WW);
  const comps = g.components(WW);
  if (comps.length === 0) return null;
  const names = [...ids.keys()];
  return comps[0].map((s) => names[g.idOf(s)]);
}

/** The transitive reduction of an acyclic version graph: each version's immediate successors. */
function directSuccessors(succ: Map<string, Set<string>>): Map<string, string[]> {
  const reach = new Map<string, Set<string>>();
  const reachable = (v: string): Set<string> => {
    const cached = reach.get(v);
    if (cached) return cached;
    const all = new Set<string>();
    reach.set(v, all);
    for (const w of succ.get(v) ?? []) {
      all.add(w);
      for (const x of reachable(w)) all.add(x);
    }
    return all;
  };
  const direct = new Map<string, string[]>();
  for (const [a, bs] of succ) {
    const keep: string[] = [];
    for (const b of bs) {
      let indirect = false;
      for (const c of bs) if (c !== b && reachable(c).has(b)) indirect = true;
      if (!indirect) keep.push(b);
    }
    direct.set(a, keep);
  }
  return direct;
}

/** Builds the dependency graph and finds the non-cyclic anomalies of `txns`. */
export function inferDependencies(txns: readonly Txn[], options: InferOptions): Inference {
  const graph = new DepGraph();
  for (const txn of txns) if (txn.type !== 'fail') graph.addNode(txn.id);
  const anomalies: AnomalyCases = {};
  let versionOrders = new Map<string, TxnElement[]>();
  if (options.workload === 'list-append') versionOrders = inferListAppend(txns, graph, anomalies);
  else inferRwRegister(txns, graph, anomalies, options);
  lostUpdates(txns, anomalies);
  orderEdges(txns, graph, options.orderEdges);
  return { graph, anomalies, versionOrders };
}
