/**
 * Operation histories recorded by simulated clients, in the JSON shape that lib/check
 * reads (see lib/check): process, call time, return time (null = never returned),
 * input and output. Times are true simulation milliseconds.
 */
export interface OperationRecord<I = Record<string, unknown>, O = Record<string, unknown>> {
  process: number;
  call: number;
  /** null: the operation never returned (timed out, client crashed) — it may or may not have taken effect. */
  return: number | null;
  input: I;
  output: O | null;
}
