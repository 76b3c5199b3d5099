import { describe, expect, it } from 'vitest';
import type {
  Customer,
  DuplicateReport,
  DuplicateRules,
  Page as ListPage,
  User,
} from '@tide/contract';
import { callApi } from './helpers/api.ts';
import { input, waitForText, type BrowserSession } from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { addNode, addUser, rootNode, userPassword } from './helpers/org.ts';
import { required } from './helpers/required.ts';

/** Owned by a colleague of the rep: the rep may not open it, only learn that it exists. */
const existingName = '宁波甬江精密机械有限公司';
const existingPhone = '0574-87001122';
const refusedName = '宁波甬新机械制造有限公司';
/** Two records of one company entered twice with the same phone: the report's cluster. */
const twinName = '温州瓯江包装材料有限公司';
const twinPhone = '0577-88776655';

const { server, sessions, signIn } = useE2eEnvironment();
let admin: BrowserSession | undefined;
let manager: BrowserSession | undefined;
let rep: User | undefined;
let existing: Customer | undefined;

describe('duplicate rules, the duplicate report and merging from it', () => {
  it('lets an administrator set up a team and an existing customer', async () => {
    admin = await signIn('admin', server().adminPassword);
    const { context } = admin;
    const team = await addNode(context, '宁波一组', (await rootNode(context)).id);
    rep = await addUser(context, 'wangfang', '王芳', team.id, ['sales']);
    const lina = await addUser(context, 'lina', '李娜', team.id, ['sales']);
    await addUser(context, 'zhaomin', '赵敏', team.id, ['manager']);
    existing = await callApi<Customer>(context, 'POST', '/customers', {
      name: existingName,
      kind: 'company',
      phone: existingPhone,
      ownerId: lina.id,
    });
  });

  it('refuses a rep a new customer with an existing phone once an admin blocks exact duplicates', async () => {
    const { page, context } = required(admin, 'the admin session');
    const before = (await callApi<DuplicateRules>(context, 'GET', '/duplicates/rules')).customer;
    try {
      await page.getByTestId('nav-settings').click();
      await page.waitForURL('**/settings');
      const form = page.getByTestId('dup-rule-customer-form');
      await form.waitFor();
      // The phone is among the keys that count; the rule now refuses exact matches.
      expect(await form.locator('[data-testid="dup-rule-customer-key-phone"]').isVisible()).toBe(
        true,
      );
      await page.getByTestId('dup-rule-customer-level-exact').click();
      await page.getByTestId('dup-rule-customer-on-create-block').click();
      await waitForText(page.getByTestId('dup-rule-customer-on-create-hint'), '拒绝保存');
      await page.getByTestId('dup-rule-customer-save').click();
      await waitForText(page.locator('.ant-message'), '查重规则已保存');
      const saved = (await callApi<DuplicateRules>(context, 'GET', '/duplicates/rules')).customer;
      expect(saved).toMatchObject({ level: 'exact', onCreate: 'block', onUpdate: before.onUpdate });
      expect(saved.keys).toContain('phone');

      const repSession = await signIn('wangfang', userPassword);
      const repPage = repSession.page;
      await repPage.getByTestId('nav-customers').click();
      await repPage.waitForURL('**/customers');
      await repPage.getByTestId('customer-create').click();
      await input(repPage, 'customer-form-name').fill(refusedName);
      await input(repPage, 'customer-form-phone').fill(existingPhone);
      await repPage.getByTestId('customer-form-submit').click();

      const refusal = repPage.getByTestId('customer-form-duplicates-refused');
      await waitForText(refusal, '未创建');
      await waitForText(refusal, existingName);
      await waitForText(refusal, '电话相同');
      await waitForText(refusal, '负责人:李娜');
      // The rep may not open a colleague's customer: named, not linked.
      expect(await refusal.getByTestId('duplicate-link').count()).toBe(0);
      // The form stays open with what was typed.
      expect(await input(repPage, 'customer-form-name').inputValue()).toBe(refusedName);

      const mine = await callApi<ListPage<Customer>>(
        repSession.context,
        'GET',
        `/customers?q=${encodeURIComponent(refusedName)}`,
      );
      expect(mine.total).toBe(0);
      const all = await callApi<ListPage<Customer>>(context, 'GET', '/customers?q=甬');
      expect(all.items.map((c) => c.id)).toEqual([required(existing, 'the customer').id]);
    } finally {
      // The report below relies on the default rule, under which a second entry only warns.
      await callApi(context, 'PUT', '/duplicates/rules/customer', before);
    }
    const restored = (await callApi<DuplicateRules>(context, 'GET', '/duplicates/rules')).customer;
    expect(restored).toEqual(before);
  });

  it('lets a manager run the customer report, follow it to the end and merge a cluster', async () => {
    const { context: adminContext } = required(admin, 'the admin session');
    const ownerId = required(rep, 'the rep').id;
    // Entered twice: under the default rule the second only warns.
    const first = await callApi<Customer>(adminContext, 'POST', '/customers', {
      name: twinName,
      kind: 'company',
      phone: twinPhone,
      industry: '包装',
      ownerId,
    });
    const second = await callApi<Customer>(adminContext, 'POST', '/customers', {
      name: twinName,
      kind: 'company',
      phone: twinPhone,
      address: '浙江省温州市鹿城区车站大道 88 号',
      ownerId,
    });

    manager = await signIn('zhaomin', userPassword);
    const { page, context } = manager;
    await page.getByTestId('nav-duplicateReport').click();
    await page.waitForURL('**/duplicates');
    await page.getByTestId('dup-report-none').waitFor();
    await page.getByTestId('dup-report-start').click();

    // The run is followed until it is done, without reloading.
    const run = page.getByTestId('dup-report-run');
    await page
      .locator('[data-testid="dup-report-run"][data-status="done"]')
      .waitFor({ timeout: 90_000 });
    await waitForText(run, '已完成');
    const reports = await callApi<ListPage<DuplicateReport>>(context, 'GET', '/duplicates/reports');
    expect(reports.items[0]).toMatchObject({ objectType: 'customer', status: 'done' });
    expect(reports.items[0]?.clusters ?? 0).toBeGreaterThanOrEqual(1);

    // Leaving and coming back shows the same run and its history.
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dashboard-welcome').waitFor();
    await page.getByTestId('nav-duplicateReport').click();
    await page.locator('[data-testid="dup-report-run"][data-status="done"]').waitFor();
    await page
      .getByTestId(`dup-history-open-${required(reports.items[0], 'the report').id}`)
      .waitFor();

    const clusters = page.getByTestId('dup-clusters');
    const row = clusters
      .locator('tr')
      .filter({ has: page.getByTestId(`dup-member-${first.id}`) })
      .filter({ has: page.getByTestId(`dup-member-${second.id}`) });
    await row.waitFor();
    await waitForText(row, '电话相同');
    await waitForText(row, '完全一致');
    expect(await row.getByTestId('dup-member-link').first().getAttribute('href')).toMatch(
      /^\/customers\//,
    );

    // Only exact clusters: the twins stay; possible ones only: they go.
    await page.getByTestId('dup-clusters-level-possible').click();
    await row.waitFor({ state: 'detached' });
    await page.getByTestId('dup-clusters-level-exact').click();
    await row.waitFor();

    await row.locator('[data-testid^="dup-cluster-merge-"]').click();
    // The older record survives by default.
    await page.waitForURL(`**/customers/${first.id}/merge?other=${second.id}`);
    await page.getByTestId('merge-comparison').waitFor();
    // The survivor has no address: the other's is taken unless chosen otherwise.
    expect(await page.getByTestId('merge-choice-address-other').locator('input').isChecked()).toBe(
      true,
    );
    await page.getByTestId('merge-submit').click();
    await page.getByTestId('merge-confirm').click();
    await page.waitForURL(new RegExp(`/customers/${first.id}$`));
    await waitForText(page.getByTestId('customer-title'), twinName);

    const merged = await callApi<Customer>(context, 'GET', `/customers/${first.id}`);
    expect(merged).toMatchObject({
      phone: twinPhone,
      industry: '包装',
      address: '浙江省温州市鹿城区车站大道 88 号',
    });
    const gone = await context.request.get(`/api/v1/customers/${second.id}`);
    expect(gone.status()).toBe(404);
    expect(await gone.json()).toMatchObject({ error: { details: { mergedInto: first.id } } });
    const left = await callApi<ListPage<Customer>>(
      context,
      'GET',
      `/customers?q=${encodeURIComponent('瓯江')}`,
    );
    expect(left.items.map((c) => c.id)).toEqual([first.id]);
  });

  it('shows the rules to a manager without letting them change them', async () => {
    const { page } = required(manager, 'the manager session');
    await page.getByTestId('nav-settings').click();
    await page.waitForURL('**/settings');
    await page.getByTestId('dup-rules-read-only').waitFor();
    await page.getByTestId('dup-rule-customer-form').waitFor();
    expect(await page.getByTestId('dup-rule-customer-save').count()).toBe(0);
    expect(
      await page.getByTestId('dup-rule-customer-form').locator('input:disabled').count(),
    ).toBeGreaterThan(0);
  });

  it('raised no uncaught error in any page', () => {
    for (const session of sessions) expect(session.errors).toEqual([]);
  });
});
