/**
 * Reading named fields out of plain records (the arrays of objects that strategies and
 * monitors return) with checks, so a misspelt field name is reported with the list of
 * fields that do exist.
 */
import { describeValue, optionError } from './option-checks';

type AnyRecord = Record<string, unknown>;

/** Records must be a non-empty array of objects: an empty figure would hide a broken experiment. */
export function checkRecords(builder: string, records: unknown): AnyRecord[] {
  if (!Array.isArray(records) || records.length === 0) {
    throw optionError(builder, 'records', records, 'allowed: a non-empty array of records (plain objects)');
  }
  records.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) {
      throw optionError(builder, `records[${i}]`, r, 'allowed: plain objects');
    }
  });
  return records as AnyRecord[];
}

/** Field names in first-appearance order across all records. */
export function fieldNames(records: readonly AnyRecord[]): string[] {
  const seen: string[] = [];
  for (const r of records) for (const k of Object.keys(r)) if (seen.indexOf(k) < 0) seen.push(k);
  return seen;
}

/** The value of `field` in every record; throws if the field is unknown or missing from a record. */
export function fieldColumn(builder: string, option: string, records: readonly AnyRecord[], field: unknown): unknown[] {
  const names = fieldNames(records);
  if (typeof field !== 'string' || names.indexOf(field) < 0) {
    throw optionError(builder, option, field, `allowed: a field of the records: ${names.join(', ')}`);
  }
  return records.map((r, i) => {
    if (!(field in r)) {
      throw new Error(`${builder}: ${option} = ${describeValue(field)}: records[${i}] has no field ${describeValue(field)}; every record needs it`);
    }
    return r[field];
  });
}

/** A numeric field: every value must be a finite number. */
export function numericColumn(builder: string, option: string, records: readonly AnyRecord[], field: unknown): number[] {
  const column = fieldColumn(builder, option, records, field);
  column.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${builder}: ${option} = ${describeValue(field)}: records[${i}].${String(field)} = ${describeValue(v)} is not allowed; allowed: finite numbers`);
    }
  });
  return column as number[];
}

/** A categorical field (region, replica, strategy ...): values shown as text. */
export function labelColumn(builder: string, option: string, records: readonly AnyRecord[], field: unknown): string[] {
  return fieldColumn(builder, option, records, field).map((v) => (typeof v === 'string' ? v : String(v)));
}

/** Distinct labels in first-appearance order, so legends follow the order of the data. */
export function distinctInOrder(labels: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const l of labels) if (!seen.has(l)) { seen.add(l); out.push(l); }
  return out;
}

/** Record indices per series label (first-appearance order); one group named '' when there is no series field. */
export function groupIndices(labels: readonly string[] | null, count: number): Array<{ name: string; indices: number[] }> {
  if (labels === null) return [{ name: '', indices: Array.from({ length: count }, (_, i) => i) }];
  const groups = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const g = groups.get(l);
    if (g) g.push(i); else groups.set(l, [i]);
  });
  return Array.from(groups, ([name, indices]) => ({ name, indices }));
}
