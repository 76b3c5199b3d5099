import { describe, expect, it } from 'vitest';
import type { Customer, Opportunity, Page as ListPage } from '@tide/contract';
import { callApi } from './helpers/api.ts';
import {
  closeBatchResults,
  loadedText,
  waitForText,
  type BrowserSession,
} from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { addNode, addUser, rootNode, userPassword } from './helpers/org.ts';
import { required } from './helpers/required.ts';

const customerName = '杭州青禾食品有限公司';
const contactName = '刘晓';
const opportunityName = '年度冷链配送方案';
const poolCustomerName = '周建国';

const { server, sessions, signIn } = useE2eEnvironment();
let customer: Customer | undefined;
let opportunity: Opportunity | undefined;
let admin: BrowserSession | undefined;

describe('customers and opportunities', () => {
  let rep: BrowserSession | undefined;

  it('lets an administrator set up two teams, a rep in each and a manager', async () => {
    admin = await signIn('admin', server().adminPassword);
    const { context } = admin;
    const root = await rootNode(context);
    const hangzhou = await addNode(context, '杭州一组', root.id);
    const shenzhen = await addNode(context, '深圳一组', root.id);
    await addUser(context, 'wangfang', '王芳', hangzhou.id, ['sales']);
    await addUser(context, 'zhaomin', '赵敏', hangzhou.id, ['manager']);
    await addUser(context, 'yanglei', '杨磊', shenzhen.id, ['sales']);
  });

  it('lets a rep create a customer from the customer list', async () => {
    rep = await signIn('wangfang', userPassword);
    const { page, context } = rep;
    await waitForText(page.getByTestId('nav-customers'), '客户');
    await page.getByTestId('nav-customers').click();
    await page.waitForURL('**/customers');
    await waitForText(page.getByTestId('customer-table'), '暂无客户');

    await page.getByTestId('customer-create').click();
    await page.getByTestId('customer-form-name').fill(customerName);
    await page.getByTestId('customer-form-phone').fill('0571-88886666');
    await page.getByTestId('customer-form-industry').fill('食品');
    await page.getByTestId('customer-form-source').fill('展会');
    await page.getByTestId('customer-form-submit').click();

    await page.waitForURL(/\/customers\/[^/]+$/);
    await waitForText(page.getByTestId('customer-title'), customerName);
    await waitForText(page.getByTestId('customer-owner'), '王芳');
    await waitForText(page.getByTestId('customer-pool-state'), '私海');
    await waitForText(page.getByTestId('customer-timeline'), '新建');

    const mine = await callApi<ListPage<Customer>>(context, 'GET', '/customers?q=青禾');
    customer = mine.items.find((c) => c.name === customerName);
    expect(customer?.poolState).toBe('private');
  });

  it('adds a contact and an opportunity from the customer 360 page', async () => {
    const { page, context } = required(rep, 'the rep session');
    await page.getByRole('tab', { name: '联系人' }).click();
    await page.getByTestId('contact-create').click();
    await page.getByTestId('contact-form-name').fill(contactName);
    await page.getByTestId('contact-form-title').fill('采购经理');
    await page.getByTestId('contact-form-phone').fill('13900139000');
    await page.getByTestId('contact-form-submit').click();
    await waitForText(page.getByTestId('contacts-table'), contactName);

    await page.getByRole('tab', { name: '商机' }).click();
    await page.getByTestId('opportunity-create').click();
    await page.getByTestId('opportunity-form-name').fill(opportunityName);
    await page
      .locator(
        'input[data-testid="opportunity-form-amount"], [data-testid="opportunity-form-amount"] input',
      )
      .fill('120000');
    await page.getByTestId('opportunity-form-submit').click();
    await waitForText(page.getByTestId('customer-opportunities'), opportunityName);
    await waitForText(page.getByTestId('customer-opportunities'), '初步沟通');

    // The opportunity shows on the customer's timeline too, with its stage.
    await page.getByRole('tab', { name: '动态' }).click();
    await waitForText(page.getByTestId('customer-timeline'), opportunityName);

    const list = await callApi<ListPage<Opportunity>>(
      context,
      'GET',
      `/opportunities?customerId=${required(customer, 'the customer').id}`,
    );
    opportunity = list.items.find((o) => o.name === opportunityName);
    expect(opportunity?.stage).toBe('initial');
    expect(opportunity?.amount).toBe(120000);
  });

  it('moves the opportunity on the board by dragging, and it stays moved', async () => {
    const { page, context } = required(rep, 'the rep session');
    const { id } = required(opportunity, 'the opportunity');
    await page.getByTestId('nav-opportunityBoard').click();
    await page.waitForURL('**/opportunities/board');
    const card = page.getByTestId(`board-card-${id}`);
    await page.getByTestId('board-column-initial').getByTestId(`board-card-${id}`).waitFor();
    await waitForText(page.getByTestId('board-total-initial'), '1 个');

    await card.dragTo(page.getByTestId('board-column-proposal'));
    await page.getByTestId('board-column-proposal').getByTestId(`board-card-${id}`).waitFor();
    await waitForText(page.locator('.ant-message'), '方案报价');

    await page.reload();
    await page.getByTestId('board-column-proposal').getByTestId(`board-card-${id}`).waitFor();
    expect(await loadedText(page, 'board-column-initial')).not.toContain(opportunityName);
    const saved = await callApi<Opportunity>(context, 'GET', `/opportunities/${id}`);
    expect(saved.stage).toBe('proposal');

    // The move shows in the opportunity's stage history, and the customer's timeline
    // shows the opportunity in its new stage.
    await page.goto(`/customers/${required(customer, 'the customer').id}`);
    await waitForText(page.getByTestId('customer-timeline'), opportunityName);
    await page.goto(`/opportunities/${id}`);
    await waitForText(page.getByTestId('stage-history'), '方案报价');
  });

  it('lets the rep claim a customer from the public pool', async () => {
    const { context: adminContext } = required(admin, 'the admin session');
    const { page } = required(rep, 'the rep session');
    const pooled = await callApi<Customer>(adminContext, 'POST', '/customers', {
      name: poolCustomerName,
      kind: 'person',
      phone: '13700137000',
      ownerId: null,
    });
    expect(pooled.poolState).toBe('public');

    await page.getByTestId('nav-customers').click();
    await page.waitForURL('**/customers');
    await page.getByRole('tab', { name: '公海客户' }).click();
    await waitForText(page.getByTestId('customer-table'), poolCustomerName);
    const row = page.getByTestId('customer-table').locator('tr', { hasText: poolCustomerName });
    await row.locator('.ant-checkbox').click();
    await page.getByTestId('customer-batch-claim').click();
    await waitForText(page.getByTestId('batch-summary'), '成功 1 条');
    await waitForText(page.getByTestId('batch-results'), poolCustomerName);
    await closeBatchResults(page);

    expect(await loadedText(page, 'customer-table')).not.toContain(poolCustomerName);
    await page.getByRole('tab', { name: '我的客户' }).click();
    await waitForText(page.getByTestId('customer-table'), poolCustomerName);
  });

  it('tells an administrator that a stage in use cannot be removed', async () => {
    const { page } = required(admin, 'the admin session');
    await page.goto('/opportunities/board');
    await page.getByTestId('stage-editor-open').click();
    await page.getByTestId('stage-remove-proposal').click();
    await page.getByTestId('stage-editor-save').click();
    await page.getByTestId('stage-editor-error').waitFor();
    await waitForText(page.getByTestId('stage-editor'), '仍有商机处于');
  });

  it('hides the customer from a rep of another team', async () => {
    const other = await signIn('yanglei', userPassword);
    const { page } = other;
    const { id } = required(customer, 'the customer');
    await page.getByTestId('nav-customers').click();
    await page.waitForURL('**/customers');
    expect(await loadedText(page, 'customer-table')).not.toContain(customerName);
    await page.getByRole('tab', { name: '公海客户' }).click();
    expect(await loadedText(page, 'customer-table')).not.toContain(customerName);

    await page.getByTestId('nav-opportunityBoard').click();
    await page.waitForURL('**/opportunities/board');
    expect(await loadedText(page, 'opportunity-board')).not.toContain(opportunityName);

    await page.goto(`/customers/${id}`);
    await waitForText(page.getByTestId('customer-error'), '记录不存在或您无权查看');
  });

  it("shows the customer to the rep's team manager", async () => {
    const manager = await signIn('zhaomin', userPassword);
    const { page } = manager;
    const { id } = required(customer, 'the customer');
    await page.getByTestId('nav-customers').click();
    await page.waitForURL('**/customers');
    await page.getByRole('tab', { name: '团队客户' }).click();
    await waitForText(page.getByTestId('customer-table'), customerName);
    await waitForText(page.getByTestId('customer-table'), '王芳');

    await page.getByTestId(`customer-link-${id}`).click();
    await page.waitForURL(`**/customers/${id}`);
    await waitForText(page.getByTestId('customer-title'), customerName);
    await page.getByRole('tab', { name: '商机' }).click();
    await waitForText(page.getByTestId('customer-opportunities'), '方案报价');
  });

  it('raised no uncaught error in any page', () => {
    for (const session of sessions) expect(session.errors).toEqual([]);
  });
});
