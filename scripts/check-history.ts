/**
 * `npm run --silent check-history -- <file> [options]`: checks one recorded history and
 * prints exactly one line of JSON, e.g.
 *   {"verdict":"not-linearizable","model":"register","format":"json","operations":5,...}
 * It exits 0 for every verdict (linearizable, not-linearizable, unknown), and 2 with a
 * one-line message on stderr (no stack trace) when the file or an option is unusable.
 * See lib/check/README.md for the formats and every field.
 */
import * as fs from 'fs';
import {
  checkSessionGuarantees,
  checkTransactionRecords,
  checkTransactions,
  looksLikeJepsenEdn,
  parseJepsenEdn,
  TxnCheckResult,
  TxnHistoryError,
  TxnWorkload,
  checkValidatedHistory,
  DEFAULT_TIMEOUT_MS,
  HISTORY_FORMATS,
  HistoryFormat,
  HistoryInputError,
  LinearizabilityResult,
  ParsedHistory,
  parseHistory,
  SessionCheckResult,
} from '../lib/check';

const USAGE = [
  'usage: npm run --silent check-history -- <file> [options]',
  '  --format json|jepsen|porcupine-kv|txn|txn-edn   the file format (default: detected)',
  '  --workload list-append|rw-register  transactions: the workload (default: from the file, else list-append)',
  '  --models m1,m2                      transactions: models to hold (default strict-serializable)',
  `  --timeout-ms N                      time budget; past it the verdict is "unknown" (default ${DEFAULT_TIMEOUT_MS})`,
  '  --equal-times concurrent|return-first  how a return and a call at the same time are ordered (default concurrent)',
  '  --memo-mb N                         memory for the search memo per key, MiB (default: half the free memory, 256 MiB to 16 GiB)',
  '  --all-keys                          keep checking the other keys after one fails (kv)',
  '  --session                           also check read-your-writes and monotonic reads (needs output.version)',
  '  --help                              this text',
].join('\n');

/** Bad command-line input: reported as one line, exit code 2. */
class UsageError extends Error {}

type TxnFormat = 'txn' | 'txn-edn';
const TXN_FORMATS: readonly string[] = ['txn', 'txn-edn'];

interface CliOptions {
  file: string;
  format: HistoryFormat | TxnFormat | undefined;
  workload: TxnWorkload | undefined;
  models: string[] | undefined;
  timeoutMs: number;
  equalTimes: 'concurrent' | 'return-first';
  allKeys: boolean;
  session: boolean;
  memoMb: number | undefined;
}

function parseArgs(argv: string[]): CliOptions | 'help' {
  const options: CliOptions = {
    file: '',
    format: undefined,
    workload: undefined,
    models: undefined,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    equalTimes: 'concurrent',
    allKeys: false,
    session: false,
    memoMb: undefined,
  };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inlineValue: string | undefined;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) {
      inlineValue = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const value = (): string => {
      if (inlineValue !== undefined) return inlineValue;
      const v = argv[i + 1];
      if (v === undefined) throw new UsageError(`option ${arg} needs a value`);
      i++;
      return v;
    };
    switch (arg) {
      case '--help':
      case '-h':
        return 'help';
      case '--format': {
        const v = value();
        if (HISTORY_FORMATS.indexOf(v as HistoryFormat) < 0 && !TXN_FORMATS.includes(v)) {
          throw new UsageError(`option --format is ${JSON.stringify(v)}; allowed: ${[...HISTORY_FORMATS, ...TXN_FORMATS].join(', ')}`);
        }
        options.format = v as HistoryFormat | TxnFormat;
        break;
      }
      case '--workload': {
        const v = value();
        if (v !== 'list-append' && v !== 'rw-register') {
          throw new UsageError(`option --workload is ${JSON.stringify(v)}; allowed: list-append, rw-register`);
        }
        options.workload = v;
        break;
      }
      case '--models': {
        const v = value();
        options.models = v.split(',').map((m) => m.trim()).filter((m) => m !== '');
        if (options.models.length === 0) throw new UsageError(`option --models is ${JSON.stringify(v)}; allowed: a comma-separated list such as serializable,snapshot-isolation`);
        break;
      }
      case '--timeout-ms': {
        const v = value();
        const n = Number(v);
        if (v.trim() === '' || !Number.isFinite(n) || n < 0) {
          throw new UsageError(`option --timeout-ms is ${JSON.stringify(v)}; allowed: a number of milliseconds ≥ 0`);
        }
        options.timeoutMs = n;
        break;
      }
      case '--equal-times': {
        const v = value();
        if (v !== 'concurrent' && v !== 'return-first') {
          throw new UsageError(`option --equal-times is ${JSON.stringify(v)}; allowed: concurrent, return-first`);
        }
        options.equalTimes = v;
        break;
      }
      case '--memo-mb': {
        const v = value();
        const n = Number(v);
        if (v.trim() === '' || !Number.isFinite(n) || n < 1 || n > 1_048_576) {
          throw new UsageError(`option --memo-mb is ${JSON.stringify(v)}; allowed: a number of MiB from 1 to 1048576`);
        }
        options.memoMb = n;
        break;
      }
      case '--all-keys':
        options.allKeys = true;
        break;
      case '--session':
        options.session = true;
        break;
      default:
        if (arg.startsWith('-')) {
          throw new UsageError(
            `unknown option ${JSON.stringify(arg)}; allowed: --format, --workload, --models, --timeout-ms, --equal-times, --memo-mb, --all-keys, --session, --help`,
          );
        }
        files.push(arg);
    }
  }
  if (files.length !== 1) {
    throw new UsageError(
      files.length === 0 ? 'no history file given; usage: check-history <file> [--format json|jepsen|porcupine-kv]' : `expected one history file, got ${files.length}: ${files.join(' ')}`,
    );
  }
  options.file = files[0];
  return options;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`cannot read ${JSON.stringify(file)}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`cannot read ${JSON.stringify(file)}: it is a directory, not a history file`);
    throw new UsageError(`cannot read ${JSON.stringify(file)}: ${(error as Error).message}`);
  }
}

const PREFIX_TAIL_SHOWN = 3;
const SESSION_VIOLATIONS_SHOWN = 5;

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function report(file: string, parsed: ParsedHistory, result: LinearizabilityResult, session: SessionCheckResult | null): Record<string, unknown> {
  const lineOf = (index: number): number | undefined =>
    parsed.sourceLines !== null ? parsed.sourceLines[index].callLine : undefined;
  const out: Record<string, unknown> = {
    verdict: result.verdict,
    model: result.model,
    format: parsed.format,
    file,
    operations: result.operationCount,
    keys: result.keyCount,
    elapsedMs: round(result.elapsedMs),
    memoBudgetMb: Math.round(result.memoBytesMax / 1048576),
    memoMb: round(Math.max(0, ...result.keys.map((k) => k.memoBytes)) / 1048576),
    summary: result.summary,
  };
  if (result.unknownReason !== null) out.unknownReason = result.unknownReason;
  if (result.verdict === 'not-linearizable') {
    out.failingKeys = result.counterexamples.map((c) => c.key);
    out.offendingOperations = result.offendingOperations;
    out.counterexample = result.counterexamples.map((c) => ({
      key: c.key,
      prefixLength: c.prefix.length,
      prefixTail: c.prefix.slice(-PREFIX_TAIL_SHOWN).map((p) => ({ index: p.index, operation: p.description, line: lineOf(p.index) })),
      stateAfterPrefix: c.stateAfterPrefix,
      blocked: c.blocked.map((b) => ({
        index: b.index,
        process: b.process,
        operation: b.description,
        line: lineOf(b.index),
        reason: b.reason,
      })),
    }));
  }
  if (session !== null) {
    const shown = (g: SessionCheckResult['readYourWrites']): Record<string, unknown> => ({
      ok: g.ok,
      violationCount: g.violationCount,
      violations: g.violations.slice(0, SESSION_VIOLATIONS_SHOWN).map((v) => ({
        process: v.process,
        key: v.key,
        earlierIndex: v.earlierIndex,
        earlierVersion: v.earlierVersion,
        readIndex: v.readIndex,
        readVersion: v.readVersion,
      })),
    });
    out.session = { ok: session.ok, readYourWrites: shown(session.readYourWrites), monotonicReads: shown(session.monotonicReads) };
  }
  return out;
}

/** A transaction history: a JSON object with "workload" and "transactions" or "history", or Jepsen EDN. */
function txnFormatOf(text: string, format: CliOptions['format']): TxnFormat | null {
  if (format === 'txn' || format === 'txn-edn') return format;
  if (format !== undefined) return null;
  if (looksLikeJepsenEdn(text)) return 'txn-edn';
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') && /"workload"\s*:/.test(trimmed.slice(0, 2000)) && /"(transactions|history)"\s*:/.test(trimmed)) return 'txn';
  return null;
}

function checkTxnFile(options: CliOptions, text: string, format: TxnFormat): Record<string, unknown> {
  let result: TxnCheckResult;
  let workload: TxnWorkload;
  const models = options.models;
  const common = { consistencyModels: models, cycleSearchTimeoutMs: options.timeoutMs > 0 ? options.timeoutMs : undefined };
  if (format === 'txn-edn') {
    workload = options.workload ?? 'list-append';
    result = checkTransactions(parseJepsenEdn(text).ops, { workload, ...common });
  } else {
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`cannot parse ${JSON.stringify(options.file)} as JSON: ${(error as Error).message}`);
    }
    workload = options.workload ?? (doc.workload as TxnWorkload);
    const fromFile = (doc.options ?? {}) as Record<string, unknown>;
    const opts = {
      workload,
      ...common,
      consistencyModels: models ?? ('consistencyModels' in fromFile ? (fromFile.consistencyModels as string[] | null) : undefined),
      anomalies: fromFile.anomalies as string[] | undefined,
    };
    result = Array.isArray(doc.transactions) ? checkTransactionRecords(doc.transactions, opts) : checkTransactions(doc.history as unknown[], opts);
  }
  return {
    valid: result.valid,
    format,
    workload,
    file: options.file,
    transactions: result.transactionCount,
    anomalyTypes: result.anomalyTypes,
    not: result.not,
    elapsedMs: round(result.elapsedMs),
    explanations: result.explanations.slice(0, SESSION_VIOLATIONS_SHOWN),
  };
}

function main(argv: string[]): number {
  const options = parseArgs(argv);
  if (options === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const text = readText(options.file);
  const txnFormat = txnFormatOf(text, options.format);
  if (txnFormat !== null) {
    process.stdout.write(JSON.stringify(checkTxnFile(options, text, txnFormat)) + '\n');
    return 0;
  }
  const parsed = parseHistory(text, options.format as HistoryFormat | undefined);
  // Asked-for session checks fail before the (possibly long) search when versions are missing.
  const session = options.session ? checkSessionGuarantees(parsed) : null;
  const result = checkValidatedHistory(parsed, {
    timeoutMs: options.timeoutMs,
    equalTimes: options.equalTimes,
    stopAtFirstViolation: !options.allKeys,
    ...(options.memoMb !== undefined ? { memoBytesMax: Math.floor(options.memoMb * 1048576) } : {}),
  });
  process.stdout.write(JSON.stringify(report(options.file, parsed, result, session)) + '\n');
  return 0;
}

let exitCode: number;
try {
  exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || error instanceof HistoryInputError || error instanceof TxnHistoryError || (error instanceof Error && error.name === 'OptionError')) {
    process.stderr.write(`check-history: ${error.message}\n`);
    exitCode = 2;
  } else {
    process.stderr.write(`check-history: internal error: ${(error as Error).message}\n`);
    exitCode = 3;
  }
}
process.exitCode = exitCode;
