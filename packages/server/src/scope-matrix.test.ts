import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../test/harness.ts';
import { buildOrg, type Org } from '../test/fixtures.ts';

/**
 * Walks every GET route of the OpenAPI document over the permission matrix:
 * callers × records (own, teammate's, another team's, another branch's, pool).
 * A route with an id answers 200 only for records the caller may see; a list
 * returns only such records. New routes are covered without touching this file.
 */

type RecordName = 'own' | 'teammate' | 'otherTeam' | 'otherBranch' | 'pool';
type CallerName =
  | 'rep'
  | 'teammate'
  | 'manager'
  | 'siblingManager'
  | 'branchManager'
  | 'telesales'
  | 'analyst'
  | 'admin';

/** Who may see which lead (SPEC §1): own; manager's subtree; the pools serving the caller; admin all. */
const leadMatrix: Record<CallerName, RecordName[]> = {
  rep: ['own', 'pool'],
  teammate: ['teammate', 'pool'],
  manager: ['own', 'teammate', 'pool'],
  siblingManager: ['otherTeam', 'pool'],
  branchManager: ['own', 'teammate', 'otherTeam', 'pool'],
  telesales: ['pool'],
  analyst: [],
  admin: ['own', 'teammate', 'otherTeam', 'otherBranch', 'pool'],
};

/** Customers: as leads, and analysts read their subtree (SPEC §1); contacts follow their customer. */
const customerMatrix: Record<CallerName, RecordName[]> = {
  ...leadMatrix,
  analyst: ['own', 'teammate', 'otherTeam', 'pool'],
};

/** Opportunities have no pool: an owner, their managers, the admin. */
const opportunityMatrix: Record<CallerName, RecordName[]> = {
  rep: ['own'],
  teammate: ['teammate'],
  manager: ['own', 'teammate'],
  siblingManager: ['otherTeam'],
  branchManager: ['own', 'teammate', 'otherTeam'],
  telesales: [],
  analyst: [],
  admin: ['own', 'teammate', 'otherTeam', 'otherBranch'],
};

/** Follow-ups (here on leads) are visible with their record; pool leads have none. */
const followUpMatrix = Object.fromEntries(
  Object.entries(leadMatrix).map(([k, v]) => [k, v.filter((n) => n !== 'pool')]),
) as Record<CallerName, RecordName[]>;

function csvIds(file: Buffer): { id?: string }[] {
  const rows = parse(file, { bom: true, from_line: 2 }) as string[][];
  return rows.map(([id]) => (id === undefined ? {} : { id }));
}

let t: TestApp;
let org: Org;
let callers: Record<CallerName, Client>;
const records = new Map<string, { name: RecordName; kind: string }>();
let paths: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
  const u = org.users;
  callers = {
    rep: u.repA1.client,
    teammate: u.repA2.client,
    manager: u.mgrA.client,
    siblingManager: u.mgrB.client,
    branchManager: u.eastMgr.client,
    telesales: u.telesales.client,
    analyst: u.analyst.client,
    admin: t.admin,
  };
  const lead = async (name: RecordName, c: Client, body: Record<string, unknown> = {}) => {
    const res = await c.post('/api/v1/leads', {
      company: `矩阵${name}`,
      phone: '13800000000',
      ...body,
    });
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    records.set(id, { name, kind: 'lead' });
    if (name !== 'pool') {
      const fu = await c.post(`/api/v1/leads/${id}/follow-ups`, {
        type: 'call',
        content: `跟进${name}`,
      });
      expect(fu.statusCode).toBe(201);
      records.set(fu.json<{ id: string }>().id, { name, kind: 'followUp' });
    }
  };
  const customer = async (name: RecordName, c: Client, body: Record<string, unknown> = {}) => {
    const res = await c.post('/api/v1/customers', { name: `矩阵客户${name}`, ...body });
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    records.set(id, { name, kind: 'customer' });
    const contact = await (name === 'pool' ? t.admin : c).post('/api/v1/contacts', {
      customerId: id,
      name: `联系人${name}`,
    });
    expect(contact.statusCode).toBe(201);
    records.set(contact.json<{ id: string }>().id, { name, kind: 'contact' });
    if (name !== 'pool') {
      const opp = await c.post('/api/v1/opportunities', {
        customerId: id,
        name: `商机${name}`,
        amount: 1000,
      });
      expect(opp.statusCode).toBe(201);
      records.set(opp.json<{ id: string }>().id, { name, kind: 'opportunity' });
    }
  };
  await customer('own', u.repA1.client);
  await customer('teammate', u.repA2.client);
  await customer('otherTeam', u.repB1.client);
  await customer('otherBranch', u.repC1.client);
  await customer('pool', t.admin, { ownerId: null });
  await lead('own', u.repA1.client);
  await lead('teammate', u.repA2.client);
  await lead('otherTeam', u.repB1.client);
  await lead('otherBranch', u.repC1.client);
  await lead('pool', t.admin, { ownerId: null });

  const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
    paths: Record<string, Record<string, unknown>>;
  }>();
  paths = Object.entries(doc.paths)
    .filter(([, methods]) => 'get' in methods)
    .map(([p]) => p);
});
afterAll(async () => {
  await t.close();
});

function expected(caller: CallerName, kind: string): Set<RecordName> {
  const matrix: Record<string, Record<CallerName, RecordName[]>> = {
    lead: leadMatrix,
    customer: customerMatrix,
    contact: customerMatrix,
    opportunity: opportunityMatrix,
    followUp: followUpMatrix,
  };
  const m = matrix[kind];
  if (!m) throw new Error(`no visibility matrix for records of kind ${kind}`);
  return new Set(m[caller]);
}

describe('data scope over every GET route', () => {
  it('finds the record routes in the OpenAPI document', () => {
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/leads',
        '/api/v1/leads/{id}',
        '/api/v1/leads/{id}/timeline',
      ]),
    );
  });

  it('answers a record by id only to callers who may see it', async () => {
    const idRoutes = paths.filter((p) => p.includes('{id}'));
    const failures: string[] = [];
    for (const route of idRoutes) {
      // The kind of record a route serves: the records the admin gets 200 for.
      const kinds = new Set<string>();
      for (const [id, rec] of records) {
        const res = await t.admin.get(route.replace('{id}', id));
        if (res.statusCode === 200) kinds.add(rec.kind);
      }
      for (const [callerName, client] of Object.entries(callers) as [CallerName, Client][]) {
        for (const [id, rec] of records) {
          if (!kinds.has(rec.kind)) continue;
          const res = await client.get(route.replace('{id}', id));
          const visible = expected(callerName, rec.kind).has(rec.name);
          const ok = visible
            ? res.statusCode === 200
            : res.statusCode === 404 || res.statusCode === 403;
          if (!ok)
            failures.push(
              `${callerName} GET ${route} for ${rec.name} ${rec.kind}: ${res.statusCode}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('lists only records the caller may see, and all of them', async () => {
    const listRoutes = paths.filter((p) => !p.includes('{'));
    const failures: string[] = [];
    for (const route of listRoutes) {
      for (const [callerName, client] of Object.entries(callers) as [CallerName, Client][]) {
        const res = await client.get(`${route}?pageSize=200`);
        if (res.statusCode !== 200) continue;
        // An export answers CSV whose first column is the record's id: it is a list too.
        const body = String(res.headers['content-type']).startsWith('text/csv')
          ? { items: csvIds(res.rawPayload) }
          : res.json<{ items?: { id?: string }[] }>();
        if (!Array.isArray(body.items)) continue;
        const returned = new Map<string, RecordName>();
        for (const item of body.items) {
          const rec = item.id ? records.get(item.id) : undefined;
          if (rec) returned.set(item.id ?? '', rec.name);
        }
        for (const [, name] of returned) {
          const kind = [...records.values()].find((r) => r.name === name)?.kind ?? '';
          if (!expected(callerName, kind).has(name))
            failures.push(`${callerName} GET ${route} leaked ${name} ${kind}`);
        }
        // A route that lists records of a kind lists every one the caller may see.
        const kindsListed = new Set([...returned.keys()].map((id) => records.get(id)?.kind));
        for (const kind of kindsListed) {
          if (!kind) continue;
          for (const name of expected(callerName, kind)) {
            if (![...returned.values()].includes(name))
              failures.push(`${callerName} GET ${route} misses ${name} ${kind}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
