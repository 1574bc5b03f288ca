// Proves checkDataSync rejects each way a data-sync pipeline can go wrong — a lost change, a change
// from a rolled-back transaction, one no transaction wrote, a duplicate effect, a per-key reordering,
// a diverged row — names the first one, and accepts a clean history.
import { describe, expect, it } from 'vitest';
import { DataSyncHistory, SyncChange, checkDataSync } from '../../lib/check';

const row = (balance: number, v: number) => ({ balancePaise: balance, v });
const change = (key: string, v: number, balance: number): SyncChange => ({ key, version: v, value: row(balance, v) });
const effect = (c: SyncChange) => ({ ...c, eventId: `${c.key}@${c.version}` });

const a1 = change('accounts/001', 1, 100);
const a2 = change('accounts/001', 2, 250);
const b1 = change('accounts/002', 1, 70);
const ghost = change('accounts/002', 2, 9999);

function clean(): DataSyncHistory {
  return {
    committed: [a1, b1, a2],
    rolledBack: [ghost],
    applied: [a1, b1, a2].map(effect),
    upstreamRows: { 'accounts/001': a2.value, 'accounts/002': b1.value },
    downstreamRows: { 'accounts/001': a2.value, 'accounts/002': b1.value },
  };
}

describe('checkDataSync', () => {
  it('accepts a history where every committed change was applied once, in order, and the rows agree', () => {
    const result = checkDataSync(clean());
    expect(result.ok).toBe(true);
    expect(result.first).toBeNull();
    expect(result.committedChanges).toBe(3);
    expect(result.effectsApplied).toBe(3);
  });

  it('names a committed change that never arrived as lost', () => {
    const h = { ...clean(), applied: [a1, a2].map(effect) };
    const result = checkDataSync({ ...h, downstreamRows: { 'accounts/001': a2.value } });
    expect(result.ok).toBe(false);
    expect(result.counts.lost).toBe(1);
    expect(result.counts.diverged).toBe(1);
    expect(result.first?.kind).toBe('lost');
    expect(result.first?.message).toContain('accounts/002@1');
  });

  it('names an applied change written by a rolled-back transaction', () => {
    const h = { ...clean(), applied: [a1, b1, effect(ghost), a2].map((e) => ({ ...e, eventId: `${e.key}@${e.version}` })) };
    const result = checkDataSync(h);
    expect(result.counts['rolled-back']).toBe(1);
    expect(result.first).toMatchObject({ kind: 'rolled-back', key: 'accounts/002', version: 2, appliedIndex: 2 });
  });

  it('tells a value no transaction wrote apart from a rolled-back one', () => {
    const forged = { ...a2, value: row(1, 2) };
    const result = checkDataSync({ ...clean(), applied: [a1, b1, forged, a2].map(effect) });
    expect(result.counts['never-written']).toBe(1);
    expect(result.first?.kind).toBe('never-written');
    expect(result.first?.message).toContain('the committed accounts/001@2');
  });

  it('counts a second application of one change as a duplicate effect', () => {
    const result = checkDataSync({ ...clean(), applied: [a1, b1, a1, a2].map(effect) });
    expect(result.counts.duplicate).toBe(1);
    expect(result.counts['out-of-order']).toBe(0); // 1 after 1 is a repeat, not a reordering
    expect(result.first).toMatchObject({ kind: 'duplicate', appliedIndex: 2 });
  });

  it('reports a redelivered old change once, as a duplicate, not also as a reordering', () => {
    const result = checkDataSync({ ...clean(), applied: [a1, b1, a2, a1].map(effect), downstreamRows: { 'accounts/001': a1.value, 'accounts/002': b1.value } });
    expect(result.counts.duplicate).toBe(1);
    expect(result.counts['out-of-order']).toBe(0);
    expect(result.counts.diverged).toBe(1);
  });

  it('flags an older version applied after a newer one of the same key, and the divergence it leaves', () => {
    const h = { ...clean(), applied: [b1, a2, a1].map(effect), downstreamRows: { 'accounts/001': a1.value, 'accounts/002': b1.value } };
    const result = checkDataSync(h);
    expect(result.counts['out-of-order']).toBe(1);
    expect(result.counts.diverged).toBe(1);
    expect(result.first).toMatchObject({ kind: 'out-of-order', key: 'accounts/001', version: 1, appliedIndex: 2 });
    expect(result.violations.map((v) => v.kind)).toEqual(['out-of-order', 'diverged']);
  });

  it('puts the earliest effect first, before lost changes', () => {
    const result = checkDataSync({ ...clean(), applied: [a1, a1].map(effect) });
    expect(result.violations.map((v) => v.kind)).toEqual(['duplicate', 'lost', 'lost']);
  });

  it('refuses a committed history with one version written twice', () => {
    expect(() => checkDataSync({ ...clean(), committed: [a1, a1] })).toThrow(/accounts\/001@1 twice/);
  });

  it('keeps at most maxViolations, but counts them all', () => {
    const result = checkDataSync({ ...clean(), applied: [a1, a1, a1, a1, b1, a2].map(effect) }, { maxViolations: 2 });
    expect(result.counts.duplicate).toBe(3);
    expect(result.violations).toHaveLength(2);
  });
});
