import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchResult, Lead, Page, TimelineItem } from '@tide/contract';
import {
  createTestApp,
  isPglite,
  onServerOnly,
  type Client,
  type TestApp,
} from '../../../test/harness.ts';
import { buildOrg, type Org } from '../../../test/fixtures.ts';
import { loadCaller } from '../../platform/auth.ts';
import { openDatabase } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { claimLead } from './leads.service.ts';

let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
});
afterAll(async () => {
  await t.close();
});

async function newLead(c: Client, body: Record<string, unknown> = {}): Promise<Lead> {
  const res = await c.post('/api/v1/leads', {
    company: '杭州云帆科技有限公司',
    contactName: '王磊',
    phone: '13812345678',
    ...body,
  });
  expect(res.statusCode).toBe(201);
  return res.json<Lead>();
}
const poolLead = () => newLead(t.admin, { ownerId: null });

async function handovers(id: string): Promise<
  {
    action: string;
    from_user_id: string | null;
    to_user_id: string | null;
    reason: string | null;
  }[]
> {
  const { rows } = await t.db.pool.query<{
    action: string;
    from_user_id: string | null;
    to_user_id: string | null;
    reason: string | null;
  }>(
    'SELECT action, from_user_id, to_user_id, reason FROM handovers WHERE entity_id = $1 ORDER BY at, action',
    [id],
  );
  return rows;
}

describe('creating leads', () => {
  it('makes the creator the owner (pending) without ownerId, and pools it with ownerId null', async () => {
    const mine = await newLead(org.users.repA1.client);
    expect(mine).toMatchObject({
      status: 'pending',
      ownerId: org.users.repA1.id,
      ownerName: 'a.rep1',
    });
    const pooled = await newLead(org.users.repA1.client, { ownerId: null });
    expect(pooled).toMatchObject({ status: 'unassigned', ownerId: null });
    expect(pooled.poolId).toBeTruthy();
  });

  it('lets a manager assign on creation inside their team only', async () => {
    const ok = await newLead(org.users.mgrA.client, { ownerId: org.users.repA2.id });
    expect(ok).toMatchObject({ status: 'pending', ownerId: org.users.repA2.id });
    const outside = await org.users.mgrA.client.post('/api/v1/leads', {
      company: 'x',
      ownerId: org.users.repB1.id,
    });
    expect(outside.statusCode).toBe(403);
    const rep = await org.users.repA1.client.post('/api/v1/leads', {
      company: 'x',
      ownerId: org.users.repA2.id,
    });
    expect(rep.statusCode).toBe(403);
  });

  it('refuses an empty lead and bad fields', async () => {
    expect((await t.admin.post('/api/v1/leads', { source: 'fair' })).statusCode).toBe(400);
    expect((await t.admin.post('/api/v1/leads', { company: 'x', email: 'nope' })).statusCode).toBe(
      400,
    );
    expect(
      (await t.admin.post('/api/v1/leads', { company: 'x', ownerId: 'not-a-uuid' })).statusCode,
    ).toBe(400);
  });
});

describe('the life cycle', () => {
  it('walks claim → follow-up → invalid → revived → return, with handovers and a timeline', async () => {
    const rep = org.users.repA1.client;
    const l = await poolLead();
    const claimed = await rep.post(`/api/v1/leads/${l.id}/claim`);
    expect(claimed.json<Lead>()).toMatchObject({ status: 'pending', ownerId: org.users.repA1.id });

    const fu = await rep.post(`/api/v1/leads/${l.id}/follow-ups`, {
      type: 'call',
      content: '电话沟通，对方有兴趣',
      nextAt: '2026-12-01T02:00:00.000Z',
    });
    expect(fu.statusCode).toBe(201);
    expect((await rep.get(`/api/v1/leads/${l.id}`)).json<Lead>().status).toBe('following');

    const inv = await rep.post(`/api/v1/leads/${l.id}/invalidate`, { reason: '暂无需求' });
    expect(inv.json<Lead>()).toMatchObject({
      status: 'invalid',
      invalidReason: '暂无需求',
      ownerId: org.users.repA1.id,
    });
    await rep.post(`/api/v1/leads/${l.id}/follow-ups`, { type: 'wechat', content: '重新联系上了' });
    expect((await rep.get(`/api/v1/leads/${l.id}`)).json<Lead>().status).toBe('following');

    const back = await rep.post(`/api/v1/leads/${l.id}/return`, { reason: '不在我的区域' });
    expect(back.json<Lead>()).toMatchObject({ status: 'unassigned', ownerId: null });

    expect((await handovers(l.id)).map((h) => [h.action, h.reason])).toEqual([
      ['create', null],
      ['claim', null],
      ['return', '不在我的区域'],
    ]);
    const tl = (await t.admin.get(`/api/v1/leads/${l.id}/timeline`)).json<{
      items: TimelineItem[];
    }>().items;
    expect(tl.filter((i) => i.kind === 'followUp')).toHaveLength(2);
    expect(tl.map((i) => i.action)).toEqual(
      expect.arrayContaining(['create', 'claim', 'status', 'return', 'call', 'wechat']),
    );
  });

  it('answers illegal transitions with 409 naming the current status, changing nothing', async () => {
    const rep = org.users.repA1.client;
    const l = await newLead(rep);
    const cases: [string, unknown][] = [
      [`/api/v1/leads/${l.id}/claim`, {}],
      [`/api/v1/leads/${l.id}/restore`, {}],
    ];
    for (const [url, body] of cases) {
      const res = await t.admin.post(url, body);
      expect(res.statusCode).toBe(409);
    }
    // Names of colleagues are not secret: a claim on an owned lead names its owner, nothing more.
    const claim = await org.users.repA2.client.post(`/api/v1/leads/${l.id}/claim`);
    expect(claim.statusCode).toBe(409);
    expect(claim.json()).toEqual({
      error: {
        code: 'ALREADY_CLAIMED',
        message: 'Already claimed by a.rep1',
        details: { ownerId: org.users.repA1.id, ownerName: 'a.rep1' },
      },
    });
    const pooled = await poolLead();
    const inv = await t.admin.post(`/api/v1/leads/${pooled.id}/invalidate`, { reason: 'x' });
    expect(inv.statusCode).toBe(409);
    expect(inv.json()).toMatchObject({
      error: {
        code: 'ILLEGAL_TRANSITION',
        details: { status: 'unassigned', action: 'invalidate' },
      },
    });
    expect(inv.json<{ error: { message: string } }>().error.message).toContain('unassigned');
    const fu = await t.admin.post(`/api/v1/leads/${pooled.id}/follow-ups`, {
      type: 'call',
      content: 'x',
    });
    expect(fu.statusCode).toBe(409);
    expect((await t.admin.get(`/api/v1/leads/${pooled.id}`)).json<Lead>().status).toBe(
      'unassigned',
    );
  });

  it('voids and lets only an admin restore to the status before voiding', async () => {
    const rep = org.users.repA1.client;
    const l = await newLead(rep);
    await rep.post(`/api/v1/leads/${l.id}/follow-ups`, { type: 'call', content: '空号' });
    const voided = await rep.post(`/api/v1/leads/${l.id}/void`, { reason: '虚假信息' });
    expect(voided.json<Lead>()).toMatchObject({ status: 'voided', voidReason: '虚假信息' });
    expect((await rep.post(`/api/v1/leads/${l.id}/restore`)).statusCode).toBe(403);
    expect((await org.users.mgrA.client.post(`/api/v1/leads/${l.id}/restore`)).statusCode).toBe(
      403,
    );
    const restored = await t.admin.post(`/api/v1/leads/${l.id}/restore`);
    expect(restored.json<Lead>()).toMatchObject({
      status: 'following',
      ownerId: org.users.repA1.id,
    });
    expect((await rep.post(`/api/v1/leads/${l.id}/void`)).statusCode).toBe(400);
  });

  it('restores a voided lead into the pool when its owner has left', async () => {
    await t.admin.post('/api/v1/users', {
      username: 'short.stay',
      password: 'short-stay-1',
      displayName: 'short',
      nodeId: org.nodes.teamA,
      roles: ['sales'],
    });
    const leaver = await t.login('short.stay', 'short-stay-1');
    const l = await newLead(leaver);
    await leaver.post(`/api/v1/leads/${l.id}/void`, { reason: 'dup' });
    const me = (await leaver.get('/api/v1/me')).json<{ id: string }>();
    await t.admin.post(`/api/v1/users/${me.id}/deactivate`, { transferTo: 'pool' });
    const restored = await t.admin.post(`/api/v1/leads/${l.id}/restore`);
    expect(restored.json<Lead>()).toMatchObject({ status: 'unassigned', ownerId: null });
  });
});

describe('the lead pool', () => {
  it('lets a manager assign and reassign inside the team, with handovers', async () => {
    const l = await poolLead();
    const a = await org.users.mgrA.client.post(`/api/v1/leads/${l.id}/assign`, {
      ownerId: org.users.repA1.id,
    });
    expect(a.json<Lead>()).toMatchObject({ status: 'pending', ownerId: org.users.repA1.id });
    const b = await org.users.mgrA.client.post(`/api/v1/leads/${l.id}/assign`, {
      ownerId: org.users.repA2.id,
    });
    expect(b.json<Lead>()).toMatchObject({ status: 'pending', ownerId: org.users.repA2.id });
    expect(
      (
        await org.users.mgrA.client.post(`/api/v1/leads/${l.id}/assign`, {
          ownerId: org.users.repB1.id,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await org.users.repA1.client.post(`/api/v1/leads/${l.id}/assign`, {
          ownerId: org.users.repA1.id,
        })
      ).statusCode,
    ).toBe(403);
    expect((await handovers(l.id)).map((h) => h.action)).toEqual(['create', 'assign', 'assign']);
  });

  it('batch-claims each id on its own, answering one result per id', async () => {
    const [a, b] = [await poolLead(), await poolLead()];
    const taken = await newLead(org.users.repA2.client);
    const res = await org.users.repA1.client.post('/api/v1/leads/claim', {
      ids: [a.id, b.id, taken.id, '00000000-0000-4000-8000-000000000000'],
    });
    expect(res.statusCode).toBe(200);
    const results = res.json<BatchResult>().results;
    expect(results.map((r) => r.ok)).toEqual([true, true, false, false]);
    expect(results[2]?.error).toMatchObject({ code: 'ALREADY_CLAIMED' });
    expect(results[2]?.error?.message).toContain('a.rep2');
    expect(results[3]?.error?.code).toBe('NOT_FOUND');
  });

  it('batch-assigns for managers', async () => {
    const ids = [(await poolLead()).id, (await poolLead()).id];
    const res = await org.users.mgrA.client.post('/api/v1/leads/assign', {
      ids,
      ownerId: org.users.repA2.id,
    });
    expect(res.json<BatchResult>().results.every((r) => r.ok)).toBe(true);
  });

  it('writes the claim, its audit entry and its handover together, and refuses leads not open', async () => {
    const l = await poolLead();
    const res = await org.users.repA1.client.post(`/api/v1/leads/${l.id}/claim`);
    expect(res.json<Lead>()).toMatchObject({ ownerId: org.users.repA1.id, status: 'pending' });
    const audit = (await t.admin.get(`/api/v1/audit?entity=lead&entityId=${l.id}`)).json<
      Page<{ action: string; actorId: string; changes: unknown }>
    >();
    expect(audit.items.find((e) => e.action === 'claim')).toMatchObject({
      actorId: org.users.repA1.id,
      changes: {
        status: { before: 'unassigned', after: 'pending' },
        ownerId: { before: null, after: org.users.repA1.id },
      },
    });
    expect((await handovers(l.id)).filter((h) => h.action === 'claim')).toMatchObject([
      { from_user_id: null, to_user_id: org.users.repA1.id },
    ]);
    // Voided: an illegal transition, and nothing written.
    const voided = await poolLead();
    await t.admin.post(`/api/v1/leads/${voided.id}/void`, { reason: '测试作废' });
    const refused = await org.users.repA2.client.post(`/api/v1/leads/${voided.id}/claim`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'ILLEGAL_TRANSITION' } });
    expect((await handovers(voided.id)).filter((h) => h.action === 'claim')).toHaveLength(0);
    // Deleted or unknown: not found.
    const gone = await poolLead();
    await t.admin.del(`/api/v1/leads/${gone.id}`);
    expect((await org.users.repA2.client.post(`/api/v1/leads/${gone.id}/claim`)).statusCode).toBe(
      404,
    );
  });

  it('answers a second claimer ALREADY_CLAIMED naming the owner', async () => {
    const l = await poolLead();
    expect((await org.users.repA1.client.post(`/api/v1/leads/${l.id}/claim`)).statusCode).toBe(200);
    const late = await org.users.repC1.client.post(`/api/v1/leads/${l.id}/claim`);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      error: {
        code: 'ALREADY_CLAIMED',
        details: { ownerId: org.users.repA1.id, ownerName: 'a.rep1' },
      },
    });
  });

  it.skipIf(isPglite)(
    `gives a lead to exactly one of many claimers on separate connections (skipped on PGlite: ${onServerOnly})`,
    async () => {
      const l = await poolLead();
      const claimers = [
        org.users.repA1,
        org.users.repA2,
        org.users.repB1,
        org.users.repC1,
        org.users.squadRep,
        org.users.telesales,
      ];
      // Separate pool connections: fire all at once through real PostgreSQL sessions.
      const answers = await Promise.all(
        claimers.map((u) => u.client.post(`/api/v1/leads/${l.id}/claim`)),
      );
      const codes = answers.map((a) => a.statusCode).sort();
      expect(codes.filter((c) => c === 200)).toHaveLength(1);
      expect(codes.filter((c) => c === 409)).toHaveLength(claimers.length - 1);
      const winner = answers.find((a) => a.statusCode === 200)?.json<Lead>().ownerId;
      for (const a of answers.filter((x) => x.statusCode === 409)) {
        expect(a.json()).toMatchObject({
          error: { code: 'ALREADY_CLAIMED', details: { ownerId: winner } },
        });
      }
      expect((await handovers(l.id)).filter((h) => h.action === 'claim')).toHaveLength(1);
    },
  );
});

describe('claims on separate connections', () => {
  it.skipIf(isPglite)(
    `give a lead to exactly one of N claimers on N separate PostgreSQL connections released at once (skipped on PGlite: ${onServerOnly})`,
    async () => {
      const l = await poolLead();
      const claimers = [
        org.users.repA1,
        org.users.repA2,
        org.users.repB1,
        org.users.repC1,
        org.users.squadRep,
        org.users.telesales,
        org.users.mgrA,
        org.users.mgrB,
      ];
      // One pool of one connection per claimer, each connected before the start.
      const dbs = await Promise.all(
        claimers.map(() =>
          openDatabase({
            databaseUrl: process.env.DATABASE_URL,
            dataDir: '',
            schema: t.db.schema,
            poolSize: 1,
          }),
        ),
      );
      try {
        await Promise.all(dbs.map((d) => d.pool.query('SELECT 1')));
        const callers = await Promise.all(
          claimers.map((u) => loadCaller(t.db.db, t.tenantId, u.id, 'api', null)),
        );
        const outcomes = await Promise.allSettled(
          dbs.map((d, i) => {
            const caller = callers[i];
            if (!caller) throw new Error('no caller');
            return claimLead(d.db, caller, l.id);
          }),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        expect(won).toHaveLength(1);
        const winner = won[0]?.status === 'fulfilled' ? won[0].value.ownerId : null;
        for (const o of outcomes) {
          if (o.status === 'rejected') {
            expect(o.reason).toBeInstanceOf(AppError);
            expect(o.reason).toMatchObject({
              code: 'ALREADY_CLAIMED',
              details: { ownerId: winner },
            });
          }
        }
        expect((await handovers(l.id)).filter((h) => h.action === 'claim')).toHaveLength(1);
      } finally {
        await Promise.all(dbs.map((d) => d.close()));
      }
    },
  );
});

describe('visibility', () => {
  it('shows reps their own and the pool, managers their subtree, nobody a sibling team', async () => {
    const a1 = await newLead(org.users.repA1.client, { company: '可见性测试A' });
    const b1 = await newLead(org.users.repB1.client, { company: '可见性测试B' });
    const seen = async (c: Client) =>
      (await c.get('/api/v1/leads?q=可见性测试&pageSize=50'))
        .json<Page<Lead>>()
        .items.map((l) => l.id)
        .sort();
    expect(await seen(org.users.repA1.client)).toEqual([a1.id]);
    expect(await seen(org.users.repA2.client)).toEqual([]);
    expect(await seen(org.users.mgrA.client)).toEqual([a1.id]);
    expect(await seen(org.users.eastMgr.client)).toEqual([a1.id, b1.id].sort());
    expect(await seen(t.admin)).toEqual([a1.id, b1.id].sort());
    expect((await org.users.repA2.client.get(`/api/v1/leads/${a1.id}`)).statusCode).toBe(404);
    expect(
      (await org.users.mgrB.client.patch(`/api/v1/leads/${a1.id}`, { company: 'hijack' }))
        .statusCode,
    ).toBe(404);
    expect((await org.users.analyst.client.get('/api/v1/leads')).statusCode).toBe(403);
  });

  it('filters, sorts, pages and searches by phone digits', async () => {
    const c = org.users.repC1.client;
    for (let i = 0; i < 5; i++)
      await newLead(c, {
        company: `排序测试${i}`,
        phone: `1390000000${i}`,
        source: i % 2 ? 'fair' : 'web',
      });
    const page = (await c.get('/api/v1/leads?q=排序测试&sort=company&pageSize=2&page=2')).json<
      Page<Lead>
    >();
    expect(page).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page.items.map((l) => l.company)).toEqual(['排序测试2', '排序测试3']);
    const fair = (await c.get('/api/v1/leads?q=排序测试&source=fair')).json<Page<Lead>>();
    expect(fair.total).toBe(2);
    const phone = (await c.get('/api/v1/leads?q=139-0000-0003')).json<Page<Lead>>();
    expect(phone.items.map((l) => l.company)).toEqual(['排序测试3']);
    const statuses = (await c.get('/api/v1/leads?status=pending,following&q=排序测试')).json<
      Page<Lead>
    >();
    expect(statuses.total).toBe(5);
    expect((await c.get('/api/v1/leads?status=bogus')).statusCode).toBe(400);
    expect((await c.get('/api/v1/leads?sort=-phone')).statusCode).toBe(400);
  });
});

describe('deletion and the recycle bin', () => {
  it('lets reps create but not delete; managers delete to the bin; only admins restore or purge', async () => {
    const l = await newLead(org.users.repA1.client, { company: '回收站测试' });
    expect((await org.users.repA1.client.del(`/api/v1/leads/${l.id}`)).statusCode).toBe(403);
    expect((await org.users.mgrA.client.del(`/api/v1/leads/${l.id}`)).statusCode).toBe(200);
    expect((await org.users.repA1.client.get(`/api/v1/leads/${l.id}`)).statusCode).toBe(404);
    expect((await org.users.mgrA.client.get('/api/v1/recycle-bin/leads')).statusCode).toBe(403);
    const bin = (await t.admin.get('/api/v1/recycle-bin/leads')).json<Page<Lead>>();
    expect(bin.items.map((x) => x.id)).toContain(l.id);
    expect(
      (await t.admin.post(`/api/v1/recycle-bin/leads/${l.id}/restore`)).json<Lead>().deletedAt,
    ).toBeNull();
    expect((await org.users.repA1.client.get(`/api/v1/leads/${l.id}`)).statusCode).toBe(200);

    await t.admin.del(`/api/v1/leads/${l.id}`);
    expect((await t.admin.del(`/api/v1/recycle-bin/leads/${l.id}`)).statusCode).toBe(200);
    expect((await t.admin.get(`/api/v1/leads/${l.id}`)).statusCode).toBe(404);
    const audit = (await t.admin.get(`/api/v1/audit?entity=lead&entityId=${l.id}`)).json<
      Page<{ action: string }>
    >();
    expect(audit.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['purge', 'delete', 'restore', 'create']),
    );
  });
});

describe('departure', () => {
  it('transfers a departing rep’s open leads to a colleague or the pool, in the handover history', async () => {
    await t.admin.post('/api/v1/users', {
      username: 'leaving.rep',
      password: 'leaving-rep-1',
      displayName: '离职',
      nodeId: org.nodes.teamA,
      roles: ['sales'],
    });
    const leaver = await t.login('leaving.rep', 'leaving-rep-1');
    const me = (await leaver.get('/api/v1/me')).json<{ id: string }>();
    const open = await newLead(leaver);
    const res = await t.admin.post(`/api/v1/users/${me.id}/deactivate`, {
      transferTo: org.users.repA1.id,
    });
    expect(res.statusCode).toBe(200);
    const after = (await t.admin.get(`/api/v1/leads/${open.id}`)).json<Lead>();
    expect(after).toMatchObject({ ownerId: org.users.repA1.id, status: 'pending' });
    expect((await handovers(open.id)).at(-1)).toMatchObject({
      action: 'transfer',
      from_user_id: me.id,
      to_user_id: org.users.repA1.id,
    });
  });
});

describe('agenda', () => {
  it('lists the caller’s due and overdue plans until a later follow-up closes them', async () => {
    const rep = org.users.squadRep.client;
    const a = await newLead(rep, { company: '议程甲' });
    const b = await newLead(rep, { company: '议程乙' });
    const c = await newLead(rep, { company: '议程丙' });
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const soon = new Date(Date.now() + 60_000).toISOString();
    const later = new Date(Date.now() + 10 * 86_400_000).toISOString();
    await rep.post(`/api/v1/leads/${a.id}/follow-ups`, {
      type: 'call',
      content: '约了回电',
      nextAt: past,
    });
    await rep.post(`/api/v1/leads/${b.id}/follow-ups`, {
      type: 'visit',
      content: '准备上门',
      nextAt: soon,
    });
    await rep.post(`/api/v1/leads/${c.id}/follow-ups`, {
      type: 'call',
      content: '下月再联系',
      nextAt: later,
    });
    const items = (await rep.get('/api/v1/agenda')).json<{
      items: { entityName: string; overdue: boolean }[];
    }>().items;
    expect(items.map((i) => [i.entityName, i.overdue])).toEqual([
      ['议程甲', true],
      ['议程乙', false],
    ]);
    await rep.post(`/api/v1/leads/${a.id}/follow-ups`, { type: 'call', content: '已回电' });
    const after = (await rep.get('/api/v1/agenda')).json<{ items: { entityName: string }[] }>()
      .items;
    expect(after.map((i) => i.entityName)).toEqual(['议程乙']);
    const others = (await org.users.repA1.client.get('/api/v1/agenda')).json<{
      items: { entityName: string }[];
    }>().items;
    expect(others.map((i) => i.entityName)).not.toContain('议程乙');
    expect((await rep.get(`/api/v1/agenda?until=${encodeURIComponent(later)}Z`)).statusCode).toBe(
      400,
    );
  });
});

describe('large lists', () => {
  it('answer an estimated total above 10,000 matching rows, flagged', async () => {
    await t.db.pool.query(
      `INSERT INTO leads (tenant_id, company, status, pool_id, source)
       SELECT $1, '批量线索' || g, 'unassigned', (SELECT id FROM pools WHERE tenant_id = $1 AND is_default), 'bulk'
         FROM generate_series(1, 10050) g`,
      [t.tenantId],
    );
    await t.db.pool.query('ANALYZE leads');
    const page = (await t.admin.get('/api/v1/leads?source=bulk&pageSize=5')).json<Page<Lead>>();
    expect(page.items).toHaveLength(5);
    expect(page.totalIsEstimate).toBe(true);
    expect(page.total).toBeGreaterThan(10_000);
    const exact = (await t.admin.get('/api/v1/leads?source=fair&pageSize=5')).json<Page<Lead>>();
    expect(exact.totalIsEstimate).toBeUndefined();
  });
});
