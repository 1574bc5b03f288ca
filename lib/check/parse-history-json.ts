/**
 * Reads the workbook's JSON history format (see README.md in this folder):
 * `{"model": "register" | "kv", "operations": [{process, call, return, input, output}, ...]}`.
 */
import { HistoryInputError, ParsedHistory } from './history-types';
import { validateHistory } from './validate-history';

export function parseHistoryJson(text: string): ParsedHistory {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new HistoryInputError(`the history is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new HistoryInputError(
      'the JSON history must be an object {"model": "register" | "kv", "operations": [...]}, not ' +
        (Array.isArray(raw) ? 'an array' : JSON.stringify(raw)),
    );
  }
  if (!('model' in raw)) {
    throw new HistoryInputError('field "model" is missing; allowed: "register", "kv"');
  }
  const history = validateHistory(raw);
  return { ...history, format: 'json', sourceLines: null };
}
