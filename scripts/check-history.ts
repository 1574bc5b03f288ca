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
  '  --format json|jepsen|porcupine-kv   the file format (default: detected)',
  `  --timeout-ms N                      time budget; past it the verdict is "unknown" (default ${DEFAULT_TIMEOUT_MS})`,
  '  --equal-times concurrent|return-first  how a return and a call at the same time are ordered (default concurrent)',
  '  --memo-mb N                         memory for the search memo per key, MiB (default: half the free memory, 256 MiB to 16 GiB)',
  '  --all-keys                          keep checking the other keys after one fails (kv)',
  '  --session                           also check read-your-writes and monotonic reads (needs output.version)',
  '  --help                              this text',
].join('\n');

/** Bad command-line input: reported as one line, exit code 2. */
class UsageError extends Error {}

interface CliOptions {
  file: string;
  format: HistoryFormat | undefined;
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
        if (HISTORY_FORMATS.indexOf(v as HistoryFormat) < 0) {
          throw new UsageError(`option --format is ${JSON.stringify(v)}; allowed: ${HISTORY_FORMATS.join(', ')}`);
        }
        options.format = v as HistoryFormat;
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
            `unknown option ${JSON.stringify(arg)}; allowed: --format, --timeout-ms, --equal-times, --memo-mb, --all-keys, --session, --help`,
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

function main(argv: string[]): number {
  const options = parseArgs(argv);
  if (options === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const text = readText(options.file);
  const parsed = parseHistory(text, options.format);
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
  if (error instanceof UsageError || error instanceof HistoryInputError) {
    process.stderr.write(`check-history: ${error.message}\n`);
    exitCode = 2;
  } else {
    process.stderr.write(`check-history: internal error: ${(error as Error).message}\n`);
    exitCode = 3;
  }
}
process.exitCode = exitCode;
