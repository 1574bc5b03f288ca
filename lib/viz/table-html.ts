/**
 * HTML tables from plain records or a danfo DataFrame, as a string for the notebook's
 * table display. Every cell is HTML-escaped (a node's log line or a key may contain
 * "<"), numbers are right-aligned and rounded for reading, and long tables are cut at
 * maxRows with a note saying how many rows were left out.
 */
import { checkIntegerInRange, optionError } from './option-checks';
import { formatNumber } from './layout';

/** The part of a danfo DataFrame this module reads (danfojs-node 1.1: `columns`, `values` row-major). */
export interface DataFrameLike {
  columns: string[];
  /** Row-major rows for a DataFrame; typed loosely because danfo declares `ArrayType1D | ArrayType2D`. */
  values: readonly unknown[];
}

/**
 * How numbers are written: 'auto' (default: integers with thousands separators, other
 * numbers with 3 significant digits below 1 and at most 2 decimals above), a fixed number of
 * decimals, or a function of the value and its column.
 */
export type NumberFormat = 'auto' | number | ((value: number, column: string) => string);

export interface TableHtmlOptions {
  /** Shown as the table caption. */
  title?: string;
  /** Rows shown; default 50, at most 10000. */
  maxRows?: number;
  numberFormat?: NumberFormat;
}

const BUILDER = 'tableHtml';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function isDataFrameLike(data: unknown): data is DataFrameLike {
  const d = data as DataFrameLike;
  return typeof d === 'object' && d !== null && !Array.isArray(d) && Array.isArray(d.columns) && Array.isArray(d.values);
}

/** Thousands separators by hand, so the output does not depend on the kernel's locale. */
function groupThousands(integerText: string): string {
  return integerText.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatAuto(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return (value < 0 ? '-' : '') + groupThousands(String(Math.abs(value)));
  if (Math.abs(value) >= 1e15 || (value !== 0 && Math.abs(value) < 1e-4)) return value.toExponential(2);
  return formatNumber(value);
}

function numberFormatter(format: unknown): (value: number, column: string) => string {
  if (format === undefined || format === 'auto') return formatAuto;
  if (typeof format === 'function') return format as (value: number, column: string) => string;
  if (typeof format === 'number' && Number.isInteger(format) && format >= 0 && format <= 20) {
    return (v) => (Number.isFinite(v) ? v.toFixed(format) : String(v));
  }
  throw optionError(BUILDER, 'numberFormat', format, "allowed: 'auto', a number of decimals from 0 to 20, or a function (value, column) => string");
}

function cellHtml(value: unknown, column: string, formatNum: (value: number, column: string) => string): string {
  if (value === null || value === undefined) return '<td></td>';
  if (typeof value === 'number') return `<td style="text-align:right">${escapeHtml(formatNum(value, column))}</td>`;
  const text = typeof value === 'string' ? value
    : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `<td style="text-align:left">${escapeHtml(text)}</td>`;
}

/** Column names and row-major values of either input kind. */
function tableOf(data: unknown): DataFrameLike {
  if (isDataFrameLike(data)) return { columns: data.columns.map(String), values: data.values as unknown[][] };
  if (!Array.isArray(data)) {
    throw optionError(BUILDER, 'data', data, 'allowed: an array of records (plain objects) or a danfo DataFrame');
  }
  const columns: string[] = [];
  data.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) {
      throw optionError(BUILDER, `data[${i}]`, r, 'allowed: plain objects, one per row');
    }
    for (const k of Object.keys(r)) if (columns.indexOf(k) < 0) columns.push(k);
  });
  return { columns, values: data.map((r: Record<string, unknown>) => columns.map((c) => r[c])) };
}

/** An HTML <table> of the records or DataFrame; give it to the notebook's table display. */
export function tableHtml(data: readonly object[] | DataFrameLike, options: TableHtmlOptions = {}): string {
  const table = tableOf(data);
  const maxRows = checkIntegerInRange(BUILDER, 'maxRows', options.maxRows === undefined ? 50 : options.maxRows, 1, 10000);
  const formatNum = numberFormatter(options.numberFormat);
  if (options.title !== undefined && typeof options.title !== 'string') {
    throw optionError(BUILDER, 'title', options.title, 'allowed: a string');
  }
  const total = table.values.length;
  const shown = table.values.slice(0, maxRows);
  const parts: string[] = ['<table class="workbook-table">'];
  if (options.title) parts.push(`<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(options.title)}</caption>`);
  parts.push('<thead><tr>' + table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('') + '</tr></thead>');
  parts.push('<tbody>');
  for (const row of shown) {
    if (!Array.isArray(row)) throw optionError(BUILDER, 'data.values row', row, 'allowed: arrays of cell values');
    parts.push('<tr>' + table.columns.map((c, i) => cellHtml(row[i], c, formatNum)).join('') + '</tr>');
  }
  if (total === 0) parts.push(`<tr><td colspan="${Math.max(table.columns.length, 1)}"><em>(no rows)</em></td></tr>`);
  parts.push('</tbody>');
  if (total > shown.length) {
    parts.push(`<tfoot><tr><td colspan="${table.columns.length}"><em>… ${groupThousands(String(total - shown.length))} more rows (${groupThousands(String(total))} in all); pass maxRows to show more</em></td></tr></tfoot>`);
  }
  parts.push('</table>');
  return parts.join('');
}

