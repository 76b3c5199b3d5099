import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ImportJob, Lead, Page as ListPage } from '@tide/contract';
import { callApi } from './helpers/api.ts';
import { waitForText, type BrowserSession } from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { addNode, addUser, rootNode, userPassword } from './helpers/org.ts';
import { required } from './helpers/required.ts';

const { server, sessions, signIn } = useE2eEnvironment();

/**
 * Chinese headers; row 2 has a phone that cannot be right, row 4 repeats row 1; 备注 has
 * no field of its own and goes into a follow-up note.
 */
const file = [
  '公司名称,联系人,手机,地址,来源,备注',
  '杭州云帆科技有限公司,王总,13800001111,浙江省杭州市西湖区文三路90号,展会,老板下周回国',
  '坏号码贸易有限公司,赵工,12345,,,',
  '上海华信贸易有限公司,李经理,13800002222,,官网,',
  '杭州云帆科技有限公司,王总,138-0000-1111,,,',
].join('\n');

describe('importing leads from a file through the page', () => {
  let manager: BrowserSession | undefined;

  it('sets up a manager', async () => {
    const { context } = await signIn('admin', server().adminPassword);
    const team = await addNode(context, '杭州一组', (await rootNode(context)).id);
    await addUser(context, 'zhaomin', '赵敏', team.id, ['manager']);
    await addUser(context, 'zhouzhi', '周芷若', (await rootNode(context)).id, ['manager']);
  });

  it('uploads a CSV from the lead pool and suggests the mapping from its Chinese headers', async () => {
    manager = await signIn('zhaomin', userPassword);
    const { page } = manager;
    await page.getByTestId('nav-leadPool').click();
    await page.getByTestId('pool-import').click();
    await page.waitForURL('**/imports?type=leads');
    await page.getByTestId('import-history').getByText('还没有导入记录').waitFor();

    await page
      .getByTestId('import-upload')
      .locator('input[type="file"]')
      .setInputFiles({ name: '展会线索.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });

    const suggested = {
      company: '公司名称',
      contactName: '联系人',
      phone: '手机',
      address: '地址',
      source: '来源',
    };
    for (const [field, header] of Object.entries(suggested))
      await waitForText(page.getByTestId(`import-map-${field}`), header);
    expect(await page.getByTestId('import-map-email').innerText()).toContain('不导入');
    await waitForText(page.getByTestId('import-map-note'), '备注');
    // Rows matching leads already stored are skipped unless the user says otherwise.
    await waitForText(
      page.getByTestId('import-on-duplicate').locator('.ant-radio-wrapper-checked'),
      '跳过',
    );
  });

  it('previews the rows with the bad phone flagged, runs the import and shows the counts', async () => {
    const { page } = required(manager, 'the manager session');
    await page.getByTestId('import-mapping-next').click();
    const preview = page.getByTestId('import-preview');
    await waitForText(preview, '上海华信贸易有限公司');
    await waitForText(page.getByTestId('import-preview-problems'), '1 行有问题');
    const bad = preview.locator('tr[data-row-key="2"]');
    expect(await bad.getAttribute('class')).toContain('import-row-problem');
    expect(await bad.innerText()).toContain('电话号码无效：“12345”');
    expect(await preview.locator('tr.import-row-problem').count()).toBe(1);

    await page.getByTestId('import-start').click();
    const run = page.locator('[data-testid="import-run"][data-status="done"]');
    await run.waitFor({ timeout: 60_000 });
    await waitForText(run, '已处理 4 / 4 行');
    const counts: Record<string, string> = {
      created: '2',
      merged: '1',
      rejected: '1',
      updated: '0',
      linked: '0',
      skipped: '0',
    };
    for (const [outcome, n] of Object.entries(counts))
      expect(
        await page
          .getByTestId(`import-count-${outcome}`)
          .locator('.ant-statistic-content')
          .innerText(),
      ).toBe(n);
    await waitForText(page.getByTestId('import-history'), '展会线索.csv');
  });

  it('stored the leads in the pool, and the report lists the rejected row', async () => {
    const { page, context } = required(manager, 'the manager session');
    const pool = await callApi<ListPage<Lead>>(
      context,
      'GET',
      '/leads?status=unassigned&pageSize=200',
    );
    const yunfan = pool.items.filter((l) => l.company === '杭州云帆科技有限公司');
    expect(yunfan).toHaveLength(1);
    expect(yunfan[0]).toMatchObject({ phoneE164: '+8613800001111', source: '展会' });
    const timeline = await callApi<{ items: { followUp?: { content: string } | null }[] }>(
      context,
      'GET',
      `/leads/${required(yunfan[0], 'the lead').id}/timeline`,
    );
    expect(timeline.items.map((i) => i.followUp?.content)).toContain('备注：老板下周回国');
    expect(pool.items.some((l) => l.company === '上海华信贸易有限公司')).toBe(true);
    expect(pool.items.some((l) => l.company === '坏号码贸易有限公司')).toBe(false);

    const { items } = await callApi<{ items: ImportJob[] }>(context, 'GET', '/imports');
    const job = required(items[0], 'the import');
    expect(job).toMatchObject({ status: 'done', fileName: '展会线索.csv', rowsTotal: 4 });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-run').getByTestId(`import-report-${job.id}`).click(),
    ]);
    expect(download.suggestedFilename()).toBe('展会线索-report.csv');
    const rows = parse(await readFile(await download.path()), {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(rows.map((r) => [r.row, r.outcome])).toEqual([
      ['1', 'created'],
      ['2', 'rejected'],
      ['3', 'created'],
      ['4', 'merged'],
    ]);
    expect(rows[1]?.reason).toContain('12345');
  });

  it("shows the uploader's manager the import's preview, without the means to change or start it", async () => {
    const { page } = required(manager, 'the manager session');
    await page.goto('/imports?type=leads');
    await page
      .getByTestId('import-upload')
      .locator('input[type="file"]')
      .setInputFiles({ name: '待审名单.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByTestId('import-mapping-next').waitFor();
    const id = required(new URL(page.url()).searchParams.get('id'), 'the import in the address');

    const above = await signIn('zhouzhi', userPassword);
    await above.page.goto(`/imports?id=${id}`);
    await waitForText(above.page.getByTestId('import-preview'), '上海华信贸易有限公司');
    await waitForText(above.page.getByTestId('import-not-yours'), '只有上传人或管理员');
    expect(await above.page.getByTestId('import-start').count()).toBe(0);
    expect(await above.page.getByTestId('import-mapping-next').count()).toBe(0);
    await waitForText(above.page.getByTestId('import-history'), '待审名单.csv');
  });

  it('raised no uncaught error in any page', () => {
    required(manager, 'the manager session');
    for (const session of sessions) expect(session.errors).toEqual([]);
  });
});
