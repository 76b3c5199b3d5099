import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type {
  AssignmentRule,
  Customer,
  IntakeForm,
  Lead,
  Page as ListPage,
  Pool,
  User,
} from '@tide/contract';
import { callApi } from './helpers/api.ts';
import { input, loadedText, waitForText, type BrowserSession } from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { addNode, addUser, rootNode, userPassword } from './helpers/org.ts';
import { required } from './helpers/required.ts';

/** Four pool leads the manager shares between two reps. */
const poolCompanies = [
  '苏州工业园区恒润电子有限公司',
  '苏州吴中区安达精密机械厂',
  '无锡滨湖区新锐包装材料公司',
  '常州武进区华光照明科技公司',
];
const ruleName = '官网线索给周敏';
const formName = '官网联系我们';
const formSource = '官网留言';

const { server, sessions, signIn } = useE2eEnvironment();
let admin: BrowserSession | undefined;
let manager: BrowserSession | undefined;
let teamId: string | undefined;
let repA: User | undefined;
let repB: User | undefined;

/** Picks an option of the antd select that is open now. */
async function chooseOption(page: Page, text: string): Promise<void> {
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
      hasText: text,
    })
    .first()
    .click();
}

/** Searches a colleague in the open multi-select picker and adds them. */
async function addRep(page: Page, testId: string, name: string, username: string) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(name);
  await chooseOption(page, `${name} (${username})`);
  await waitForText(page.getByTestId(testId), name);
}

async function getLead(session: BrowserSession, id: string): Promise<Lead> {
  return callApi<Lead>(session.context, 'GET', `/leads/${id}`);
}

describe('assignment: distributing pool leads, assignment rules and website forms', () => {
  it('lets an administrator set up a team with a manager and two reps', async () => {
    admin = await signIn('admin', server().adminPassword);
    const { context } = admin;
    const team = await addNode(context, '华东一组', (await rootNode(context)).id);
    teamId = team.id;
    await addUser(context, 'sunli', '孙丽', team.id, ['manager']);
    repA = await addUser(context, 'zhoumin', '周敏', team.id, ['sales']);
    repB = await addUser(context, 'wujun', '吴军', team.id, ['sales']);
  });

  it('lets the manager distribute four pool leads round robin: two to each rep', async () => {
    const session = required(admin, 'the admin session');
    const leads: Lead[] = [];
    for (const company of poolCompanies)
      leads.push(
        await callApi<Lead>(session.context, 'POST', '/leads', {
          company,
          source: '展会',
          ownerId: null,
        }),
      );
    const a = required(repA, 'rep A');
    const b = required(repB, 'rep B');

    manager = await signIn('sunli', userPassword);
    const { page } = manager;
    await page.getByTestId('nav-leadPool').click();
    await page.waitForURL('**/leads/pool');
    const table = page.getByTestId('pool-table');
    for (const lead of leads) {
      const row = table.locator(`tr[data-row-key="${lead.id}"]`);
      await row.locator('.ant-checkbox').click();
    }
    await waitForText(page.locator('.ant-typography'), '已选 4 条');
    await page.getByTestId('pool-distribute').click();
    const form = page.getByTestId('distribute-form');
    await form.waitFor();
    await waitForText(page.locator('.ant-modal'), '已选 4 条记录');

    // Each strategy says in one line what it does.
    await page.getByTestId('distribute-strategy').click();
    await waitForText(page.getByTestId('strategy-option-even_split'), '每人一段');
    await chooseOption(page, '轮流分配');
    await waitForText(page.getByTestId('strategy-hint'), '依次分给每位销售');
    await addRep(page, 'target-users', '周敏', 'zhoumin');
    await addRep(page, 'target-users', '吴军', 'wujun');
    await page.locator('.ant-modal-title').click();
    await page.getByTestId('distribute-submit').click();

    const result = page.getByTestId('distribute-result');
    await result.waitFor();
    await waitForText(page.getByTestId('distribute-summary'), '已分配 4 条,0 条未分配');
    await waitForText(page.getByTestId(`distribute-count-${a.id}`), '2 条');
    await waitForText(page.getByTestId(`distribute-count-${b.id}`), '2 条');
    await waitForText(page.getByTestId('distribute-by-user'), '周敏');
    await waitForText(page.getByTestId('distribute-by-user'), '吴军');
    await page.getByTestId('distribute-close').click();
    await result.waitFor({ state: 'detached' });

    const owners = await Promise.all(
      leads.map(async (l) => (await getLead(session, l.id)).ownerId),
    );
    expect(owners.filter((o) => o === a.id)).toHaveLength(2);
    expect(owners.filter((o) => o === b.id)).toHaveLength(2);
    // The leads left the pool.
    expect(await loadedText(page, 'pool-table')).not.toContain(poolCompanies[0]);

    // Distributing again what was already taken assigns nothing and says why.
    const first = required(leads[0], 'the first lead');
    const answer = await callApi<{ assigned: number; skipped: { id: string; reason: string }[] }>(
      manager.context,
      'POST',
      '/pools/distribute',
      { entity: 'lead', ids: [first.id], strategy: 'round_robin', userIds: [a.id] },
    );
    expect(answer.assigned).toBe(0);
    expect(answer.skipped.map((s) => s.id)).toEqual([first.id]);
  });

  it('lets the manager share public customers evenly within the team', async () => {
    const session = required(admin, 'the admin session');
    const { page } = required(manager, 'the manager session');
    const names = ['嘉兴南湖区禾丰食品有限公司', '湖州吴兴区绿源茶业合作社'];
    const customers: Customer[] = [];
    for (const name of names)
      customers.push(
        await callApi<Customer>(session.context, 'POST', '/customers', { name, ownerId: null }),
      );

    await page.getByTestId('nav-customers').click();
    await page.waitForURL('**/customers');
    await page.getByRole('tab', { name: '公海客户' }).click();
    const table = page.getByTestId('customer-table');
    for (const customer of customers)
      await table.locator(`tr[data-row-key="${customer.id}"] .ant-checkbox`).click();
    await page.getByTestId('customer-distribute').click();
    await page.getByTestId('distribute-form').waitFor();
    await page.getByTestId('distribute-strategy').click();
    await chooseOption(page, '平均分配');
    // The team: its people who may claim customers share them.
    await page.getByTestId('target-kind-node').click();
    await page.getByTestId('target-node').locator('.ant-select').click();
    await page.locator('.ant-select-tree-node-content-wrapper[title="华东一组"]').click();
    await page.getByTestId('distribute-submit').click();
    await waitForText(page.getByTestId('distribute-summary'), '已分配 2 条,0 条未分配');
    await page.getByTestId('distribute-close').click();
    await page.getByTestId('distribute-result').waitFor({ state: 'detached' });

    const team = required(teamId, 'the team');
    for (const customer of customers) {
      const now = await callApi<Customer>(session.context, 'GET', `/customers/${customer.id}`);
      expect(now.ownerId).not.toBeNull();
      const owner = await callApi<User>(session.context, 'GET', `/users/${now.ownerId ?? ''}`);
      expect(owner.nodeId).toBe(team);
    }
  });

  it('adds an assignment rule for the source 官网: a new lead from it lands with the rep', async () => {
    const session = required(admin, 'the admin session');
    const { page, context } = session;
    const a = required(repA, 'rep A');
    await page.getByTestId('nav-pools').click();
    await page.waitForURL('**/pools');
    await page.getByTestId('pools-tab-assignment').click();
    await page.waitForURL('**/pools?tab=assignment');
    await waitForText(page.getByTestId('assignment-rules'), '还没有分配规则');

    await page.getByTestId('rule-add').click();
    const form = page.getByTestId('rule-form');
    await form.waitFor();
    // The default pool is chosen already.
    const pools = (await callApi<{ items: Pool[] }>(context, 'GET', '/pools')).items;
    const defaultPool = required(
      pools.find((p) => p.isDefault),
      'the default pool',
    );
    await waitForText(page.getByTestId('rule-form-pool'), defaultPool.name);
    await input(page, 'rule-form-name').fill(ruleName);
    await input(page, 'rule-form-priority').fill('10');
    await page.getByTestId('rule-form-sources').click();
    await page.keyboard.type('官网');
    await page.keyboard.press('Enter');
    await waitForText(page.getByTestId('rule-form-sources'), '官网');
    await addRep(page, 'target-users', '周敏', 'zhoumin');
    await page.locator('.ant-modal-title').click();
    await page.getByTestId('rule-form-save').click();
    await waitForText(page.locator('.ant-message'), '已添加规则');
    await form.waitFor({ state: 'detached' });

    const rules = (await callApi<{ items: AssignmentRule[] }>(context, 'GET', '/assignment-rules'))
      .items;
    const rule = required(
      rules.find((r) => r.name === ruleName),
      'the new rule',
    );
    expect(rule).toMatchObject({
      poolId: defaultPool.id,
      priority: 10,
      enabled: true,
      sources: ['官网'],
      regionCodes: [],
      strategy: 'round_robin',
      userIds: [a.id],
      nodeId: null,
    });
    const row = page.locator(`tr[data-row-key="${rule.id}"]`);
    await waitForText(row, ruleName);
    await waitForText(row, '官网');
    await waitForText(row, '轮流分配');
    await waitForText(row, '周敏');

    // A lead from the website is the rule's; one from a fair is not and stays in the pool.
    const fromWebsite = await callApi<Lead>(context, 'POST', '/leads', {
      company: '杭州滨江区星河软件有限公司',
      source: '官网',
      ownerId: null,
    });
    const fromFair = await callApi<Lead>(context, 'POST', '/leads', {
      company: '杭州萧山区盛达纺织厂',
      source: '展会',
      ownerId: null,
    });
    expect((await getLead(session, fromWebsite.id)).ownerId).toBe(a.id);
    expect((await getLead(session, fromFair.id)).ownerId).toBeNull();
    await page.goto(`/leads/${fromWebsite.id}`);
    await waitForText(page.getByTestId('lead-owner'), '周敏');
  });

  it('creates a website form whose submissions enter the pool with the form’s source', async () => {
    const session = required(admin, 'the admin session');
    const { page, context } = session;
    await page.goto('/pools');
    await page.getByTestId('pools-tab-intake').click();
    await page.waitForURL('**/pools?tab=intake');
    await waitForText(page.getByTestId('intake-endpoint'), '/api/v1/intake/leads');

    await page.getByTestId('intake-form-add').click();
    const form = page.getByTestId('intake-form');
    await form.waitFor();
    await input(page, 'intake-form-name').fill(formName);
    await input(page, 'intake-form-source').fill(formSource);
    await input(page, 'intake-form-rate').fill('5');
    await page.getByTestId('intake-form-save').click();
    await waitForText(page.locator('.ant-message'), '已添加表单');
    await form.waitFor({ state: 'detached' });

    const created = required(
      (await callApi<{ items: IntakeForm[] }>(context, 'GET', '/intake-forms')).items.find(
        (f) => f.name === formName,
      ),
      'the new form',
    );
    expect(created).toMatchObject({ source: formSource, perMinute: 5, enabled: true });
    const row = page.locator(`tr[data-row-key="${created.id}"]`);
    await waitForText(row, formSource);
    await waitForText(row, '5 次/分钟');
    await waitForText(page.getByTestId(`intake-form-key-${created.id}`), created.formKey);

    // The code example posts to this server with the form's key.
    await page.getByTestId(`intake-form-snippet-${created.id}`).click();
    const snippet = page.getByTestId('intake-snippet');
    await waitForText(snippet, created.formKey);
    const code = await snippet.innerText();
    expect(code).toContain(`${server().baseUrl}/api/v1/intake/leads`);
    expect(code).toContain('fetch(');
    expect(code).toContain('name="website"');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await snippet.waitFor({ state: 'detached' });

    // A website posts, from outside any session.
    const company = '杭州西湖区青藤文化传媒有限公司';
    const post = (body: Record<string, string>) =>
      fetch(`${server().baseUrl}/api/v1/intake/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ formKey: created.formKey, ...body }),
      });
    const accepted = await post({
      company,
      contactName: '郑女士',
      phone: '13957112345',
      message: '想了解年度合作的报价',
      website: '',
    });
    expect(accepted.status).toBe(202);
    // A robot filling the hidden field is answered the same, and nothing is created.
    const robot = await post({ company: '机器人填写的公司', phone: '13957154321', website: 'x' });
    expect(robot.status).toBe(202);

    await page.getByTestId('nav-leadPool').click();
    await page.waitForURL('**/leads/pool');
    const table = page.getByTestId('pool-table');
    await waitForText(table, company);
    await waitForText(table.locator('tr', { hasText: company }), formSource);
    expect(await loadedText(page, 'pool-table')).not.toContain('机器人填写的公司');
    const found = await callApi<ListPage<Lead>>(
      context,
      'GET',
      `/leads?q=${encodeURIComponent(company)}`,
    );
    expect(found.items.map((l) => ({ source: l.source, ownerId: l.ownerId }))).toEqual([
      { source: formSource, ownerId: null },
    ]);
  });

  it('raised no uncaught error in any page', () => {
    for (const session of sessions) expect(session.errors).toEqual([]);
  });
});
