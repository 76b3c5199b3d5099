import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Contact,
  Customer,
  ImportDuplicateHandling,
  ImportJob,
  ImportType,
  Lead,
  Page,
  TimelineItem,
  User,
} from '@tide/contract';
import { createTestApp, type Client, type TestApp } from '../../../test/harness.ts';
import { importFinished, uploadImportFile } from '../../../test/imports.ts';
import { buildOrg, USER_PASSWORD, type Org } from '../../../test/fixtures.ts';

/**
 * Imports read and write through the importer's data scope, and an import belongs
 * to its uploader. The importer is the manager of 杭州一组; the hidden records
 * belong to 王婷婷 of the sibling team 杭州二组, whom he may not see.
 */
let t: TestApp;
let org: Org;
let mgr: Client;
let hiddenCustomer: Customer;
let hiddenContact: Contact;
let hiddenLead: Lead;
let ownCustomer: Customer;
let ownLead: Lead;
const OWNER = '王婷婷';
const hiddenReason = `already exists, owned by ${OWNER}`;

beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
  mgr = org.users.mgrA.client;
  const renamed = await t.admin.patch(`/api/v1/users/${org.users.repB1.id}`, {
    displayName: OWNER,
  });
  expect(renamed.statusCode, renamed.body).toBe(200);
  const other = org.users.repB1.client;
  hiddenCustomer = (
    await other.post('/api/v1/customers', {
      name: '宁波二组精密机械有限公司',
      industry: '机械',
      source: '展会',
      phone: '0574-87654321',
    })
  ).json<Customer>();
  hiddenContact = (
    await other.post('/api/v1/contacts', {
      customerId: hiddenCustomer.id,
      name: '周工',
      title: '采购',
      phone: '13700005555',
    })
  ).json<Contact>();
  hiddenLead = (
    await other.post('/api/v1/leads', { company: '宁波二组线索有限公司', phone: '13900004444' })
  ).json<Lead>();
  ownCustomer = (
    await org.users.repA1.client.post('/api/v1/customers', {
      name: '杭州一组五金有限公司',
      industry: '五金',
    })
  ).json<Customer>();
  ownLead = (
    await org.users.repA1.client.post('/api/v1/leads', {
      company: '杭州一组线索有限公司',
      phone: '13900003333',
    })
  ).json<Lead>();
  for (const r of [hiddenCustomer, hiddenContact, hiddenLead, ownCustomer, ownLead])
    expect(r.id).toBeTruthy();
  expect(hiddenCustomer.ownerId).toBe(org.users.repB1.id);
  // The importer indeed may not see them.
  expect((await mgr.get(`/api/v1/customers/${hiddenCustomer.id}`)).statusCode).toBe(404);
  expect((await mgr.get(`/api/v1/leads/${hiddenLead.id}`)).statusCode).toBe(404);
});
afterAll(async () => {
  await t.close();
});

async function upload(c: Client, type: ImportType, name: string, csv: string): Promise<ImportJob> {
  const res = await uploadImportFile(t, c, name, Buffer.from(csv), { type });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<ImportJob>();
}

const finished = importFinished;

/** Uploads, sets what happens to duplicates, runs to the end; answers the report's rows. */
async function runImport(
  type: ImportType,
  onDuplicate: ImportDuplicateHandling,
  lines: string[],
  by: Client = mgr,
): Promise<{ job: ImportJob; report: string; rows: Record<string, string>[] }> {
  const uploaded = await upload(by, type, `${type}-${onDuplicate}.csv`, lines.join('\n'));
  expect((await by.patch(`/api/v1/imports/${uploaded.id}`, { onDuplicate })).statusCode).toBe(200);
  expect((await by.post(`/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
  const job = await finished(by, uploaded.id);
  expect(job.status, job.error ?? '').toBe('done');
  const report = (await by.get(`/api/v1/imports/${job.id}/report`)).body;
  const rows = parse(report, { bom: true, columns: true }) as Record<string, string>[];
  return { job, report, rows };
}

const asAdmin = async <T>(url: string): Promise<T> => {
  const res = await t.admin.get(url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
};

const followUpsOn = async (kind: 'customers' | 'leads', id: string) =>
  (await asAdmin<{ items: TimelineItem[] }>(`/api/v1/${kind}/${id}/timeline`)).items.filter(
    (i) => i.kind === 'followUp',
  ).length;

describe('an import matches only what its importer may see', () => {
  it('customers with update: the hidden customer is skipped naming its owner, and stays as it was', async () => {
    const { report, rows } = await runImport('customers', 'update', [
      '客户名称,行业,来源',
      '宁波二组精密机械有限公司,化工,网络',
      '杭州一组五金有限公司,建材,转介绍',
    ]);
    expect(rows).toEqual([
      { row: '1', outcome: 'skipped', reason: hiddenReason, recordId: '' },
      expect.objectContaining({ row: '2', outcome: 'updated', recordId: ownCustomer.id }),
    ]);
    expect(report).not.toContain(hiddenCustomer.id);
    const after = await asAdmin<Customer>(`/api/v1/customers/${hiddenCustomer.id}`);
    expect(after).toMatchObject({
      industry: '机械',
      source: '展会',
      updatedAt: hiddenCustomer.updatedAt,
    });
    // What the importer may see is updated as before.
    expect(await asAdmin<Customer>(`/api/v1/customers/${ownCustomer.id}`)).toMatchObject({
      industry: '建材',
      source: '转介绍',
    });

    // The branch's manager, whose subtree holds both teams, updates the same customer.
    const byBranch = await runImport(
      'customers',
      'update',
      ['客户名称,行业', '宁波二组精密机械有限公司,铸造'],
      org.users.eastMgr.client,
    );
    expect(byBranch.rows[0]).toMatchObject({ outcome: 'updated', recordId: hiddenCustomer.id });
    expect((await asAdmin<Customer>(`/api/v1/customers/${hiddenCustomer.id}`)).industry).toBe(
      '铸造',
    );
  });

  it('customers with link: no follow-up appears on the hidden customer', async () => {
    const before = await followUpsOn('customers', hiddenCustomer.id);
    const { report, rows } = await runImport('customers', 'link', [
      '客户名称,电话',
      '宁波二组精密机械有限公司,',
      // The same customer found by its phone, its name written otherwise (a phone alone
      // merges only when the names agree: imports.cleaning.test.ts).
      '宁波市二组精密机械股份有限公司,0574-87654321',
      '杭州一组五金有限公司,',
    ]);
    expect(rows.map((r) => [r.outcome, r.reason, r.recordId])).toEqual([
      ['skipped', hiddenReason, ''],
      ['skipped', hiddenReason, ''],
      ['linked', 'the same customer exists', ownCustomer.id],
    ]);
    expect(report).not.toContain(hiddenCustomer.id);
    expect(await followUpsOn('customers', hiddenCustomer.id)).toBe(before);
    expect(await followUpsOn('customers', ownCustomer.id)).toBe(1);
  });

  it('contacts: none is attached to a hidden customer, and a hidden contact is not updated', async () => {
    const { report, rows } = await runImport('contacts', 'update', [
      '所属客户,姓名,职务,手机',
      '宁波二组精密机械有限公司,吴经理,总经理,13600006666',
      // A contact of the hidden customer, by its phone, named under a customer the importer sees.
      '杭州一组五金有限公司,周工程师,厂长,137 0000 5555',
      '杭州一组五金有限公司,钱工,技术,13600007777',
    ]);
    expect(rows.map((r) => [r.outcome, r.reason, r.recordId])).toEqual([
      ['skipped', `the customer "宁波二组精密机械有限公司" is owned by ${OWNER}`, ''],
      ['skipped', hiddenReason, ''],
      ['created', '', expect.any(String) as string],
    ]);
    expect(report).not.toContain(hiddenCustomer.id);
    expect(report).not.toContain(hiddenContact.id);
    const contacts = await asAdmin<Page<Contact>>(
      `/api/v1/contacts?customerId=${hiddenCustomer.id}`,
    );
    expect(contacts.items.map((c) => c.id)).toEqual([hiddenContact.id]);
    expect(contacts.items[0]).toMatchObject({ name: '周工', title: '采购' });
    const own = await asAdmin<Page<Contact>>(`/api/v1/contacts?customerId=${ownCustomer.id}`);
    expect(own.items.map((c) => c.name)).toEqual(['钱工']);
  });

  it('leads with update: the hidden lead is not changed nor named', async () => {
    const { report, rows } = await runImport('leads', 'update', [
      '公司名称,联系人,手机',
      '宁波二组线索有限公司,冒名者,13900004444',
      '杭州一组线索有限公司,孙工,13900003333',
      '改名有限公司,冒名者,13900004444',
    ]);
    expect(rows.map((r) => [r.outcome, r.reason]).slice(0, 2)).toEqual([
      ['skipped', hiddenReason],
      ['updated', 'a lead with this phone or company exists'],
    ]);
    expect(rows.map((r) => r.recordId).slice(0, 2)).toEqual(['', ownLead.id]);
    // Another company on the hidden lead's number: a lead of its own, the other unnamed.
    expect(rows[2]).toMatchObject({
      outcome: 'created',
      reason: 'shares the phone +8613900004444 with another record',
    });
    expect(report).not.toContain('宁波二组');
    expect(report).not.toContain(hiddenLead.id);
    expect(await asAdmin<Lead>(`/api/v1/leads/${hiddenLead.id}`)).toMatchObject({
      company: '宁波二组线索有限公司',
      contactName: null,
      updatedAt: hiddenLead.updatedAt,
    });
    expect(await asAdmin<Lead>(`/api/v1/leads/${ownLead.id}`)).toMatchObject({
      company: '杭州一组线索有限公司',
      contactName: '孙工',
    });
  });

  it('leads with link: no follow-up appears on the hidden lead', async () => {
    const { rows } = await runImport('leads', 'link', [
      '公司名称,手机',
      '宁波二组线索有限公司,13900004444',
    ]);
    expect(rows.map((r) => [r.outcome, r.reason, r.recordId])).toEqual([
      ['skipped', hiddenReason, ''],
    ]);
    expect(await followUpsOn('leads', hiddenLead.id)).toBe(0);
  });
});

describe('an import belongs to its uploader', () => {
  it('the uploader and admins change and run it; their managers see it; nobody else does', async () => {
    const southNode = org.nodes.south;
    const created = await t.admin.post('/api/v1/users', {
      username: 's.mgr',
      password: USER_PASSWORD,
      displayName: '华南主管',
      nodeId: southNode,
      roles: ['manager'],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<User>().id).toBeTruthy();
    const callers = {
      uploader: mgr,
      manager: org.users.eastMgr.client,
      siblingManager: org.users.mgrB.client,
      otherBranchManager: await t.login('s.mgr', USER_PASSWORD),
      admin: t.admin,
      rep: org.users.repA1.client,
    };
    const job = await upload(
      mgr,
      'leads',
      '归属.csv',
      '公司名称,手机\n归属测试有限公司,13500001234\n',
    );
    const path = `/api/v1/imports/${job.id}`;

    const sees = async (c: Client) => ({
      list: (await c.get('/api/v1/imports'))
        .json<{ items?: ImportJob[] }>()
        .items?.some((i) => i.id === job.id),
      get: (await c.get(path)).statusCode,
      preview: (await c.get(`${path}/preview`)).statusCode,
      report: (await c.get(`${path}/report`)).statusCode,
    });
    expect(await sees(callers.uploader)).toEqual({
      list: true,
      get: 200,
      preview: 200,
      report: 200,
    });
    expect(await sees(callers.manager)).toEqual({
      list: true,
      get: 200,
      preview: 200,
      report: 200,
    });
    expect(await sees(callers.admin)).toEqual({ list: true, get: 200, preview: 200, report: 200 });
    for (const c of [callers.siblingManager, callers.otherBranchManager])
      expect(await sees(c)).toEqual({ list: false, get: 404, preview: 404, report: 404 });
    expect((await callers.rep.get('/api/v1/imports')).statusCode).toBe(403);
    expect(await sees(callers.rep)).toEqual({
      list: undefined,
      get: 403,
      preview: 403,
      report: 403,
    });

    // Changing and running: the uploader and admins only; a refusal changes nothing.
    const changes = async (c: Client) => ({
      update: (await c.patch(path, { onDuplicate: 'link' })).statusCode,
      start: (await c.post(`${path}/start`)).statusCode,
      resume: (await c.post(`${path}/resume`)).statusCode,
    });
    expect(await changes(callers.manager)).toEqual({ update: 403, start: 403, resume: 403 });
    for (const c of [callers.siblingManager, callers.otherBranchManager])
      expect(await changes(c)).toEqual({ update: 404, start: 404, resume: 404 });
    expect(await changes(callers.rep)).toEqual({ update: 403, start: 403, resume: 403 });
    expect((await mgr.get(path)).json<ImportJob>()).toMatchObject({
      status: 'uploaded',
      onDuplicate: 'skip',
    });

    const byAdmin = await callers.admin.patch(path, { onDuplicate: 'update' });
    expect(byAdmin.statusCode).toBe(200);
    expect(byAdmin.json<ImportJob>().onDuplicate).toBe('update');
    expect((await mgr.patch(path, { onDuplicate: 'link' })).statusCode).toBe(200);
    expect((await mgr.post(`${path}/start`)).statusCode).toBe(202);

    // An admin may start another's import too.
    const second = await upload(mgr, 'leads', '归属2.csv', '公司名称\n归属二有限公司\n');
    expect((await callers.admin.post(`/api/v1/imports/${second.id}/start`)).statusCode).toBe(202);
    expect((await finished(mgr, job.id)).status).toBe('done');
    expect((await finished(mgr, second.id)).status).toBe('done');
  });

  it('an import whose uploader has left is not run with anybody else’s scope', async () => {
    const created = await t.admin.post('/api/v1/users', {
      username: 'left.mgr',
      password: USER_PASSWORD,
      displayName: '离职主管',
      nodeId: org.nodes.teamA,
      roles: ['manager'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const leaver = await t.login('left.mgr', USER_PASSWORD);
    const job = await upload(
      leaver,
      'leads',
      '离职.csv',
      '公司名称,手机\n宁波二组线索有限公司,13900004444\n',
    );
    const gone = await t.admin.post(`/api/v1/users/${created.json<User>().id}/deactivate`, {
      transferTo: 'pool',
    });
    expect(gone.statusCode, gone.body).toBe(200);
    expect((await t.admin.post(`/api/v1/imports/${job.id}/start`)).statusCode).toBe(202);
    const ended = await finished(t.admin, job.id);
    expect(ended).toMatchObject({ status: 'failed', rowsDone: 0 });
    expect(ended.error).toContain('no longer active');
  });
});
