// Proves the two helpers notebook 11's exercises 3 and 4 use, on a real primary with two
// standbys: promoting the standby that kept streaming keeps every acknowledged payment while the
// one that was stopped has none of them; re-pointed at the new primary, the stopped one streams
// from it and catches up; and the monitor's /health turns from 200 to 503 naming the stopped
// standby when one stops.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeWithPostgres } from '../../postgres/postgres-availability';
import { LocalPgCluster, countSurvivingWrites } from '../../../lib/postgres';
import { failoverAfterLag, healthWhenStandbyStops, PAYMENTS_TABLE } from '../../../lib/lessons/11-real-postgres';

describeWithPostgres('notebook 11 exercises on real PostgreSQL', () => {
  let cluster: LocalPgCluster | null = null;
  beforeAll(async () => {
    cluster = await LocalPgCluster.start({ standbys: ['delhi', 'kolkata'], fsync: false });
  }, 60_000);
  afterAll(async () => {
    await cluster?.teardown();
  }, 60_000);

  test('bad standby names are refused with the option named', async () => {
    const c = cluster as LocalPgCluster;
    await expect(failoverAfterLag(c, { behind: 'chennai', promote: 'delhi' })).rejects.toThrow(/behind: got "chennai"; allowed: a standby of this cluster \(delhi, kolkata\)/);
    await expect(healthWhenStandbyStops(c, { stop: 'primary' })).rejects.toThrow(/stop: got "primary"/);
  });

  test('/health is 200 with both standbys streaming, 503 naming delhi once delhi stops', async () => {
    const c = cluster as LocalPgCluster;
    const [before, after] = await healthWhenStandbyStops(c, { stop: 'delhi' });
    expect(before.httpStatus).toBe(200);
    expect(before.health.status).toBe('ok');
    expect(after.httpStatus).toBe(503);
    expect(after.health.status).toBe('degraded');
    const failed = after.health.checks.filter((check) => !check.ok);
    expect(failed.map((check) => check.name)).toContain('replicas-connected');
    expect(failed.find((check) => check.name === 'replicas-connected')?.detail).toContain('delhi');
    await c.start('delhi');
    await c.waitForStreaming(['delhi']);
  }, 60_000);

  test('promote the standby that kept streaming: every acknowledged payment survives; the stopped one follows it and catches up', async () => {
    const c = cluster as LocalPgCluster;
    const result = await failoverAfterLag(c, { behind: 'kolkata', promote: 'delhi', writeMs: 500 });
    expect(result.acknowledgedIds.length).toBeGreaterThan(10);
    expect(c.primaryName).toBe('delhi');
    expect(result.timelineId).toBe(2);
    const [promoted, stopped] = result.surviving;
    expect(promoted).toMatchObject({ server: 'delhi', lost: 0 });
    expect(stopped).toMatchObject({ server: 'kolkata', present: 0 });
    await c.follow('kolkata');
    await c.waitForStreaming(['kolkata']);
    await c.waitForReplay('kolkata');
    expect((await countSurvivingWrites(c, 'kolkata', result.acknowledgedIds, PAYMENTS_TABLE)).lost).toBe(0);
  }, 120_000);
});
