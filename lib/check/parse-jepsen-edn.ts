/**
 * Reads a Jepsen history in EDN, one operation map per line, as Jepsen writes `history.edn`:
 *   {:type :ok, :f :txn, :value [[:append 1 2] [:r 1 [1 2]]], :process 3, :time 123, :index 7}
 * Only client transactions are kept (`:f :txn` with an integer `:process`); nemesis operations
 * and other functions are dropped, as Elle drops them. Lines starting with `;` are comments.
 * Parsing uses `edn-data`, a maintained EDN reader, so strings with escaped quotes, keywords
 * and nested vectors are read exactly.
 */
import { parseEDNString } from 'edn-data';
import { TxnHistoryError, TxnOp } from './txn-history';

export interface EdnHistory {
  ops: TxnOp[];
  /** Lines that held an operation of another kind (nemesis, non-transactional). */
  skipped: number;
}

export function parseJepsenEdn(text: string): EdnHistory {
  const ops: TxnOp[] = [];
  let skipped = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';')) return;
    let value: unknown;
    try {
      value = parseEDNString(line, { mapAs: 'object', keywordAs: 'string', listAs: 'array' } as never);
    } catch (error) {
      throw new TxnHistoryError(`line ${i + 1}: not an EDN map (${(error as Error).message.split('\n')[0]}); allowed: one {:type …, :f :txn, :value […], :process N} per line`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TxnHistoryError(`line ${i + 1}: got ${line.slice(0, 60)}; allowed: one EDN map per line`);
    }
    const op = value as Record<string, unknown>;
    if (op.f !== 'txn' || typeof op.process !== 'number') {
      skipped += 1;
      return;
    }
    const entry: TxnOp = {
      index: typeof op.index === 'number' ? op.index : ops.length + skipped,
      process: op.process,
      type: op.type as TxnOp['type'],
      value: op.value as TxnOp['value'],
    };
    if (typeof op.time === 'number') entry.time = op.time;
    ops.push(entry);
  });
  return { ops, skipped };
}

/** True when the text looks like a Jepsen EDN history of transactions. */
export function looksLikeJepsenEdn(text: string): boolean {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trim().startsWith(';')) ?? '';
  return first.trim().startsWith('{:') && /:f :txn|:value \[\[:/.test(text.slice(0, 200_000));
}
