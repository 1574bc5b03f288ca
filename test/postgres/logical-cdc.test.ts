// Proves CDC from real PostgreSQL by logical decoding (test_decoding via SQL): the decoder's output
// parses into whole committed transactions with before/after images; on a real primary, a consumer
// killed between apply and confirm is resumed from the slot's confirmed LSN with nothing lost and
// nothing applied twice (the projection equals the table); an abandoned slot makes the primary keep
// WAL as it is written, max_slot_wal_keep_size invalidates it instead, and no slot is left behind.
import { describe, expect, it } from 'vitest';
import { PgProjection, parseTestDecoding, parseTuple, runPgCdc } from '../../lib/postgres';
import { describeWithPostgres } from './postgres-availability';

describe('test_decoding output', () => {
  it('reads typed tuples, quoted text and nulls', () => {
    expect(parseTuple(`id[integer]:1 name[text]:'Asha ''A'' Rao' note[text]:null balance_paise[bigint]:-500`)).toEqual({ id: 1, name: "Asha 'A' Rao", note: null, balance_paise: -500 });
  });

  it('groups rows into whole transactions with before/after images, and leaves out one cut off before its COMMIT', () => {
    const txs = parseTestDecoding([
      { lsn: '0/10', data: 'BEGIN 727' },
      { lsn: '0/10', data: 'table public.accounts: INSERT: id[integer]:1 v[integer]:1' },
      { lsn: '0/20', data: 'COMMIT 727' },
      { lsn: '0/20', data: 'BEGIN 728' },
      { lsn: '0/28', data: 'table public.accounts: UPDATE: old-key: id[integer]:1 v[integer]:1 new-tuple: id[integer]:1 v[integer]:2' },
      { lsn: '0/30', data: 'table public.accounts: DELETE: id[integer]:1 v[integer]:2' },
      { lsn: '0/38', data: 'COMMIT 728' },
      { lsn: '0/40', data: 'BEGIN 730' },
      { lsn: '0/48', data: 'table public.accounts: INSERT: id[integer]:2 v[integer]:1' },
    ]);
    expect(txs.map((t) => [t.xid, t.commitLsn, t.changes.map((c) => c.op)])).toEqual([[727, '0/20', ['INSERT']], [728, '0/38', ['UPDATE', 'DELETE']]]);
    expect(txs[1].changes[0]).toMatchObject({ before: { id: 1, v: 1 }, after: { id: 1, v: 2 } });
    expect(() => parseTestDecoding([{ lsn: '0/1', data: 'BEGIN 1' }, { lsn: '0/1', data: 'garbage' }])).toThrow(/cannot read "garbage"/);
  });

  it('the projection skips a transaction at or before the last commit LSN it applied', () => {
    const p = new PgProjection('public.accounts', 'id');
    const tx = parseTestDecoding([{ lsn: '0/10', data: 'BEGIN 1' }, { lsn: '0/10', data: 'table public.accounts: INSERT: id[integer]:1 v[integer]:1' }, { lsn: '0/20', data: 'COMMIT 1' }])[0];
    expect(p.apply(tx)).toBe(true);
    expect(p.apply(tx)).toBe(false);
    expect([p.changesApplied, p.transactionsSkipped]).toEqual([1, 1]);
  });
});

describeWithPostgres('CDC from a real PostgreSQL primary (wal_level=logical, test_decoding)', () => {
  it('kills the consumer between apply and confirm, resumes from the confirmed LSN: nothing lost, nothing applied twice; the abandoned slot holds WAL until capped', async () => {
    const r = await runPgCdc({ seed: 8, transactions: 200 });
    expect(r.consumerKills).toBe(1);
    expect(r.rolledBackTransactions).toBeGreaterThan(0);
    expect(r.transactionsRedelivered).toBeGreaterThan(0); // sent again after the kill ...
    expect(r.changesApplied).toBe(r.committedChanges); // ... and applied once
    expect(r.mismatches).toEqual([]);
    expect(r.projectionMatchesTable).toBe(true);
    expect(r.delaysMs).toHaveLength(r.committedTransactions);
    const abandoned = r.walGrowth.filter((g) => g.slot === 'abandoned_analytics').map((g) => g.retainedWalBytes);
    const live = r.walGrowth.filter((g) => g.slot === 'fraud_cdc').map((g) => g.retainedWalBytes);
    for (let i = 1; i < abandoned.length; i++) expect(abandoned[i]).toBeGreaterThan(abandoned[i - 1] + 3_000_000);
    expect(abandoned[abandoned.length - 1]).toBeGreaterThan(2 * live[live.length - 1]);
    expect(r.afterLimit.walStatus).toBe('lost');
    expect(r.slotsLeftAfterDrop).toBe(0);
  }, 120_000);
});
