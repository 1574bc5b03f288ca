/**
 * Tells the three history formats apart by their first event line, and parses a text in
 * the format given or detected.
 */
import { HistoryFormat, HistoryInputError, ParsedHistory } from './history-types';
import { parseHistoryJson } from './parse-history-json';
import { parseJepsenLog } from './parse-jepsen-log';
import { parsePorcupineKv } from './parse-porcupine-kv';

export const HISTORY_FORMATS: ReadonlyArray<HistoryFormat> = ['json', 'jepsen', 'porcupine-kv'];

export function detectFormat(text: string): HistoryFormat {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{:')) return 'porcupine-kv';
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'json';
  const firstLine = trimmed.split(/\r?\n/, 1)[0];
  if (/jepsen\.util/.test(text.slice(0, 100_000))) return 'jepsen';
  throw new HistoryInputError(
    `cannot tell the format from the first line ${JSON.stringify(firstLine.slice(0, 60))}; ` +
      'allowed formats: json ({"model": ..., "operations": [...]}), jepsen ("INFO jepsen.util - ..."), ' +
      'porcupine-kv ("{:process 0, :type :invoke, ...}"); pass --format to choose',
  );
}

/** Parses `text` in `format`, or in the detected format when `format` is omitted. */
export function parseHistory(text: string, format?: HistoryFormat): ParsedHistory {
  if (format !== undefined && HISTORY_FORMATS.indexOf(format) < 0) {
    throw new HistoryInputError(`format ${JSON.stringify(format)} is unknown; allowed: ${HISTORY_FORMATS.join(', ')}`);
  }
  const chosen = format !== undefined ? format : detectFormat(text);
  if (chosen === 'json') return parseHistoryJson(text.replace(/^\uFEFF/, ''));
  if (chosen === 'jepsen') return parseJepsenLog(text);
  return parsePorcupineKv(text);
}
