import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Customer,
  Lead,
  OrgNode,
  OrgTree,
  Page as ListPage,
  TenantSettings,
  User,
} from '@tide/contract';
import { callApi } from './helpers/api.ts';
import { launchBrowser, openPage, waitForText, type BrowserSession } from './helpers/browser.ts';
import { startServer, type TideServer } from './helpers/server.ts';
import { ensureWebBuild } from './helpers/web-build.ts';

const password = 'Passw0rd-2026';
const company = '杭州星河数据科技有限公司';
const contactName = '李明';
const opportunityName = '数据平台年度合作';
const matchedCompany = '宁波明珠贸易有限公司';
const matchedPhone = '13955556666';
const foreignCompany = '深圳南山创达电子有限公司';
const foreignPhone = '13866667777';

let server: TideServer | undefined;
let browser: Browser | undefined;
const sessions: BrowserSession[] = [];
let admin: BrowserSession | undefined;
let repA: BrowserSession | undefined;
let repAUser: User | undefined;
let repBUser: User | undefined;
let lead: Lead | undefined;
let customerId: string | undefined;

function running(): { server: TideServer; browser: Browser } {
  if (!server || !browser) throw new Error('server or browser not started');
  return { server, browser };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing: an earlier step failed`);
  return value;
}

async function signIn(username: string, secret: string): Promise<BrowserSession> {
  const env = running();
  const session = await openPage(env.browser, env.server.baseUrl);
  sessions.push(session);
  const { page } = session;
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(secret);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('dashboard-welcome').waitFor();
  return session;
}

/** The element's text once no spinner is left in it (a table has loaded). */
async function loadedText(page: Page, testId: string): Promise<string> {
  const element = page.getByTestId(testId);
  await element.waitFor();
  await element.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  return element.innerText();
}

/** An antd input whose test id sits either on the input or on its wrapper. */
function input(page: Page, testId: string) {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

/** Opens the conversion dialog of the lead shown, once its entrance animation is over. */
async function openConvertDialog(page: Page): Promise<void> {
  await page.getByTestId('lead-convert').click();
  await page.getByTestId('convert-dialog').waitFor();
  await page.waitForTimeout(400);
}

beforeAll(async () => {
  ensureWebBuild();
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const session of sessions) await session.context.close();
  await browser?.close();
  await server?.stop();
});

describe('lead conversion', () => {
  it('lets an administrator set up two teams and put a lead into the pool', async () => {
    admin = await signIn('admin', running().server.adminPassword);
    const { context } = admin;
    const tree = await callApi<OrgTree>(context, 'GET', '/org/nodes');
    const root = tree.roots[0];
    if (!root) throw new Error('no root node');
    const addNode = (name: string) =>
      callApi<OrgNode>(context, 'POST', '/org/nodes', { name, parentId: root.id });
    const addUser = (username: string, displayName: string, nodeId: string, role: string) =>
      callApi<User>(context, 'POST', '/users', {
        username,
        displayName,
        nodeId,
        roles: [role],
        password,
      });
    const teamA = await addNode('杭州一组');
    const teamB = await addNode('深圳一组');
    repAUser = await addUser('wangfang', '王芳', teamA.id, 'sales');
    await addUser('zhaomin', '赵敏', teamA.id, 'manager');
    repBUser = await addUser('yanglei', '杨磊', teamB.id, 'sales');

    lead = await callApi<Lead>(context, 'POST', '/leads', {
      company,
      contactName,
      phone: '13712345678',
      source: '展会',
      ownerId: null,
    });
    expect(lead.status).toBe('unassigned');
  });

  it('lets rep A claim the lead from the pool and log a call', async () => {
    repA = await signIn('wangfang', password);
    const { page } = repA;
    const { id } = required(lead, 'the pool lead');
    await page.getByTestId('nav-leadPool').click();
    await page.waitForURL('**/leads/pool');
    await waitForText(page.getByTestId('pool-table'), company);
    const row = page.getByTestId('pool-table').locator('tr', { hasText: company });
    await row.locator('.ant-checkbox').click();
    await page.getByTestId('pool-batch-claim').click();
    await waitForText(page.getByTestId('batch-summary'), '成功 1 条');
    await page.waitForTimeout(500);
    await page.getByTestId('batch-close').click();
    await page.getByTestId('batch-results').waitFor({ state: 'detached' });

    await page.getByTestId('nav-myLeads').click();
    await page.waitForURL('**/leads');
    await page.getByTestId(`lead-link-${id}`).click();
    await page.waitForURL(`**/leads/${id}`);
    await waitForText(page.getByTestId('lead-title'), company);
    await waitForText(page.getByTestId('lead-status'), '待处理');

    await page.getByTestId('follow-up-content').fill('电话沟通,客户希望采购数据平台');
    await page.getByTestId('follow-up-submit').click();
    await waitForText(page.getByTestId('lead-status'), '跟进中');
    await waitForText(page.getByTestId('timeline-follow-up'), '电话沟通,客户希望采购数据平台');
  });

  it('converts the lead with a contact and an opportunity, then opens the customer', async () => {
    const { page, context } = required(repA, 'rep A');
    const { id } = required(lead, 'the pool lead');
    await openConvertDialog(page);
    expect(await input(page, 'convert-name').inputValue()).toBe(company);
    const contactSwitch = page.getByTestId('convert-create-contact');
    expect(await contactSwitch.getAttribute('aria-checked')).toBe('true');

    await page.getByTestId('convert-with-opportunity').click();
    await input(page, 'convert-opportunity-name').fill(opportunityName);
    await input(page, 'convert-opportunity-amount').fill('200000');
    await page.getByTestId('convert-submit').click();

    await waitForText(page.getByTestId('convert-result'), '已创建客户');
    await waitForText(page.getByTestId('convert-result-details'), opportunityName);
    // The lead behind the dialog has refreshed.
    await waitForText(page.getByTestId('lead-status'), '已转换');
    const converted = await callApi<Lead>(context, 'GET', `/leads/${id}`);
    expect(converted.status).toBe('converted');
    customerId = required(converted.convertedCustomerId ?? undefined, 'the converted customer');

    await page.getByTestId('convert-open-customer').click();
    await page.waitForURL(`**/customers/${customerId}`);
    await waitForText(page.getByTestId('customer-title'), company);
    await waitForText(page.getByTestId('customer-owner'), '王芳');
    await page.getByRole('tab', { name: '联系人' }).click();
    await waitForText(page.getByTestId('contacts-table'), contactName);
    await page.getByRole('tab', { name: '商机' }).click();
    await waitForText(page.getByTestId('customer-opportunities'), opportunityName);

    // The converted lead links to its customer and offers no second conversion.
    await page.goto(`/leads/${id}`);
    await waitForText(page.getByTestId('lead-converted'), company);
    await page.getByTestId('lead-converted-customer').click();
    await page.waitForURL(`**/customers/${customerId}`);
    await page.goto(`/leads/${id}`);
    await page.getByTestId('lead-converted').waitFor();
    expect(await page.getByTestId('lead-convert').count()).toBe(0);
  });

  it('hides the customer from a rep of another team', async () => {
    const repB = await signIn('yanglei', password);
    const { page } = repB;
    const id = required(customerId, 'the customer');
    await page.getByTestId('nav-customers').click();
    await page.waitForURL('**/customers');
    expect(await loadedText(page, 'customer-table')).not.toContain(company);
    await page.getByRole('tab', { name: '公海客户' }).click();
    expect(await loadedText(page, 'customer-table')).not.toContain(company);
    await page.getByRole('tab', { name: '我的客户' }).click();
    await input(page, 'customer-search').fill('星河');
    await input(page, 'customer-search').press('Enter');
    await waitForText(page.getByTestId('customer-table'), '暂无客户');

    await page.goto(`/customers/${id}`);
    await waitForText(page.getByTestId('customer-error'), '记录不存在或您无权查看');
  });

  it("shows the customer to rep A's manager among the team's customers", async () => {
    const manager = await signIn('zhaomin', password);
    const { page } = manager;
    const id = required(customerId, 'the customer');
    await page.getByTestId('nav-customers').click();
    await page.waitForURL('**/customers');
    await page.getByRole('tab', { name: '团队客户' }).click();
    await waitForText(page.getByTestId('customer-table'), company);
    await page.getByTestId(`customer-link-${id}`).click();
    await page.waitForURL(`**/customers/${id}`);
    await waitForText(page.getByTestId('customer-title'), company);
    await page.getByRole('tab', { name: '商机' }).click();
    await waitForText(page.getByTestId('customer-opportunities'), opportunityName);
  });

  it('warns of an existing customer and links the lead to it', async () => {
    const { context: adminContext } = required(admin, 'admin');
    const { page } = required(repA, 'rep A');
    const owner = required(repAUser, 'rep A');
    const existing = await callApi<Customer>(adminContext, 'POST', '/customers', {
      name: matchedCompany,
      kind: 'company',
      phone: matchedPhone,
      ownerId: owner.id,
    });
    const second = await callApi<Lead>(adminContext, 'POST', '/leads', {
      company: matchedCompany,
      contactName: '周强',
      phone: matchedPhone,
      ownerId: owner.id,
    });

    await page.goto(`/leads/${second.id}`);
    await waitForText(page.getByTestId('lead-title'), matchedCompany);
    await openConvertDialog(page);
    const warning = page.getByTestId('convert-duplicates');
    await waitForText(warning, matchedCompany);
    await waitForText(warning, '完全一致');
    await waitForText(warning, '电话相同');
    await waitForText(warning, '王芳');
    await waitForText(page.getByTestId('duplicate-hint'), '将关联现有客户');
    expect(await warning.getByTestId('duplicate-link').getAttribute('href')).toBe(
      `/customers/${existing.id}`,
    );

    await page.getByTestId('convert-submit').click();
    await waitForText(page.getByTestId('convert-result'), '已关联现有客户');
    await page.getByTestId('convert-open-customer').click();
    await page.waitForURL(`**/customers/${existing.id}`);
    const customers = await callApi<ListPage<Customer>>(adminContext, 'GET', '/customers?q=明珠');
    expect(customers.items).toHaveLength(1);
  });

  it("refuses to convert a lead matching another team's customer, naming its owner", async () => {
    const { context: adminContext } = required(admin, 'admin');
    const { page } = required(repA, 'rep A');
    await callApi<Customer>(adminContext, 'POST', '/customers', {
      name: foreignCompany,
      kind: 'company',
      phone: foreignPhone,
      ownerId: required(repBUser, 'rep B').id,
    });
    const third = await callApi<Lead>(adminContext, 'POST', '/leads', {
      company: foreignCompany,
      phone: foreignPhone,
      ownerId: required(repAUser, 'rep A').id,
    });

    await page.goto(`/leads/${third.id}`);
    await waitForText(page.getByTestId('lead-title'), foreignCompany);
    await openConvertDialog(page);
    const warning = page.getByTestId('convert-duplicates');
    await waitForText(warning, foreignCompany);
    await waitForText(warning, '杨磊');
    expect(await warning.getByTestId('duplicate-link').count()).toBe(0);

    await page.getByTestId('convert-submit').click();
    await waitForText(page.getByTestId('convert-conflict'), '杨磊');
    await waitForText(page.getByTestId('convert-conflict'), foreignCompany);
    const unchanged = await callApi<Lead>(adminContext, 'GET', `/leads/${third.id}`);
    expect(unchanged.status).toBe('pending');
  });

  it('lets an administrator switch the duplicate check on create off and on', async () => {
    const { page, context } = required(admin, 'admin');
    await page.getByTestId('nav-settings').click();
    await page.waitForURL('**/settings');
    const toggle = page.getByTestId('settings-duplicate-check');
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await toggle.click();
    await waitForText(page.locator('.ant-message'), '设置已保存');
    expect(
      (await callApi<TenantSettings>(context, 'GET', '/settings')).duplicateCheckOnCreate,
    ).toBe(false);
    await page.reload();
    await page.getByTestId('settings-duplicate-check').waitFor();
    expect(await page.getByTestId('settings-duplicate-check').getAttribute('aria-checked')).toBe(
      'false',
    );
    await page.getByTestId('settings-duplicate-check').click();
    // The switch follows the saved settings, so it flips back once the server agreed.
    await page.locator('[data-testid="settings-duplicate-check"][aria-checked="true"]').waitFor();
    expect(
      (await callApi<TenantSettings>(context, 'GET', '/settings')).duplicateCheckOnCreate,
    ).toBe(true);
  });

  it('raised no uncaught error in any page', () => {
    for (const session of sessions) expect(session.errors).toEqual([]);
  });
});
