import type { OrgNode, User } from '@tide/contract';
import type { Client, TestApp } from './harness.ts';
import { createTenant } from '../src/modules/tenants/tenants.service.ts';

export const USER_PASSWORD = 'user-pass-123';

export interface FixtureUser {
  id: string;
  client: Client;
}

/**
 * A realistic org of four levels, each test stating only what matters to it:
 *
 *   root (admin, service, telesales)
 *   ├── east (branch; manager eastMgr, analyst)
 *   │   ├── teamA (manager mgrA, reps repA1, repA2, marketing mktA)
 *   │   │   └── squadA (rep squadRep)
 *   │   └── teamB (manager mgrB, rep repB1)
 *   └── south (branch)
 *       └── teamC (rep repC1)
 */
export async function buildOrg(t: TestApp) {
  const tree = (await t.admin.get('/api/v1/org/nodes')).json<{ roots: { id: string }[] }>();
  const rootId = tree.roots[0]?.id;
  if (!rootId) throw new Error('no root node');
  const node = async (name: string, parentId: string): Promise<string> => {
    const res = await t.admin.post('/api/v1/org/nodes', { name, parentId });
    if (res.statusCode !== 201) throw new Error(`node ${name}: ${res.body}`);
    return res.json<OrgNode>().id;
  };
  const east = await node('华东', rootId);
  const teamA = await node('杭州一组', east);
  const squadA = await node('杭州一组一队', teamA);
  const teamB = await node('杭州二组', east);
  const south = await node('华南', rootId);
  const teamC = await node('广州一组', south);

  const user = async (username: string, nodeId: string, roles: string[]): Promise<FixtureUser> => {
    const res = await t.admin.post('/api/v1/users', {
      username,
      password: USER_PASSWORD,
      displayName: username,
      nodeId,
      roles,
    });
    if (res.statusCode !== 201) throw new Error(`user ${username}: ${res.body}`);
    const id = res.json<User>().id;
    return { id, client: await t.login(username, USER_PASSWORD) };
  };
  const users = {
    eastMgr: await user('east.mgr', east, ['manager']),
    analyst: await user('east.analyst', east, ['analyst']),
    mgrA: await user('a.mgr', teamA, ['manager']),
    repA1: await user('a.rep1', teamA, ['sales']),
    repA2: await user('a.rep2', teamA, ['sales']),
    mktA: await user('a.mkt', teamA, ['marketing']),
    squadRep: await user('a.squad', squadA, ['sales']),
    mgrB: await user('b.mgr', teamB, ['manager']),
    repB1: await user('b.rep1', teamB, ['sales']),
    repC1: await user('c.rep1', teamC, ['sales']),
    telesales: await user('hq.tele', rootId, ['telesales']),
    service: await user('hq.service', rootId, ['service']),
  };
  return { nodes: { root: rootId, east, teamA, squadA, teamB, south, teamC }, users };
}
export type Org = Awaited<ReturnType<typeof buildOrg>>;

const ACME_PASSWORD = 'acme-admin-pass';

/** A second tenant, "acme", signed in as its admin: for tests of what crosses tenants. */
export async function secondTenant(t: TestApp): Promise<Client> {
  await createTenant(t.db.db, { slug: 'acme', name: 'Acme 贸易', adminPassword: ACME_PASSWORD });
  return t.login('admin', ACME_PASSWORD, 'acme');
}
