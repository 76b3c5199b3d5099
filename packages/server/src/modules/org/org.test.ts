import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgNode, OrgTree } from '@tide/contract';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { buildOrg, type Org } from '../../../test/fixtures.ts';

let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
});
afterAll(async () => {
  await t.close();
});

async function tree(): Promise<OrgTree> {
  return (await t.admin.get('/api/v1/org/nodes')).json<OrgTree>();
}
function node(tr: OrgTree, id: string): OrgNode {
  const n = tr.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`node ${id} missing`);
  return n;
}

describe('org tree', () => {
  it('answers the tree nested, with depths and user counts', async () => {
    const tr = await tree();
    expect(tr.roots).toHaveLength(1);
    const east = tr.roots[0]?.children.find((c) => c.id === org.nodes.east);
    expect(east?.children.map((c) => c.name).sort()).toEqual(['杭州一组', '杭州二组']);
    expect(node(tr, org.nodes.squadA).depth).toBe(3);
    expect(node(tr, org.nodes.teamA).userCount).toBe(4);
  });

  it('renames a node and audits the change', async () => {
    const res = await t.admin.patch(`/api/v1/org/nodes/${org.nodes.teamC}`, {
      name: '广州销售一组',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<OrgNode>().name).toBe('广州销售一组');
    const audit = await t.admin.get(`/api/v1/audit?entity=org_node&entityId=${org.nodes.teamC}`);
    const entry = audit.json<{
      items: { action: string; changes: Record<string, { before: unknown; after: unknown }> }[];
    }>().items[0];
    expect(entry?.action).toBe('update');
    expect(entry?.changes.name).toEqual({ before: '广州一组', after: '广州销售一组' });
  });

  it('moves a subtree with all its descendants', async () => {
    const res = await t.admin.patch(`/api/v1/org/nodes/${org.nodes.teamA}`, {
      parentId: org.nodes.south,
    });
    expect(res.statusCode).toBe(200);
    const tr = await tree();
    expect(node(tr, org.nodes.teamA).parentId).toBe(org.nodes.south);
    expect(node(tr, org.nodes.squadA).depth).toBe(3);
    const { rows } = await t.db.pool.query<{ path: string }>(
      'SELECT path FROM org_nodes WHERE id = $1',
      [org.nodes.squadA],
    );
    expect(rows[0]?.path).toBe(
      `/${org.nodes.root}/${org.nodes.south}/${org.nodes.teamA}/${org.nodes.squadA}/`,
    );
    // Users moved with it: the south branch's users now include team A's.
    const users = await t.admin.get(`/api/v1/users?nodeId=${org.nodes.south}&pageSize=100`);
    expect(users.json<{ total: number }>().total).toBe(6);
    await t.admin.patch(`/api/v1/org/nodes/${org.nodes.teamA}`, { parentId: org.nodes.east });
  });

  it('refuses to move a node under itself or its descendants', async () => {
    for (const target of [org.nodes.east, org.nodes.teamA, org.nodes.squadA]) {
      const res = await t.admin.patch(`/api/v1/org/nodes/${org.nodes.east}`, { parentId: target });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'CONFLICT' } });
    }
    expect(node(await tree(), org.nodes.east).parentId).toBe(org.nodes.root);
  });

  it('refuses to move or delete the root', async () => {
    expect(
      (await t.admin.patch(`/api/v1/org/nodes/${org.nodes.root}`, { parentId: org.nodes.east }))
        .statusCode,
    ).toBe(409);
    expect((await t.admin.del(`/api/v1/org/nodes/${org.nodes.root}`)).statusCode).toBe(409);
  });

  it('deletes only empty nodes', async () => {
    const busy = await t.admin.del(`/api/v1/org/nodes/${org.nodes.teamB}`);
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ error: { code: 'CONFLICT', details: { users: 2 } } });
    const parent = await t.admin.del(`/api/v1/org/nodes/${org.nodes.south}`);
    expect(parent.statusCode).toBe(409);
    const fresh = (
      await t.admin.post('/api/v1/org/nodes', { name: '临时组', parentId: org.nodes.east })
    ).json<OrgNode>();
    expect((await t.admin.del(`/api/v1/org/nodes/${fresh.id}`)).statusCode).toBe(200);
    expect((await tree()).nodes.find((n) => n.id === fresh.id)).toBeUndefined();
  });

  it('refuses duplicate names among siblings and unknown parents', async () => {
    expect(
      (await t.admin.post('/api/v1/org/nodes', { name: '华东', parentId: org.nodes.root }))
        .statusCode,
    ).toBe(409);
    const unknown = await t.admin.post('/api/v1/org/nodes', {
      name: 'x',
      parentId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(400);
    expect(
      (await t.admin.patch('/api/v1/org/nodes/00000000-0000-4000-8000-000000000000', { name: 'x' }))
        .statusCode,
    ).toBe(404);
  });

  it('sets a node manager, who must be an active user', async () => {
    const ok = await t.admin.patch(`/api/v1/org/nodes/${org.nodes.teamB}`, {
      managerId: org.users.mgrB.id,
    });
    expect(ok.json<OrgNode>().managerId).toBe(org.users.mgrB.id);
    const bad = await t.admin.patch(`/api/v1/org/nodes/${org.nodes.teamB}`, {
      managerId: '00000000-0000-4000-8000-000000000000',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('lets everyone read the tree but only org managers change it', async () => {
    const rep = org.users.repA1.client;
    expect((await rep.get('/api/v1/org/nodes')).statusCode).toBe(200);
    const res = await rep.post('/api/v1/org/nodes', { name: 'rogue', parentId: org.nodes.teamA });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(
      (await org.users.mgrA.client.patch(`/api/v1/org/nodes/${org.nodes.teamA}`, { name: 'x' }))
        .statusCode,
    ).toBe(403);
  });
});
