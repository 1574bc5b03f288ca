// Proves tableHtml renders records and danfo DataFrames as escaped HTML with readable numbers and a row limit note.
import { describe, expect, it } from 'vitest';
import { DataFrame } from 'danfojs-node';
import { tableHtml } from '../../lib/viz/table-html';

const records = [
  { region: 'mumbai', lagMs: 1234567, note: '<b>leader</b> & "primary"' },
  { region: 'delhi', lagMs: 12.3456, note: null },
];

const cells = (html: string) => Array.from(html.matchAll(/<td[^>]*>(.*?)<\/td>/g), (m) => m[1]);

describe('tableHtml', () => {
  it('escapes HTML in cells, headers and title', () => {
    const html = tableHtml([{ '<k>': "it's <script>" }], { title: 'a < b' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('it&#39;s');
    expect(html).toContain('<th>&lt;k&gt;</th>');
    expect(html).toContain('a &lt; b</caption>');
  });

  it('formats numbers right-aligned: integers grouped, fractions rounded', () => {
    const html = tableHtml(records);
    expect(cells(html)).toEqual(['mumbai', '1,234,567', '&lt;b&gt;leader&lt;/b&gt; &amp; &quot;primary&quot;', 'delhi', '12.35', '']);
    expect(html).toContain('<td style="text-align:right">1,234,567</td>');
    expect(cells(tableHtml(records, { numberFormat: 1 }))[4]).toBe('12.3');
    expect(cells(tableHtml(records, { numberFormat: (v, c) => `${c}:${Math.round(v)}` }))[1]).toBe('lagMs:1234567');
  });

  it('renders a danfo DataFrame with its columns and values', () => {
    const df = new DataFrame([{ region: 'chennai', lagMs: 7 }, { region: 'kolkata', lagMs: 0.5 }]);
    const html = tableHtml(df as any);
    expect(html).toContain('<th>region</th><th>lagMs</th>');
    expect(cells(html)).toEqual(['chennai', '7', 'kolkata', '0.5']);
  });

  it('cuts at maxRows and says how many rows were left out', () => {
    const many = Array.from({ length: 1200 }, (_, i) => ({ i }));
    const html = tableHtml(many, { maxRows: 3 });
    expect(cells(html).slice(0, 3)).toEqual(['0', '1', '2']);
    expect(html).toContain('1,197 more rows (1,200 in all)');
  });

  it('rejects bad options and input naming them', () => {
    expect(() => tableHtml(records, { maxRows: 0 })).toThrow('tableHtml: maxRows = 0 is not allowed; allowed: an integer from 1 to 10000');
    expect(() => tableHtml(records, { numberFormat: 'fixed' as any })).toThrow(/numberFormat = "fixed"/);
    expect(() => tableHtml('rows' as any)).toThrow(/data = "rows" .*array of records .*DataFrame/);
  });
});
