import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Customer, Me, Page as ListPage } from '@tide/contract';
import { callApi } from './helpers/api.ts';
import { input, loadedText, waitForText, type BrowserSession } from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { addNode, addUser, rootNode, userPassword } from './helpers/org.ts';
import { required } from './helpers/required.ts';

const { server, sessions, signIn } = useE2eEnvironment();

/** Names that need quoting in CSV, and one the search below leaves out. */
const mine = ['杭州青禾食品有限公司', '杭州"明远",贸易有限公司', '杭州恒泰\n物流有限公司'];
const otherOfMine = '宁波海曙电子有限公司';
const colleagues = '杭州云帆科技有限公司';

describe('exporting a list from the page', () => {
  let rep: BrowserSession | undefined;

  it('sets up a rep with customers, and a colleague with one of their own', async () => {
    const admin = await signIn('admin', server().adminPassword);
    const { context } = admin;
    const root = await rootNode(context);
    const team = await addNode(context, '杭州一组', root.id);
    const rep = await addUser(context, 'wangfang', '王芳', team.id, ['sales']);
    const colleague = await addUser(context, 'liqiang', '李强', team.id, ['sales']);
    for (const name of [...mine, otherOfMine])
      await callApi(context, 'POST', '/customers', { name, ownerId: rep.id, source: '展会' });
    await callApi(context, 'POST', '/customers', { name: colleagues, ownerId: colleague.id });
  });

  it('downloads the customers the page shows, with its search, as CSV', async () => {
    rep = await signIn('wangfang', userPassword);
    const { page, context } = rep;
    await page.getByTestId('nav-customers').click();
    await page.waitForURL('**/customers');
    await waitForText(page.getByTestId('customer-table'), otherOfMine);
    await input(page, 'customer-search').fill('杭州');
    await input(page, 'customer-search').press('Enter');
    await page.getByTestId('customer-table').filter({ hasNotText: otherOfMine }).waitFor();
    expect(await loadedText(page, 'customer-table')).toContain('杭州青禾食品有限公司');

    await page.getByTestId('customers-export').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('customers-export-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^客户-\d{8}-\d{6}\.csv$/);
    const file = await readFile(await download.path());
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parse(file, { bom: true }) as string[][];
    expect(header?.slice(0, 2)).toEqual(['ID', '名称']);
    await waitForText(page.locator('.ant-message'), '已导出 3 行');

    // The same rows, in the same order, as the list the page asked for.
    const me = await callApi<Me>(context, 'GET', '/me');
    const list = await callApi<ListPage<Customer>>(
      context,
      'GET',
      `/customers?poolState=private&ownerId=${me.id}&q=${encodeURIComponent('杭州')}&sort=-updatedAt&pageSize=200`,
    );
    expect(rows.map((r) => r[0])).toEqual(list.items.map((c) => c.id));
    expect(rows.map((r) => r[1]).sort()).toEqual([...mine].sort());
    expect(rows.every((r) => r[13] === '王芳')).toBe(true);
  });

  it('raised no uncaught error in any page', () => {
    required(rep, 'the rep session');
    for (const session of sessions) expect(session.errors).toEqual([]);
  });
});
