import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Customer, Lead, Page as ListPage, TenantSettings, User } from '@tide/contract';
import { callApi } from './helpers/api.ts';
import {
  closeBatchResults,
  input,
  loadedText,
  waitForText,
  type BrowserSession,
} from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { addNode, addUser, rootNode, userPassword } from './helpers/org.ts';
import { required } from './helpers/required.ts';

const company = '杭州星河数据科技有限公司';
const contactName = '李明';
const opportunityName = '数据平台年度合作';
const matchedCompany = '宁波明珠贸易有限公司';
const matchedPhone = '13955556666';
const foreignCompany = '深圳南山创达电子有限公司';
const foreignPhone = '13866667777';
const publicCompany = '温州海诚五金有限公司';
const publicPhone = '13877778888';

const { server, sessions, signIn } = useE2eEnvironment();
let admin: BrowserSession | undefined;
let repA: BrowserSession | undefined;
let repAUser: User | undefined;
let repBUser: User | undefined;
let lead: Lead | undefined;
let customerId: string | undefined;

/** Opens the conversion dialog of the lead shown, once its entrance animation is over. */
async function openConvertDialog(page: Page): Promise<void> {
  await page.getByTestId('lead-convert').click();
  await page.getByTestId('convert-dialog').waitFor();
  await page.waitForTimeout(400);
}

describe('lead conversion', () => {
  it('lets an administrator set up two teams and put a lead into the pool', async () => {
    admin = await signIn('admin', server().adminPassword);
    const { context } = admin;
    const root = await rootNode(context);
    const teamA = await addNode(context, '杭州一组', root.id);
    const teamB = await addNode(context, '深圳一组', root.id);
    repAUser = await addUser(context, 'wangfang', '王芳', teamA.id, ['sales']);
    await addUser(context, 'zhaomin', '赵敏', teamA.id, ['manager']);
    repBUser = await addUser(context, 'yanglei', '杨磊', teamB.id, ['sales']);

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
    repA = await signIn('wangfang', userPassword);
    const { page } = repA;
    const { id } = required(lead, 'the pool lead');
    await page.getByTestId('nav-leadPool').click();
    await page.waitForURL('**/leads/pool');
    await waitForText(page.getByTestId('pool-table'), company);
    const row = page.getByTestId('pool-table').locator('tr', { hasText: company });
    await row.locator('.ant-checkbox').click();
    await page.getByTestId('pool-batch-claim').click();
    await waitForText(page.getByTestId('batch-summary'), '成功 1 条');
    await closeBatchResults(page);

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
    const repB = await signIn('yanglei', userPassword);
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
    const manager = await signIn('zhaomin', userPassword);
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

  it("links a lead matching another team's customer, which keeps its owner, and opens the rep's opportunity", async () => {
    const { context: adminContext } = required(admin, 'admin');
    const { page } = required(repA, 'rep A');
    const foreign = await callApi<Customer>(adminContext, 'POST', '/customers', {
      name: foreignCompany,
      kind: 'company',
      phone: foreignPhone,
      ownerId: required(repBUser, 'rep B').id,
    });
    const third = await callApi<Lead>(adminContext, 'POST', '/leads', {
      company: foreignCompany,
      contactName: '陈工',
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
    await waitForText(page.getByTestId('duplicate-hint'), '客户仍由其负责并会收到通知');

    await page.getByTestId('convert-with-opportunity').click();
    await input(page, 'convert-opportunity-name').fill('电子元件集采');
    await page.getByTestId('convert-submit').click();
    await waitForText(page.getByTestId('convert-result'), '已关联同事的客户');
    await waitForText(page.getByTestId('convert-result-details'), '由 杨磊 负责');
    expect(await page.getByTestId('convert-open-customer').count()).toBe(0);
    await page.getByTestId('convert-open-opportunity').click();
    await page.waitForURL('**/opportunities/*');
    await waitForText(page.locator('body'), '电子元件集采');
    await waitForText(page.locator('body'), foreignCompany);

    // The converted lead says whose customer it went to, and offers no record the rep cannot open.
    await page.goto(`/leads/${third.id}`);
    await waitForText(page.getByTestId('lead-converted'), '同事负责的客户');
    expect(await page.getByTestId('lead-converted-customer').count()).toBe(0);

    const linked = await callApi<Lead>(adminContext, 'GET', `/leads/${third.id}`);
    expect(linked).toMatchObject({ status: 'converted', convertedCustomerId: foreign.id });
    const kept = await callApi<Customer>(adminContext, 'GET', `/customers/${foreign.id}`);
    expect(kept.ownerId).toBe(required(repBUser, 'rep B').id);
  });

  it('refuses to claim a public customer past the rep’s capacity, and lets the manager create a new one', async () => {
    const { context: adminContext } = required(admin, 'admin');
    const { page } = required(repA, 'rep A');
    const rep = required(repAUser, 'rep A');
    await callApi<Customer>(adminContext, 'POST', '/customers', {
      name: publicCompany,
      kind: 'company',
      phone: publicPhone,
      ownerId: null,
    });
    const limit = await callApi<{ id: string }>(adminContext, 'POST', '/capacity-limits', {
      scope: 'user',
      userId: rep.id,
      entity: 'customer',
      maxRecords: 1,
      dailyClaims: null,
    });
    const fourth = await callApi<Lead>(adminContext, 'POST', '/leads', {
      company: publicCompany,
      phone: publicPhone,
      ownerId: rep.id,
    });

    await page.goto(`/leads/${fourth.id}`);
    await waitForText(page.getByTestId('lead-title'), publicCompany);
    await openConvertDialog(page);
    await waitForText(page.getByTestId('duplicate-hint'), '将从公海领取客户');
    await page.getByTestId('convert-submit').click();
    const refused = page.getByTestId('convert-refused');
    await waitForText(refused, publicCompany);
    await waitForText(refused, '你的客户库容已满');
    // A rep may not create the duplicate instead.
    expect(await page.getByTestId('convert-create-new-instead').count()).toBe(0);
    expect((await callApi<Lead>(adminContext, 'GET', `/leads/${fourth.id}`)).status).toBe(
      'pending',
    );

    const manager = await signIn('zhaomin', userPassword);
    await manager.page.goto(`/leads/${fourth.id}`);
    await waitForText(manager.page.getByTestId('lead-title'), publicCompany);
    await openConvertDialog(manager.page);
    await manager.page.getByTestId('convert-submit').click();
    await waitForText(manager.page.getByTestId('convert-refused'), '你的客户库容已满');
    await manager.page.getByTestId('convert-create-new-instead').click();
    await waitForText(manager.page.getByTestId('convert-result'), '已创建客户');
    const customers = await callApi<ListPage<Customer>>(
      adminContext,
      'GET',
      `/customers?q=${encodeURIComponent(publicCompany)}`,
    );
    expect(customers.items.map((c) => c.ownerId).sort()).toEqual([null, rep.id].sort());
    await callApi(adminContext, 'DELETE', `/capacity-limits/${limit.id}`);
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
