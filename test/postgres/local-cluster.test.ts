// Proves the local PostgreSQL cluster on real servers: a primary and two streaming standbys (one
// with an apply delay), stale reads from the delayed standby that the linearizability checker
// rejects, synchronous_commit levels that really wait for the standby, kill -9 and pg_promote()
// with a new timeline, a standby re-pointed at the new primary, and a teardown that leaves no
// process and no folder behind.
import * as fs from 'fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checkLinearizable } from '../../lib/check';
import { LocalPgCluster, countSurvivingWrites, measureCommitLatency, processGroupAlive, recordRegisterHistory, runWriteWorkload, summarizeCommitLatency } from '../../lib/postgres';
import { describeWithPostgres } from './postgres-availability';

const APPLY_DELAY_MS = 400;

describeWithPostgres('a local PostgreSQL cluster: primary + delhi + kolkata (apply delay)', () => {
  let cluster: LocalPgCluster;

  beforeAll(async () => {
    // fsync off: these tests measure ordering and waiting, not disk latency.
    cluster = await LocalPgCluster.start({ standbys: ['delhi', { name: 'kolkata', applyDelayMs: APPLY_DELAY_MS }], fsync: false });
  });

  afterAll(async () => {
    if (cluster) await cluster.teardown();
  });

  test('both standbys stream from the primary, listen on loopback only, and the password is never printed', async () => {
    const stats = await cluster.replicationStats();
    expect(stats.standbys.map((s) => `${s.applicationName}:${s.state}:${s.syncState}`)).toEqual(['delhi:streaming:async', 'kolkata:streaming:async']);
    expect(stats.timelineId).toBe(1);
    const [{ listen }] = await cluster.query<{ listen: string }>('primary', "SELECT current_setting('listen_addresses') AS listen");
    expect(listen).toBe('127.0.0.1');
    const password = String(cluster.clientConfig('primary').password);
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(cluster.connectionString('primary')).toMatch(/^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres$/);
    const { inspect } = await import('util');
    expect(inspect(cluster)).not.toContain(password);
    expect(JSON.stringify(cluster)).not.toContain(password);
    expect((await cluster.standbyStatus('kolkata')).applyDelayMs).toBe(APPLY_DELAY_MS);
  });

  test('under a write load PostgreSQL reports the delayed standby\'s replay lag near its apply delay', async () => {
    const result = await runWriteWorkload(cluster, { durationMs: 1500, writesPerSec: 50, sampleEveryMs: 100 });
    expect(result.writeCount).toBeGreaterThan(30);
    const replay = (standby: string) => result.samples.filter((s) => s.standby === standby && s.replayLagMs !== null).map((s) => s.replayLagMs as number);
    const kolkata = replay('kolkata');
    expect(Math.max(...kolkata)).toBeGreaterThan(APPLY_DELAY_MS * 0.7);
    expect(Math.max(...replay('delhi'))).toBeLessThan(APPLY_DELAY_MS / 2);
  });

  test('reads from the delayed standby are stale and the checker proves the history not linearizable', async () => {
    const history = await recordRegisterHistory(cluster, { standby: 'kolkata', writes: 3, readsPerWrite: 1, pauseMs: 5 });
    expect(history.staleReadCount).toBeGreaterThan(0);
    const verdict = checkLinearizable(history);
    expect(verdict.verdict).toBe('not-linearizable');
  });

  test('with delhi as synchronous standby and remote_apply, reads from delhi are linearizable', async () => {
    await cluster.setSynchronousStandbyNames('FIRST 1 (delhi)');
    await cluster.setSynchronousCommit('remote_apply');
    const history = await recordRegisterHistory(cluster, { standby: 'delhi', writes: 4, readsPerWrite: 2, pauseMs: 0 });
    expect(history.staleReadCount).toBe(0);
    expect(checkLinearizable(history).verdict).toBe('linearizable');
    const stats = await cluster.replicationStats();
    expect(stats.standbys.find((s) => s.applicationName === 'delhi')?.syncState).toBe('sync');
  });

  test('remote_apply against kolkata as synchronous standby waits for its apply delay; off does not', async () => {
    await cluster.setSynchronousStandbyNames('FIRST 1 (kolkata)');
    const rows = summarizeCommitLatency(await measureCommitLatency(cluster, { levels: ['off', 'remote_apply'], commitsPerLevel: 3 }));
    const byLevel = Object.fromEntries(rows.map((r) => [r.level, r]));
    expect(byLevel.remote_apply.latencyMsP50).toBeGreaterThan(APPLY_DELAY_MS * 0.9);
    expect(byLevel.off.latencyMsP50).toBeLessThan(byLevel.remote_apply.latencyMsP50 / 3);
    await cluster.setSynchronousStandbyNames('');
    await cluster.setSynchronousCommit('on');
  });

  test('kill -9 of the primary, pg_promote() on delhi: a new timeline, acknowledged writes survive, kolkata follows', async () => {
    const { acknowledgedIds } = await runWriteWorkload(cluster, { durationMs: 300, writesPerSec: 100, table: 'before_failover' });
    await cluster.waitForReplay('delhi');
    await cluster.kill('primary');
    expect(cluster.nodeInfo('primary').running).toBe(false);
    const promotion = await cluster.promote('delhi');
    expect(promotion.timelineId).toBe(2);
    expect(cluster.primaryName).toBe('delhi');
    expect(await countSurvivingWrites(cluster, 'delhi', acknowledgedIds, 'before_failover')).toMatchObject({ lost: 0 });
    await cluster.query('delhi', 'INSERT INTO before_failover (payload) VALUES ($1)', ['after failover']);
    await cluster.follow('kolkata');
    await cluster.waitForStreaming(['kolkata'], 20_000);
    expect((await cluster.replicationStats()).timelineId).toBe(2);
  });

  test('teardown stops every server, kills nothing that is left, removes the folder and the watchdog', async () => {
    const groups = cluster.processGroups();
    expect(groups.length).toBeGreaterThanOrEqual(3);
    const report = await cluster.teardown();
    expect(report.removed).toBe(true);
    expect(fs.existsSync(cluster.dir)).toBe(false);
    for (const group of groups) expect(processGroupAlive(group), `process group ${group}`).toBe(false);
    expect(cluster.watchdogRunning).toBe(false);
    await expect(cluster.query('delhi', 'SELECT 1')).rejects.toThrow(/torn down/);
  });
});
