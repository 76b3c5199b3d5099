import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, DuplicateCluster, DuplicateReport, Lead, Page } from '@tide/contract';
import { createTestApp, type Client, type TestApp } from '../../../test/harness.ts';
import { buildOrg, type Org } from '../../../test/fixtures.ts';
import { clusterPairs } from './report.ts';

let t: TestApp;
let org: Org;
const ids: Record<string, string> = {};
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
  const make = async (c: Client, key: string, body: Record<string, unknown>) => {
    const res = await c.post('/api/v1/customers', body);
    expect(res.statusCode).toBe(201);
    ids[key] = res.json<Customer>().id;
  };
  const a = org.users.repA1.client;
  const b = org.users.repB1.client;
  await make(a, 'phoneA', { name: '杭州甲乙丙网络科技有限公司', phone: '0571-1234 5678' });
  await make(b, 'phoneB', { name: '某某商贸行', phone: '+86 571 12345678' });
  await make(a, 'nameA', { name: '宁波海川贸易有限公司' });
  await make(a, 'nameB', { name: '海川贸易（宁波）有限责任公司' });
  await make(a, 'branch', { name: '宁波海川贸易有限公司上海分公司' });
  await make(a, 'typoA', { name: '成都星辰医疗器械有限公司' });
  await make(a, 'typoB', { name: '成都星辱医疗器械有限公司' });
  await make(a, 'soundA', { name: '杭州云帆物流有限公司' });
  await make(a, 'soundB', { name: '杭州云凡物流有限公司' });
  await make(a, 'alone', { name: '厦门鹭岛茶业有限公司' });
  await make(a, 'contactOwner', { name: '温州瓯江电器有限公司' });
  await a.post('/api/v1/contacts', {
    customerId: ids.contactOwner,
    name: '林总',
    phone: '13900001111',
  });
  await make(a, 'contactMatch', { name: '林某个体户', kind: 'person', phone: '139 0000 1111' });
});
afterAll(async () => {
  await t.close();
});

async function finished(c: Client, id: string): Promise<DuplicateReport> {
  for (let i = 0; i < 300; i++) {
    const report = (await c.get(`/api/v1/duplicates/reports/${id}`)).json<DuplicateReport>();
    if (report.status === 'done' || report.status === 'failed') return report;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the report did not finish');
}

const clusterOf = (clusters: DuplicateCluster[], id: string | undefined) =>
  clusters.find((c) => c.members.some((m) => m.id === id));

describe('duplicate report', () => {
  it('runs as a background job, with progress, and lists the clusters by level', async () => {
    const res = await t.admin.post('/api/v1/duplicates/reports', { type: 'customer' });
    expect(res.statusCode).toBe(202);
    const queued = res.json<DuplicateReport>();
    expect(queued).toMatchObject({ objectType: 'customer', requestedByName: '管理员' });
    expect(['queued', 'running', 'done']).toContain(queued.status);

    const report = await finished(t.admin, queued.id);
    expect(report).toMatchObject({ status: 'done', progress: 1, error: null });
    expect(report.records).toBe(12);
    expect(report.clusters).toBeGreaterThanOrEqual(5);

    const page = (
      await t.admin.get(`/api/v1/duplicates/reports/${queued.id}/clusters?pageSize=200`)
    ).json<Page<DuplicateCluster>>();
    expect(page.total).toBe(report.clusters);
    const clusters = page.items;

    expect(clusterOf(clusters, ids.phoneA)).toMatchObject({ level: 'exact', size: 2 });
    expect(
      clusterOf(clusters, ids.phoneA)
        ?.members.map((m) => m.id)
        .sort(),
    ).toEqual([ids.phoneA, ids.phoneB].sort());
    expect(clusterOf(clusters, ids.contactMatch)?.members.map((m) => m.id)).toContain(
      ids.contactOwner,
    );
    // The same company written two ways is one likely cluster; its branch office is only a
    // possible match of it, listed as a group of its own, never chained into the cluster.
    const haichuan = clusters.find(
      (c) => c.level === 'likely' && c.members.some((m) => m.id === ids.nameA),
    );
    expect(haichuan?.members.map((m) => m.id).sort()).toEqual([ids.nameA, ids.nameB].sort());
    expect(haichuan?.reasons).toEqual(['same name']);
    const branch = clusterOf(clusters, ids.branch);
    expect(branch).toMatchObject({
      level: 'possible',
      reasons: ['branch office of the same company'],
    });
    expect(branch?.members.some((m) => m.id === ids.nameA || m.id === ids.nameB)).toBe(true);
    expect(clusterOf(clusters, ids.typoA)?.members.map((m) => m.id)).toContain(ids.typoB);
    expect(clusterOf(clusters, ids.typoA)?.level).toBe('possible');
    expect(clusterOf(clusters, ids.soundA)).toMatchObject({
      level: 'possible',
      reasons: ['name sounds the same'],
    });
    expect(clusterOf(clusters, ids.alone)).toBeUndefined();
    // Strongest first.
    const order = { exact: 0, likely: 1, possible: 2 };
    const levels = clusters.map((c) => order[c.level]);
    expect(levels).toEqual([...levels].sort((x, y) => x - y));

    const onlyExact = (
      await t.admin.get(`/api/v1/duplicates/reports/${queued.id}/clusters?level=exact`)
    ).json<Page<DuplicateCluster>>();
    expect(onlyExact.items.length).toBeGreaterThan(0);
    expect(onlyExact.items.every((c) => c.level === 'exact')).toBe(true);

    const list = (await t.admin.get('/api/v1/duplicates/reports')).json<Page<DuplicateReport>>();
    expect(list.items[0]?.id).toBe(queued.id);
  });

  it('shows members the caller cannot see with name and owner only', async () => {
    const manager = org.users.mgrA.client;
    const { items } = (await manager.get('/api/v1/duplicates/reports')).json<
      Page<DuplicateReport>
    >();
    const id = items[0]?.id ?? '';
    const clusters = (
      await manager.get(`/api/v1/duplicates/reports/${id}/clusters?pageSize=200`)
    ).json<Page<DuplicateCluster>>().items;
    const members = clusterOf(clusters, ids.phoneA)?.members ?? [];
    expect(members.find((m) => m.id === ids.phoneA)).toMatchObject({
      visible: true,
      phone: '0571-1234 5678',
    });
    expect(members.find((m) => m.id === ids.phoneB)).toEqual({
      id: ids.phoneB,
      name: '某某商贸行',
      ownerName: 'b.rep1',
      visible: false,
      phone: null,
      address: null,
      createdAt: null,
    });
  });

  it('is for managers and admins, one run per type at a time, and 404 for unknown ids', async () => {
    expect((await org.users.repA1.client.post('/api/v1/duplicates/reports', {})).statusCode).toBe(
      403,
    );
    expect((await org.users.repA1.client.get('/api/v1/duplicates/reports')).statusCode).toBe(403);
    expect(
      (await t.admin.get('/api/v1/duplicates/reports/00000000-0000-4000-8000-000000000000'))
        .statusCode,
    ).toBe(404);
    expect((await t.admin.post('/api/v1/duplicates/reports', { type: 'deal' })).statusCode).toBe(
      400,
    );
    // A run under way refuses a second one of the same type.
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO duplicate_reports (tenant_id, object_type, status) VALUES ($1, 'customer', 'running') RETURNING id`,
      [t.tenantId],
    );
    const second = await t.admin.post('/api/v1/duplicates/reports', { type: 'customer' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({
      error: { code: 'CONFLICT', details: { reportId: rows[0]?.id } },
    });
    await t.db.pool.query(`UPDATE duplicate_reports SET status = 'failed' WHERE id = $1`, [
      rows[0]?.id,
    ]);
  });

  it('scans leads too', async () => {
    const first = (
      await org.users.repA1.client.post('/api/v1/leads', {
        company: '台州海鸥机电',
        phone: '13700001234',
      })
    ).json<Lead>();
    const second = (
      await org.users.repA2.client.post('/api/v1/leads', {
        company: '别的名字',
        phone: '137 0000 1234',
      })
    ).json<Lead>();
    const res = await t.admin.post('/api/v1/duplicates/reports', { type: 'lead' });
    expect(res.statusCode).toBe(202);
    const report = await finished(t.admin, res.json<DuplicateReport>().id);
    expect(report.status).toBe('done');
    const clusters = (await t.admin.get(`/api/v1/duplicates/reports/${report.id}/clusters`)).json<
      Page<DuplicateCluster>
    >().items;
    expect(clusterOf(clusters, first.id)?.members.map((m) => m.id)).toContain(second.id);
  });
});

describe('clusterPairs', () => {
  it('joins connected records and keeps the weakest link needed', () => {
    const clusters = clusterPairs([
      { a: 'a', b: 'b', level: 3, score: 1, reason: 'same phone' },
      { a: 'c', b: 'd', level: 2, score: 0.9, reason: 'same name' },
      { a: 'b', b: 'c', level: 1, score: 0.6, reason: 'name 60% similar' },
      // A weaker link inside an already joined cluster changes nothing.
      { a: 'a', b: 'b', level: 1, score: 0.4, reason: 'name 40% similar' },
      { a: 'x', b: 'y', level: 2, score: 0.9, reason: 'same name' },
    ]);
    expect(clusters).toEqual([
      { members: ['x', 'y'], level: 2, score: 0.9, reasons: ['same name'] },
      {
        members: ['a', 'b', 'c', 'd'],
        level: 1,
        score: 0.6,
        reasons: ['same phone', 'same name', 'name 60% similar'],
      },
    ]);
  });
});
