import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJob, Lead, Page, TimelineItem } from '@tide/contract';
import { createTestApp, type Client, type TestApp } from '../../../test/harness.ts';
import { uploadImportFile } from '../../../test/imports.ts';
import { buildOrg, type Org } from '../../../test/fixtures.ts';

let t: TestApp;
let org: Org;
let mgr: Client;
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
  mgr = org.users.mgrA.client;
});
afterAll(async () => {
  await t.close();
});

async function upload(csv: string, kind: 'leads' | 'customers' | 'contacts' = 'leads') {
  const res = await uploadImportFile(t, mgr, '清洗.csv', Buffer.from(`\uFEFF${csv}`), {
    type: kind,
  });
  expect(res.statusCode).toBe(201);
  return res.json<ImportJob>();
}

async function run(id: string): Promise<Record<string, string>[]> {
  expect((await mgr.post(`/api/v1/imports/${id}/start`)).statusCode).toBe(202);
  for (let i = 0; i < 300; i++) {
    const job = (await mgr.get(`/api/v1/imports/${id}`)).json<ImportJob>();
    if (job.status === 'failed') throw new Error(job.error ?? 'failed');
    if (job.status === 'done') {
      const report = await mgr.get(`/api/v1/imports/${id}/report`);
      return parse(report.body, { bom: true, columns: true }) as Record<string, string>[];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the import did not finish');
}

/** The follow-ups on a record's timeline. */
async function followUps(kind: 'leads' | 'customers', id: string | undefined) {
  return (await mgr.get(`/api/v1/${kind}/${id ?? ''}/timeline`))
    .json<{ items: TimelineItem[] }>()
    .items.flatMap((i) => (i.kind === 'followUp' && i.followUp ? [i.followUp] : []));
}

async function leadsOf(company: string): Promise<Lead[]> {
  const page = (
    await mgr.get(`/api/v1/leads?status=unassigned&pageSize=200&q=${encodeURIComponent(company)}`)
  ).json<Page<Lead>>();
  return page.items.filter((l) => l.company === company);
}

describe('import cleaning', () => {
  it('keeps different companies sharing a switchboard apart, with a warning', async () => {
    await mgr.post('/api/v1/leads', { company: '杭州丙网络有限公司', phone: '0571-88885678' });
    const job = await upload(
      [
        '公司名称,联系人,电话',
        '杭州甲科技有限公司,王总,0571-88881234',
        '杭州乙贸易有限公司,李总,0571 8888 1234',
        '杭州丁咨询有限公司,赵总,(0571)88885678',
      ].join('\n'),
    );
    const rows = await run(job.id);
    expect(rows.map((r) => r.outcome)).toEqual(['created', 'created', 'created']);
    expect(rows[0]?.reason).toBe('');
    expect(rows[1]?.reason).toBe('shares the phone +8657188881234 with 杭州甲科技有限公司');
    expect(rows[2]?.reason).toBe('shares the phone +8657188885678 with 杭州丙网络有限公司');
    for (const company of ['杭州甲科技有限公司', '杭州乙贸易有限公司', '杭州丁咨询有限公司'])
      expect(await leadsOf(company)).toHaveLength(1);
    expect((await leadsOf('杭州乙贸易有限公司'))[0]?.contactName).toBe('李总');
  });

  it('still merges a repeat with the same name and phone, in the file and against the database', async () => {
    const existing = (
      await mgr.post('/api/v1/leads', { company: '宁波戊电子有限公司', phone: '0574-87651234' })
    ).json<Lead>();
    const job = await upload(
      [
        '公司名称,联系人,电话',
        '宁波己机械有限公司,孙总,0574-87659999',
        '宁波市己机械股份有限公司,,0574-87659999',
        '宁波戊电子有限公司,周工,0574-87651234',
      ].join('\n'),
    );
    const rows = await run(job.id);
    expect(rows.map((r) => r.outcome)).toEqual(['created', 'merged', 'skipped']);
    expect(rows[1]?.recordId).toBe(rows[0]?.recordId);
    expect(rows[2]?.recordId).toBe(existing.id);
  });

  it('updates a lead of the same name and phone, not one of another name on that phone', async () => {
    const existing = (
      await mgr.post('/api/v1/leads', { company: '嘉兴子科技有限公司', phone: '0573-82221234' })
    ).json<Lead>();
    const job = await upload(
      [
        '公司名称,联系人,电话',
        '嘉兴丑贸易有限公司,钱总,0573-82221234',
        '嘉兴子科技有限公司,吴总,0573-82221234',
      ].join('\n'),
    );
    expect(
      (await mgr.patch(`/api/v1/imports/${job.id}`, { onDuplicate: 'update' })).statusCode,
    ).toBe(200);
    const rows = await run(job.id);
    expect(rows.map((r) => r.outcome)).toEqual(['created', 'updated']);
    expect(rows[1]?.recordId).toBe(existing.id);
    expect((await mgr.get(`/api/v1/leads/${existing.id}`)).json<Lead>().contactName).toBe('吴总');
    expect((await leadsOf('嘉兴丑贸易有限公司'))[0]?.contactName).toBe('钱总');
  });

  it('keeps customers sharing a switchboard apart, and notes their remarks', async () => {
    const job = await upload(
      [
        '客户名称,电话,备注',
        '杭州寅科技有限公司,0571-86661234,总机转销售部',
        '杭州卯贸易有限公司,0571-86661234,',
        '杭州市寅科技股份有限公司,0571-86661234,',
      ].join('\n'),
      'customers',
    );
    expect(job.mapping).toMatchObject({ name: '客户名称', 'note:备注': '备注' });
    const rows = await run(job.id);
    expect(rows.map((r) => r.outcome)).toEqual(['created', 'created', 'merged']);
    expect(rows[1]?.reason).toBe('shares the phone +8657186661234 with 杭州寅科技有限公司');
    expect(rows[2]?.recordId).toBe(rows[0]?.recordId);
    const notes = await followUps('customers', rows[0]?.recordId);
    expect(notes.map((n) => n.content)).toEqual(['备注：总机转销售部']);
  });

  it('reads a phone written after a label', async () => {
    const job = await upload(['公司名称,电话', '温州庚科技有限公司,电话：13812345678'].join('\n'));
    const rows = await run(job.id);
    expect(rows[0]).toMatchObject({ outcome: 'created', reason: '' });
    expect((await leadsOf('温州庚科技有限公司'))[0]?.phoneE164).toBe('+8613812345678');
  });

  it('writes remark columns into one follow-up note on the lead', async () => {
    const job = await upload(
      [
        '公司名称,电话,备注,说明',
        '绍兴辛纺织有限公司,13912340001,老板下周回国,展会名片',
        '绍兴辛纺织有限公司,13912340001,要报价单,',
        '绍兴壬印染有限公司,13912340002,,',
      ].join('\n'),
    );
    expect(job.mapping).toMatchObject({ 'note:备注': '备注', 'note:说明': '说明' });
    const rows = await run(job.id);
    expect(rows.map((r) => r.outcome)).toEqual(['created', 'merged', 'created']);

    const notes = await followUps('leads', rows[0]?.recordId);
    expect(notes.map((n) => n.content).sort()).toEqual([
      '备注：老板下周回国\n说明：展会名片',
      '备注：要报价单',
    ]);
    expect(notes[0]?.authorId).toBe(org.users.mgrA.id);
    expect(await followUps('leads', rows[2]?.recordId)).toEqual([]);
  });

  it('refuses a note column that is not in the file, or on a contacts import', async () => {
    const job = await upload(['公司名称,备注', '台州癸有限公司,x'].join('\n'));
    const bad = await mgr.patch(`/api/v1/imports/${job.id}`, {
      mapping: { company: '公司名称', 'note:说明': '说明' },
    });
    expect(bad.statusCode).toBe(400);
    const contacts = await upload(
      ['客户,姓名,备注', '台州癸有限公司,张三,x'].join('\n'),
      'contacts',
    );
    expect(contacts.mapping['note:备注']).toBeUndefined();
    const refused = await mgr.patch(`/api/v1/imports/${contacts.id}`, {
      mapping: { customer: '客户', name: '姓名', 'note:备注': '备注' },
    });
    expect(refused.statusCode).toBe(400);
  });
});
