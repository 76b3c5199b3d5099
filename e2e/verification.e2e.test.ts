import { describe, expect, it } from 'vitest';
import type { Lead, Pool } from '@tide/contract';
import { callApi } from './helpers/api.ts';
import { waitForText, type BrowserSession } from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { addNode, addUser, rootNode, userPassword } from './helpers/org.ts';
import { required } from './helpers/required.ts';

const company = '温州鹿城区永嘉鞋业有限公司';

const { server, sessions, signIn } = useE2eEnvironment();
let admin: BrowserSession | undefined;
let lead: Lead | undefined;

describe('verification calls: leads of a pool requiring them wait for telesales', () => {
  it('lets an administrator make the default pool require verification', async () => {
    admin = await signIn('admin', server().adminPassword);
    const { page, context } = admin;
    const team = await addNode(context, '电销中心', (await rootNode(context)).id);
    await addUser(context, 'xuting', '许婷', team.id, ['telesales']);

    const pools = (await callApi<{ items: Pool[] }>(context, 'GET', '/pools')).items;
    const defaultPool = required(
      pools.find((p) => p.isDefault),
      'the default pool',
    );
    expect(defaultPool.requireVerification).toBe(false);
    await page.getByTestId('nav-pools').click();
    await page.waitForURL('**/pools');
    await page.getByTestId(`pool-edit-${defaultPool.id}`).click();
    const form = page.getByTestId('pool-form');
    await form.waitFor();
    await page.getByTestId('pool-form-verification').click();
    await page.getByTestId('pool-form-save').click();
    await waitForText(page.locator('.ant-message'), '公海已保存');
    await form.waitFor({ state: 'detached' });
    await waitForText(page.locator(`tr[data-row-key="${defaultPool.id}"]`), '需审核');

    // A new pool lead now waits for its call.
    lead = await callApi<Lead>(context, 'POST', '/leads', {
      company,
      contactName: '林先生',
      phone: '13857712345',
      source: '展会',
      ownerId: null,
    });
    expect(lead.verification).toBe('pending');
    await page.goto(`/leads/${lead.id}`);
    await waitForText(page.getByTestId('lead-verification'), '待核实');
  });

  it('shows the lead in the telesales user’s queue, who verifies it from the page', async () => {
    const { id } = required(lead, 'the lead');
    const telesales = await signIn('xuting', userPassword);
    const { page } = telesales;
    await page.getByTestId('nav-verification').click();
    await page.waitForURL('**/verification');
    const row = page.locator(`tr[data-row-key="${id}"]`);
    await waitForText(row, company);
    await waitForText(row, '林先生');
    await waitForText(row, '13857712345');
    await waitForText(row, '展会');

    await page.getByTestId(`verify-verified-${id}`).click();
    const form = page.getByTestId('verify-form');
    await form.waitFor();
    await page
      .locator('textarea[data-testid="verify-note"], [data-testid="verify-note"] textarea')
      .first()
      .fill('电话接通,确认有采购需求');
    await page.getByTestId('verify-submit').click();
    await form.waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
    await waitForText(page.getByTestId('verification-empty'), '没有待核实的线索');

    const verified = await callApi<Lead>(telesales.context, 'GET', `/leads/${id}`);
    expect(verified).toMatchObject({
      verification: 'verified',
      verificationNote: '电话接通,确认有采购需求',
    });
    await page.goto(`/leads/${id}`);
    await waitForText(page.getByTestId('lead-verification'), '已核实');
    await waitForText(page.getByTestId('lead-verification-note'), '确认有采购需求');
  });

  it('hides the queue from a rep without the permission', async () => {
    const { context } = required(admin, 'the admin session');
    const team = await addNode(context, '销售二组', (await rootNode(context)).id);
    await addUser(context, 'heyang', '何洋', team.id, ['sales']);
    const rep = await signIn('heyang', userPassword);
    await rep.page.getByTestId('nav-leadPool').waitFor();
    expect(await rep.page.getByTestId('nav-verification').count()).toBe(0);
    await rep.page.goto('/verification');
    await waitForText(rep.page.locator('.ant-result-403'), '无权访问');
  });

  it('raised no uncaught error in any page', () => {
    for (const session of sessions) expect(session.errors).toEqual([]);
  });
});
