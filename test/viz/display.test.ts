// Proves that show()/showTable() send one multi-mime bundle per display, carry plotly.js only
// in the first figure of a kernel, note the seed, stay HTML-safe, and never crash outside tslab.
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Figure } from '../../lib/viz/figure';
import { PLOTLY_MIME, reloadPlotlyOnNextShow, setDisplaySink, show, showHtml, showMarkdown, showTable } from '../../lib/viz/display';
import type { DisplayBundle } from '../../lib/viz/display';
import { plotlyLibrary } from '../../lib/viz/plotly-bundle';

function lagFigure(seed: number | null, title = 'Replication lag per follower'): Figure {
  return {
    data: [{ type: 'scatter', mode: 'lines', name: 'delhi', x: [0, 1, 2], y: [12, 15, 11] }],
    layout: { title: { text: title }, xaxis: { title: { text: 'time (s)' } }, yaxis: { title: { text: 'lag (ms)' } } },
    seed,
  };
}

function capture(): DisplayBundle[] {
  const bundles: DisplayBundle[] = [];
  setDisplaySink((bundle) => bundles.push(bundle));
  return bundles;
}

function html(bundle: DisplayBundle): string {
  return String(bundle.data['text/html']);
}

interface PlotlyJson {
  data: unknown[];
  layout: { annotations?: Array<{ text: string }>; title?: unknown };
  config: Record<string, unknown>;
}

afterEach(() => setDisplaySink(null));

describe('show', () => {
  test('the first figure in a kernel carries plotly.js once; the second reuses window.Plotly', () => {
    const bundles = capture();
    show(lagFigure(42));
    show(lagFigure(42));
    expect(bundles).toHaveLength(2);
    const library = plotlyLibrary();
    expect(html(bundles[0])).toContain(library.code);
    expect(html(bundles[0]).length).toBeGreaterThan(1_000_000);
    expect(html(bundles[1])).not.toContain('plotly.js v');
    expect(html(bundles[1]).length).toBeLessThan(5_000);
    expect(html(bundles[1])).toContain('window.Plotly.newPlot');
  });

  test('reloadPlotlyOnNextShow makes the next figure carry plotly.js again', () => {
    const bundles = capture();
    show(lagFigure(1));
    show(lagFigure(1));
    reloadPlotlyOnNextShow();
    show(lagFigure(1));
    expect(bundles.map((b) => html(b).includes('plotly.js v'))).toEqual([true, false, true]);
  });

  test('the bundle has plotly JSON (data, layout, config), HTML and a text summary', () => {
    const bundles = capture();
    show(lagFigure(7));
    const json = bundles[0].data[PLOTLY_MIME] as PlotlyJson;
    expect(json.data).toEqual(lagFigure(7).data);
    expect(json.layout.title).toEqual({ text: 'Replication lag per follower' });
    expect(json.config.displaylogo).toBe(false);
    expect(bundles[0].data['text/plain']).toBe('<Figure: Replication lag per follower (seed 7)>');
  });

  test('the seed is noted on the figure when the builder did not, and not twice when it did', () => {
    const bundles = capture();
    show(lagFigure(42));
    show(lagFigure(42, 'Lag per follower, seed 42'));
    show(lagFigure(null));
    const notes = bundles.map((b) => ((b.data[PLOTLY_MIME] as PlotlyJson).layout.annotations ?? []).map((a) => a.text));
    expect(notes).toEqual([['seed 42'], [], []]);
  });

  test('the caller figure is not modified by adding the seed note', () => {
    capture();
    const fig = lagFigure(3);
    show(fig);
    expect(fig.layout.annotations).toBeUndefined();
  });

  test('text from the data cannot close the script element', () => {
    const bundles = capture();
    const fig = lagFigure(5);
    fig.data[0].name = '</script><script>alert(1)</script>';
    show(fig);
    show(fig);
    expect(html(bundles[1])).not.toContain('</script><script>alert');
    expect(html(bundles[1])).toContain('\\u003c/script>');
  });

  test('a non-figure is rejected with a message naming what show() expects', () => {
    capture();
    expect(() => show({ layout: {} } as unknown as Figure)).toThrow(/show\(fig\): fig must be a Figure/);
  });

  test('outside a notebook, show() prints a one-line summary instead of crashing', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      show(lagFigure(9));
      expect(log).toHaveBeenCalledWith('<Figure: Replication lag per follower (seed 9)>');
    } finally {
      log.mockRestore();
    }
  });
});

describe('showTable, showHtml, showMarkdown', () => {
  test('records become an HTML table with every row and a text summary', () => {
    const bundles = capture();
    showTable([{ region: 'mumbai', lagMs: 12 }, { region: 'delhi', lagMs: 30 }], { title: 'Lag per region' });
    expect(html(bundles[0])).toContain('<th>region</th>');
    expect(html(bundles[0])).toContain('delhi');
    expect(html(bundles[0])).toContain('Lag per region');
    expect(bundles[0].data['text/plain']).toBe('<Table: Lag per region, 2 rows x 2 columns>');
  });

  test('a danfo-like DataFrame (columns + values) is shown, cut at maxRows', () => {
    const bundles = capture();
    const frame = { columns: ['replica', 'lagMs'], values: [['r1', 1], ['r2', 2], ['r3', 3]] };
    showTable(frame, { maxRows: 2 });
    expect(html(bundles[0])).toContain('r2');
    expect(html(bundles[0])).not.toContain('r3');
    expect(bundles[0].data['text/plain']).toBe('<Table, 3 rows x 2 columns>');
  });

  test('HTML and Markdown go out under their own mime types', () => {
    const bundles = capture();
    showHtml('<b>bold</b>');
    showMarkdown('**bold**');
    expect(bundles[0].data['text/html']).toBe('<b>bold</b>');
    expect(bundles[0].data['text/plain']).toBe('bold');
    expect(bundles[1].data['text/markdown']).toBe('**bold**');
  });
});

describe('plotlyLibrary', () => {
  test('is minified once, cached, and hides AMD/CommonJS so it always sets window.Plotly', () => {
    const library = plotlyLibrary();
    expect(library.minified).toBe(true);
    expect(library.code.length).toBeLessThan(6_000_000);
    expect(library.code).toContain('(function (define, module, exports) {');
    expect(library.code).toContain('}).call(window); }');
    expect(library.code).not.toMatch(/<\/script/i);
    expect(plotlyLibrary()).toBe(library);
  });
});
