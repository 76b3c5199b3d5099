import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, Customer, Lead, Opportunity, Page } from '@tide/contract';
import { createTestApp, type Client, type TestApp } from '../../../test/harness.ts';
import { buildOrg, type Org } from '../../../test/fixtures.ts';
import { exportLanguage } from './exports.routes.ts';
import { writeExport, type ExportPlan } from './exports.service.ts';
import { tenantIso } from './writers.ts';

let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
});
afterAll(async () => {
  await t.close();
});

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function get(c: Client, url: string, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${c.token}`, ...headers },
  });
}

/** The CSV's rows, header first; the BOM must be there and is dropped. */
function csvRows(res: LightMyRequestResponse): string[][] {
  expect(res.statusCode).toBe(200);
  expect(res.rawPayload.subarray(0, 3).equals(BOM)).toBe(true);
  return parse(res.rawPayload, { bom: true, relax_column_count: false }) as string[][];
}

/** The sheet's rows as CSV would write them: times back to ISO with +08:00, blanks as ''. */
async function xlsxRows(res: LightMyRequestResponse): Promise<string[][]> {
  expect(res.statusCode).toBe(200);
  const workbook = new ExcelJS.Workbook();
  // exceljs declares its own Buffer type; an ArrayBuffer copy satisfies it.
  await workbook.xlsx.load(new Uint8Array(res.rawPayload).buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('no sheet');
  const width = sheet.getRow(1).cellCount;
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    const cells: string[] = [];
    for (let i = 1; i <= width; i++) {
      const v = row.getCell(i).value;
      if (v === null || v === undefined) cells.push('');
      else if (v instanceof Date) {
        const isDateOnly = row.getCell(i).numFmt === 'yyyy-mm-dd';
        cells.push(
          isDateOnly ? v.toISOString().slice(0, 10) : `${v.toISOString().slice(0, 19)}+08:00`,
        );
      } else if (typeof v === 'string' || typeof v === 'number') cells.push(String(v));
      else throw new Error(`unexpected cell ${JSON.stringify(v)}`);
    }
    rows.push(cells);
  });
  return rows;
}

async function newLead(c: Client, body: Record<string, unknown>): Promise<Lead> {
  const res = await c.post('/api/v1/leads', body);
  expect(res.statusCode).toBe(201);
  return res.json<Lead>();
}

async function follow(c: Client, id: string): Promise<void> {
  const res = await c.post(`/api/v1/leads/${id}/follow-ups`, { type: 'call', content: '电话沟通' });
  expect(res.statusCode).toBe(201);
}

const statusLabel: Record<string, string> = { pending: '待处理', following: '跟进中' };

/** What the CSV row of a lead must say, column by column, as the list shows the lead. */
function expectedLeadRow(l: Lead): string[] {
  const at = (v: string | null) => (v ? tenantIso(v) : '');
  // A value Excel would run as a formula is written after an apostrophe.
  const defused = (v: string | null) => (v?.startsWith('=') ? `'${v}` : (v ?? ''));
  return [
    l.id,
    defused(l.company),
    l.contactName ?? '',
    l.phone ?? '',
    l.email ?? '',
    l.address ?? '',
    l.source ?? '',
    statusLabel[l.status] ?? l.status,
    l.ownerName ?? '',
    at(l.lastFollowUpAt),
    at(l.claimedAt),
    l.invalidReason ?? '',
    l.voidReason ?? '',
    at(l.createdAt),
    at(l.updatedAt),
  ];
}

describe('exporting the leads list', () => {
  let tricky: Lead;
  beforeAll(async () => {
    const u = org.users;
    tricky = await newLead(u.repA1.client, {
      company: '杭州"青禾",食品有限公司',
      contactName: '刘晓\n(采购)',
      phone: '13900139001',
      address: '浙江省杭州市西湖区文三路1号\n3楼, 东侧',
      source: '展会',
    });
    await follow(u.repA1.client, tricky.id);
    await newLead(u.repA1.client, { company: '杭州云帆科技有限公司', phone: '13900139002' });
    const teammate = await newLead(u.repA2.client, {
      company: '杭州明远贸易有限公司',
      phone: '13900139003',
    });
    await follow(u.repA2.client, teammate.id);
    await newLead(u.repB1.client, { company: '杭州恒泰物流有限公司', phone: '13900139004' });
    await newLead(u.repC1.client, { company: '广州汇通电子有限公司', phone: '13900139005' });
    await newLead(t.admin, { company: '公海线索有限公司', phone: '13900139006', ownerId: null });
    await newLead(u.repA1.client, {
      company: '=HYPERLINK("http://x","点我")',
      phone: '+86 139 0013 9007',
    });
  });

  it('holds exactly the rows the list returns for the filter and the caller, in its order', async () => {
    const callers: [string, Client][] = [
      ['rep', org.users.repA1.client],
      ['manager', org.users.mgrA.client],
      ['admin', t.admin],
    ];
    const counts: Record<string, number> = {};
    for (const [name, c] of callers) {
      const query = 'status=following,pending&sort=company';
      const list = (await c.get(`/api/v1/leads?${query}&pageSize=200`)).json<Page<Lead>>();
      const res = await get(c, `/api/v1/leads/export?${query}`);
      const [header, ...rows] = csvRows(res);
      expect(header?.slice(0, 3), name).toEqual(['ID', '公司', '联系人']);
      expect(rows, name).toEqual(list.items.map(expectedLeadRow));
      expect(res.headers['x-total-count'], name).toBe(String(list.total));
      expect(res.headers['x-total-is-estimate'], name).toBe('false');
      counts[name] = rows.length;
    }
    // The scopes differ: own leads; the team's; the tenant's.
    expect(counts).toEqual({ rep: 3, manager: 4, admin: 6 });
  });

  it('keeps Chinese text, quotes, commas and line breaks intact, and defuses formulas', async () => {
    const res = await get(org.users.repA1.client, '/api/v1/leads/export');
    const rows = csvRows(res);
    const row = rows.find((r) => r[0] === tricky.id);
    expect(row?.[1]).toBe('杭州"青禾",食品有限公司');
    expect(row?.[5]).toBe('浙江省杭州市西湖区文三路1号\n3楼, 东侧');
    expect(row?.[7]).toBe('跟进中');
    // The raw file quotes what needs it and doubles inner quotes.
    expect(res.rawPayload.toString('utf8')).toContain('"杭州""青禾"",食品有限公司"');
    // A line break alone is quoted as well: Excel would start a new row at a bare one.
    expect(res.rawPayload.toString('utf8')).toContain(',"刘晓\n(采购)",');
    expect(row?.[2]).toBe('刘晓\n(采购)');
    // A value Excel would run as a formula is written as text; a phone is left alone.
    const formula = rows.find((r) => r[1]?.includes('HYPERLINK'));
    expect(formula?.[1]).toBe(`'=HYPERLINK("http://x","点我")`);
    expect(formula?.[3]).toBe('+86 139 0013 9007');
  });

  it('answers as a file to download, named in the language of the headers', async () => {
    const zh = await get(org.users.repA1.client, '/api/v1/leads/export');
    expect(zh.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(zh.headers['content-disposition']).toMatch(
      /^attachment; filename="leads-\d{8}-\d{6}\.csv"; filename\*=UTF-8''%E7%BA%BF%E7%B4%A2-\d{8}-\d{6}\.csv$/,
    );
    expect(zh.headers['cache-control']).toBe('no-store');

    const en = await get(org.users.repA1.client, '/api/v1/leads/export?lang=en');
    expect(csvRows(en)[0]?.slice(0, 3)).toEqual(['ID', 'Company', 'Contact']);
    expect(en.headers['content-disposition']).toContain("filename*=UTF-8''leads-");
    const byHeader = await get(org.users.repA1.client, '/api/v1/leads/export', {
      'accept-language': 'en-US,en;q=0.9,zh-CN;q=0.8',
    });
    expect(csvRows(byHeader)[0]?.[1]).toBe('Company');
    expect(csvRows(byHeader).find((r) => r[0] === tricky.id)?.[7]).toBe('Following');
  });

  it('writes the same rows as an Excel workbook', async () => {
    const c = org.users.mgrA.client;
    const csv = csvRows(await get(c, '/api/v1/leads/export?status=following,pending'));
    const res = await get(c, '/api/v1/leads/export?status=following,pending&format=xlsx');
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toMatch(/filename="leads-\d{8}-\d{6}\.xlsx"/);
    const sheet = await xlsxRows(res);
    // Excel holds text as is: the formula-looking value needs no apostrophe there.
    const unDefused = csv.map((r) => r.map((v) => (v.startsWith(`'=`) ? v.slice(1) : v)));
    expect(sheet).toEqual(unDefused);
    expect(sheet.length).toBeGreaterThan(1);
  });

  it('exports nothing a rep may not see, and refuses callers without the list permission', async () => {
    const rep = org.users.repA1.client;
    const other = await get(rep, `/api/v1/leads/export?ownerId=${org.users.repB1.id}`);
    expect(csvRows(other)).toHaveLength(1);
    expect(other.headers['x-total-count']).toBe('0');
    const all = csvRows(await get(rep, '/api/v1/leads/export'));
    const owners = new Set(all.slice(1).map((r) => r[8]));
    expect(owners).toEqual(new Set(['a.rep1', '']));
    // Analysts read customers, not leads.
    const analyst = await get(org.users.analyst.client, '/api/v1/leads/export');
    expect(analyst.statusCode).toBe(403);
    // The recycle bin is the admins'.
    expect((await get(rep, '/api/v1/recycle-bin/leads/export')).statusCode).toBe(403);
  });

  it('records every export in the audit log: who, which list, filters, format and rows', async () => {
    const rep = org.users.repA1.client;
    const res = await get(rep, '/api/v1/customers/export?poolState=private&format=xlsx');
    expect(res.statusCode).toBe(200);
    const log = (
      await t.admin.get('/api/v1/audit?entity=export&entityId=customers&pageSize=5')
    ).json<Page<AuditEntry>>();
    expect(log.items[0]).toMatchObject({
      actorId: org.users.repA1.id,
      entity: 'export',
      entityId: 'customers',
      action: 'export',
      changes: {
        format: { before: null, after: 'xlsx' },
        rows: { before: null, after: Number(res.headers['x-total-count']) },
        filters: { before: null, after: { poolState: 'private' } },
      },
    });
    // A refused export leaves no entry.
    await get(org.users.analyst.client, '/api/v1/leads/export');
    const leads = (
      await t.admin.get(`/api/v1/audit?entity=export&actorId=${org.users.analyst.id}`)
    ).json<Page<AuditEntry>>();
    expect(leads.items).toEqual([]);
  });

  it('refuses an unknown format, sort or filter value with 400', async () => {
    const rep = org.users.repA1.client;
    for (const query of ['format=pdf', 'sort=phone', 'status=lost', 'lang=fr']) {
      const res = await get(rep, `/api/v1/leads/export?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code, query).toBe('VALIDATION_FAILED');
    }
  });

  it('exports the recycle bin for an admin, with the deletion time', async () => {
    const victim = await newLead(t.admin, { company: '待删除有限公司', phone: '13900139099' });
    expect((await t.admin.del(`/api/v1/leads/${victim.id}`)).statusCode).toBe(200);
    const rows = csvRows(await get(t.admin, '/api/v1/recycle-bin/leads/export'));
    expect(rows[0]?.at(-1)).toBe('删除时间');
    expect(rows.slice(1).map((r) => r[0])).toEqual([victim.id]);
    expect(rows[1]?.at(-1)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  });
});

describe('exporting customers, contacts and opportunities', () => {
  let customer: Customer;
  beforeAll(async () => {
    const rep = org.users.repB1.client;
    const res = await rep.post('/api/v1/customers', {
      name: '南京鼓楼新材料有限公司',
      phone: '025-88886666',
      tags: ['重点客户', '华东'],
      valueTier: 'high',
    });
    expect(res.statusCode).toBe(201);
    customer = res.json<Customer>();
    expect(
      (
        await rep.post('/api/v1/contacts', {
          customerId: customer.id,
          name: '陈静',
          title: '采购经理',
          birthday: '1990-05-04',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await rep.post('/api/v1/opportunities', {
          customerId: customer.id,
          name: '年度采购项目',
          amount: 123456.78,
          expectedCloseDate: '2027-03-31',
        })
      ).statusCode,
    ).toBe(201);
  });

  it('exports customers with their labels, in CSV and Excel alike', async () => {
    const mgr = org.users.mgrB.client;
    const csv = csvRows(await get(mgr, '/api/v1/customers/export?poolState=private'));
    const row = csv.find((r) => r[0] === customer.id);
    expect(row?.slice(1, 3)).toEqual(['南京鼓楼新材料有限公司', '企业']);
    expect(row).toContain('重点客户; 华东');
    expect(row).toContain('高');
    expect(row).toContain('私海');
    expect(
      await xlsxRows(await get(mgr, '/api/v1/customers/export?poolState=private&format=xlsx')),
    ).toEqual(csv);
    // Another team's manager sees none of it.
    const sibling = csvRows(await get(org.users.mgrA.client, '/api/v1/customers/export'));
    expect(sibling.some((r) => r[0] === customer.id)).toBe(false);
  });

  it('exports contacts with dates as dates', async () => {
    const rep = org.users.repB1.client;
    const csv = csvRows(await get(rep, `/api/v1/contacts/export?customerId=${customer.id}`));
    expect(csv.slice(1).map((r) => [r[1], r[2], r[3], r[7]])).toEqual([
      ['陈静', '南京鼓楼新材料有限公司', '采购经理', '1990-05-04'],
    ]);
    expect(
      await xlsxRows(
        await get(rep, `/api/v1/contacts/export?customerId=${customer.id}&format=xlsx`),
      ),
    ).toEqual(csv);
    const hidden = csvRows(
      await get(org.users.repA1.client, `/api/v1/contacts/export?customerId=${customer.id}`),
    );
    expect(hidden).toHaveLength(1);
  });

  it('exports opportunities with amounts as numbers', async () => {
    const rep = org.users.repB1.client;
    const list = (await rep.get('/api/v1/opportunities?pageSize=200')).json<Page<Opportunity>>();
    const csv = csvRows(await get(rep, '/api/v1/opportunities/export'));
    expect(csv.slice(1).map((r) => r[0])).toEqual(list.items.map((o) => o.id));
    expect(csv[1]?.slice(1, 8)).toEqual([
      '年度采购项目',
      '南京鼓楼新材料有限公司',
      '123456.78',
      '初步沟通',
      '10',
      '进行中',
      '2027-03-31',
    ]);
    expect(await xlsxRows(await get(rep, '/api/v1/opportunities/export?format=xlsx'))).toEqual(csv);
  });
});

describe('exporting a large list', () => {
  const COUNT = 4500;
  let owner: string;
  beforeAll(async () => {
    owner = org.users.repC1.id;
    // Set-based, as the demo seed does: ties on created_at across batch boundaries,
    // times a JS Date cannot hold (microseconds), and mostly-null follow-up times.
    await t.db.pool.query(
      `INSERT INTO leads (tenant_id, company, contact_name, status, owner_id, claimed_at,
                          last_follow_up_at, created_at, updated_at)
       SELECT $1, '批量' || lpad(g::text, 5, '0') || '号公司', '联系人' || g, 'pending', $2, now(),
              CASE WHEN g % 10 = 0 THEN timestamptz '2026-06-01' + g * interval '1 second' END,
              timestamptz '2026-01-01' + (g % 3) * interval '1 microsecond',
              now()
         FROM generate_series(1, ${COUNT}) g`,
      [t.tenantId, owner],
    );
  });

  it('returns every row once, in the list order, across batches', async () => {
    const c = org.users.repC1.client;
    const query = `ownerId=${owner}&q=批量&sort=-createdAt`;
    const res = await get(c, `/api/v1/leads/export?${query}`);
    expect(res.headers['x-total-count']).toBe(String(COUNT));
    const ids = csvRows(res)
      .slice(1)
      .map((r) => r[0]);
    expect(ids).toHaveLength(COUNT);
    expect(new Set(ids).size).toBe(COUNT);
    const { rows } = await t.db.pool.query<{ id: string }>(
      `SELECT id FROM leads WHERE owner_id = $1 AND company LIKE '批量%'
        ORDER BY created_at DESC NULLS LAST, id DESC`,
      [owner],
    );
    expect(ids).toEqual(rows.map((r) => r.id));
    // The list pages through the same order.
    const listed: string[] = [];
    for (let page = 1; listed.length < COUNT; page++) {
      const p = (await c.get(`/api/v1/leads?${query}&page=${page}&pageSize=200`)).json<
        Page<Lead>
      >();
      listed.push(...p.items.map((l) => l.id));
      if (p.items.length === 0) break;
    }
    expect(ids).toEqual(listed);
  });

  it('pages past nulls and ties in either direction, in Excel too', async () => {
    const c = org.users.repC1.client;
    const orders: Record<string, string> = {
      lastFollowUpAt: 'last_follow_up_at ASC NULLS LAST, id ASC',
      '-lastFollowUpAt': 'last_follow_up_at DESC NULLS LAST, id DESC',
      company: 'company ASC NULLS LAST, id ASC',
    };
    for (const [sort, order] of Object.entries(orders)) {
      const csv = csvRows(await get(c, `/api/v1/leads/export?q=批量&sort=${sort}`));
      const { rows } = await t.db.pool.query<{ id: string }>(
        `SELECT id FROM leads WHERE owner_id = $1 AND company LIKE '批量%' ORDER BY ${order}`,
        [owner],
      );
      expect(
        csv.slice(1).map((r) => r[0]),
        sort,
      ).toEqual(rows.map((r) => r.id));
    }
    const sheet = await xlsxRows(await get(c, '/api/v1/leads/export?q=批量&format=xlsx'));
    expect(new Set(sheet.slice(1).map((r) => r[0])).size).toBe(COUNT);
  });
});

describe('the language of an export', () => {
  it('takes lang, then Accept-Language, then Chinese', () => {
    expect(exportLanguage('en', 'zh-CN')).toBe('en');
    expect(exportLanguage(undefined, 'en-GB,en;q=0.9')).toBe('en');
    expect(exportLanguage(undefined, 'fr;q=1, en;q=0.5, zh;q=0.8')).toBe('zh-CN');
    expect(exportLanguage(undefined, 'fr')).toBe('zh-CN');
    expect(exportLanguage(undefined, undefined)).toBe('zh-CN');
  });
});

describe('streaming', () => {
  /** A list of a million rows that counts how many batches were read, and whether reading stopped. */
  function millionRows() {
    const state = { reads: 0 };
    const plan: ExportPlan<{ id: string }> = {
      total: 1_000_000,
      totalIsEstimate: true,
      columns: [
        { header: { 'zh-CN': 'ID', en: 'ID' }, kind: 'text', width: 10, value: (r) => r.id },
      ],
      name: { 'zh-CN': '测试', en: 'test' },
      read: async (last, limit) => {
        state.reads++;
        await new Promise((resolve) => setImmediate(resolve));
        const start = last ? Number(last.id) + 1 : 0;
        const items = Array.from({ length: limit }, (_, i) => ({ id: String(start + i) }));
        return { items, last: { value: null, id: String(start + limit - 1) } };
      },
    };
    return { state, plan };
  }

  for (const format of ['csv', 'xlsx'] as const) {
    it(`reads batches as the ${format} file is read, and stops when the client goes away`, async () => {
      const { state, plan } = millionRows();
      const file = writeExport(plan, format, 'en', () => undefined, 500);
      const chunks = file.body[Symbol.asyncIterator]();
      await chunks.next();
      await new Promise((resolve) => setTimeout(resolve, 100));
      // An unread download holds back the reading: far from the 2,000 batches of the set.
      const readWhilePaused = state.reads;
      expect(readWhilePaused).toBeLessThan(100);
      file.body.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const afterClose = state.reads;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(state.reads).toBe(afterClose);
      expect(state.reads).toBeLessThanOrEqual(readWhilePaused + 2);
    });
  }
});
