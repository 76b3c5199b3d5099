import { describe, expect, it } from 'vitest';
import type { Customer, Lead, Pool, RecordPoolState } from '@tide/contract';
import { callApi } from './helpers/api.ts';
import { closeBatchResults, waitForText, type BrowserSession } from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { addNode, addUser, rootNode, userPassword } from './helpers/org.ts';
import { required } from './helpers/required.ts';

const { server, sessions, signIn } = useE2eEnvironment();

const claimedCompany = '杭州云帆科技有限公司';
const otherCompany = '宁波海曙贸易公司';
const customerName = '苏州工业园区星河电子有限公司';

/** A date as the page shows it (`formatDate`) in the browser's zone, Asia/Shanghai. */
function shownDate(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}

describe('capacity, time to drop and protection on the lists', () => {
  let rep: BrowserSession | undefined;
  let lead: Lead | undefined;
  let customer: Customer | undefined;

  it('lets an administrator set the pool rules, a protection period and a rep’s limits', async () => {
    const { context } = await signIn('admin', server().adminPassword);
    const team = await addNode(context, '杭州一组', (await rootNode(context)).id);
    const wangfang = await addUser(context, 'wangfang', '王芳', team.id, ['sales']);

    const { items: pools } = await callApi<{ items: Pool[] }>(context, 'GET', '/pools');
    const pool = required(
      pools.find((p) => p.isDefault),
      'the default pool',
    );
    await callApi<Pool>(context, 'PATCH', `/pools/${pool.id}`, {
      protectDays: 7,
      rules: [
        { entity: 'lead', kind: 'no_follow_up', days: 30, warnDays: 3 },
        { entity: 'customer', kind: 'no_follow_up', days: 60, warnDays: 0 },
      ],
    });
    await callApi(context, 'POST', '/capacity-limits', {
      scope: 'user',
      userId: wangfang.id,
      entity: 'lead',
      maxRecords: 5,
      dailyClaims: 3,
    });

    lead = await callApi<Lead>(context, 'POST', '/leads', {
      company: claimedCompany,
      contactName: '陈先生',
      phone: '13800138000',
      ownerId: null,
    });
    await callApi<Lead>(context, 'POST', '/leads', { company: otherCompany, ownerId: null });
    customer = await callApi<Customer>(context, 'POST', '/customers', {
      name: customerName,
      ownerId: null,
    });
  });

  it('shows the rep their lead capacity and claims of the day on the pool page', async () => {
    rep = await signIn('wangfang', userPassword);
    const { page } = rep;
    await page.getByTestId('nav-leadPool').click();
    await page.waitForURL('**/leads/pool');
    const meter = page.getByTestId('capacity-lead');
    await waitForText(meter.getByTestId('capacity-held'), '我的线索库容');
    await waitForText(meter.getByTestId('capacity-held-value'), '0 / 5');
    await waitForText(meter.getByTestId('capacity-daily-value'), '0 / 3');

    await waitForText(page.getByTestId('pool-table'), claimedCompany);
    const row = page.getByTestId('pool-table').locator('tr', { hasText: claimedCompany });
    await row.locator('.ant-checkbox').click();
    await page.getByTestId('pool-batch-claim').click();
    await waitForText(page.getByTestId('batch-summary'), '成功 1 条');
    await closeBatchResults(page);

    await waitForText(meter.getByTestId('capacity-held-value'), '1 / 5');
    await waitForText(meter.getByTestId('capacity-daily-value'), '1 / 3');
  });

  it('tells the rep in how many days the claimed lead drops back, and by which rule', async () => {
    const { page, context } = required(rep, 'the rep session');
    const { id } = required(lead, 'the claimed lead');
    await page.getByTestId('nav-myLeads').click();
    await page.waitForURL('**/leads');
    const row = page.getByTestId('my-leads-table').locator(`tr[data-row-key="${id}"]`);
    const tag = row.getByTestId('pool-drop-tag');
    // Claimed a moment ago under a 30-day rule: 30 days left, rounded up.
    await waitForText(tag, '30 天后掉入公海');
    await tag.hover();
    await waitForText(page.locator('.ant-tooltip'), '规则：连续 30 天未跟进');

    const { items } = await callApi<{ items: RecordPoolState[] }>(
      context,
      'GET',
      `/pool-state?entity=lead&ids=${id}`,
    );
    expect(items[0]).toMatchObject({ id, dropRule: { kind: 'no_follow_up', days: 30 } });
  });

  it('shows the protection period on the pool page after the rep returns the lead', async () => {
    const { page, context } = required(rep, 'the rep session');
    const { id } = required(lead, 'the claimed lead');
    await callApi<Lead>(context, 'POST', `/leads/${id}/return`, { reason: '客户暂无需求' });
    const { items } = await callApi<{ items: RecordPoolState[] }>(
      context,
      'GET',
      `/pool-state?entity=lead&ids=${id}`,
    );
    const until = required(items[0]?.protectedUntil ?? undefined, 'the protection period');

    await page.getByTestId('nav-leadPool').click();
    await page.waitForURL('**/leads/pool');
    const row = page.getByTestId('pool-table').locator(`tr[data-row-key="${id}"]`);
    await waitForText(row.getByTestId('pool-protected-tag'), `保护期至 ${shownDate(until)}`);
    // The other lead was never the rep's: nothing stops them claiming it.
    const other = page.getByTestId('pool-table').locator('tr', { hasText: otherCompany });
    await other.waitFor();
    expect(await other.getByTestId('pool-protected-tag').count()).toBe(0);
    // Returned: the rep holds nothing again, but today's claim still counts.
    const meter = page.getByTestId('capacity-lead');
    await waitForText(meter.getByTestId('capacity-held-value'), '0 / 5');
    await waitForText(meter.getByTestId('capacity-daily-value'), '1 / 3');
  });

  it('shows customer capacity without limits and the drop countdown on my customers', async () => {
    const { page } = required(rep, 'the rep session');
    const { id } = required(customer, 'the public customer');
    await page.getByTestId('nav-customers').click();
    await page.waitForURL('**/customers');
    const meter = page.getByTestId('capacity-customer');
    await waitForText(meter.getByTestId('capacity-held'), '我的客户库容');
    await waitForText(meter.getByTestId('capacity-held-value'), '0 / 不限');

    await page.getByTestId('customer-tabs').getByText('公海客户').click();
    await page.getByTestId(`customer-claim-${id}`).click();
    await waitForText(page.locator('.ant-message'), '已领取');
    await waitForText(meter.getByTestId('capacity-held-value'), '1 / 不限');

    await page.getByTestId('customer-tabs').getByText('我的客户').click();
    const row = page.getByTestId('customer-table').locator(`tr[data-row-key="${id}"]`);
    await waitForText(row.getByTestId('pool-drop-tag'), '60 天后掉入公海');
  });

  it('hides both from a user without pool access', async () => {
    const admin = required(sessions[0], 'the admin session');
    // An analyst reads customers but not the pools.
    const root = await rootNode(admin.context);
    await addUser(admin.context, 'liuyang', '刘洋', root.id, ['analyst']);
    const analyst = await signIn('liuyang', userPassword);
    await analyst.page.getByTestId('nav-customers').click();
    await analyst.page.waitForURL('**/customers');
    await analyst.page.getByTestId('customer-table').waitFor();
    expect(await analyst.page.getByTestId('capacity-customer').count()).toBe(0);
    expect(await analyst.page.getByTestId('customer-table').innerText()).not.toContain('掉入公海');
  });

  it('raised no uncaught error in any page', () => {
    required(rep, 'the rep session');
    for (const session of sessions) expect(session.errors).toEqual([]);
  });
});
