import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type {
  CapacityLimit,
  CollusionPair,
  CollusionSettings,
  Lead,
  OrgNode,
  Pool,
  Territory,
  User,
} from '@tide/contract';
import { callApi } from './helpers/api.ts';
import { input, waitForText, type BrowserSession } from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { addNode, addUser, rootNode, userPassword } from './helpers/org.ts';
import { required } from './helpers/required.ts';

const poolName = '杭州一组公海';
/** Passed back and forth between two reps of another team: the collusion report's pair. */
const swappedCompanies = ['宁波江北五金制品厂', '宁波鄞州恒达塑料有限公司'];

const { server, sessions, signIn } = useE2eEnvironment();
let admin: BrowserSession | undefined;
let team: OrgNode | undefined;
let rep: User | undefined;
let pool: Pool | undefined;

/** Picks an option of the antd select that is open now. */
async function chooseOption(page: Page, text: string): Promise<void> {
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
      hasText: text,
    })
    .first()
    .click();
}

async function listPools(session: BrowserSession): Promise<Pool[]> {
  return (await callApi<{ items: Pool[] }>(session.context, 'GET', '/pools')).items;
}

describe('public pools: pools and their rules, capacity limits, territories and collusion', () => {
  it('lets an administrator set up a team and a rep', async () => {
    admin = await signIn('admin', server().adminPassword);
    const { context } = admin;
    team = await addNode(context, '杭州一组', (await rootNode(context)).id);
    rep = await addUser(context, 'chenjing', '陈静', team.id, ['sales']);
  });

  it('creates a pool bound to the team with two drop rules', async () => {
    const { page } = required(admin, 'the admin session');
    const teamId = required(team, 'the team').id;
    await page.getByTestId('nav-pools').click();
    await page.waitForURL('**/pools');
    // The tenant starts with its default pool at the root, which cannot be deleted.
    const before = await listPools(required(admin, 'the admin session'));
    const defaultPool = required(
      before.find((p) => p.isDefault),
      'the default pool',
    );
    const defaultRow = page.locator(`tr[data-row-key="${defaultPool.id}"]`);
    await waitForText(defaultRow, '默认');
    expect(await page.getByTestId(`pool-delete-${defaultPool.id}`).isDisabled()).toBe(true);

    await page.getByTestId('pool-create').click();
    const form = page.getByTestId('pool-form');
    await form.waitFor();
    await input(page, 'pool-form-name').fill(poolName);
    await page.getByTestId('pool-form-node').locator('.ant-select').click();
    await page.locator('.ant-select-tree-node-content-wrapper[title="杭州一组"]').click();
    await input(page, 'pool-form-protect-days').fill('7');

    // The first rule: leads without a follow-up in 15 days, warned 3 days before.
    await page.getByTestId('pool-rule-add').click();
    await input(page, 'pool-rule-0-days').fill('15');
    await input(page, 'pool-rule-0-warn-days').fill('3');
    // The second: customers. A lead-only kind is not offered for them.
    await page.getByTestId('pool-rule-add').click();
    await page.getByTestId('pool-rule-1-entity').click();
    await chooseOption(page, '客户');
    await page.getByTestId('pool-rule-1-kind').click();
    const offered = page.locator(
      '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option',
    );
    await waitForText(offered, '未赢单');
    expect(await offered.filter({ hasText: '未转化' }).count()).toBe(0);
    await chooseOption(page, '未赢单');
    await input(page, 'pool-rule-1-days').fill('90');
    await input(page, 'pool-rule-1-warn-days').fill('7');
    await page.getByTestId('pool-form-save').click();
    await waitForText(page.locator('.ant-message'), '已创建公海');
    await form.waitFor({ state: 'detached' });

    const created = required(
      (await listPools(required(admin, 'the admin session'))).find((p) => p.name === poolName),
      'the new pool',
    );
    pool = created;
    expect(created).toMatchObject({
      nodeId: teamId,
      nodeName: '杭州一组',
      protectDays: 7,
      exemptWonDays: null,
      requireVerification: false,
      isDefault: false,
    });
    expect(
      created.rules
        .map(({ entity, kind, days, warnDays, enabled }) => ({
          entity,
          kind,
          days,
          warnDays,
          enabled,
        }))
        .sort((a, b) => a.entity.localeCompare(b.entity)),
    ).toEqual([
      { entity: 'customer', kind: 'no_won_opportunity', days: 90, warnDays: 7, enabled: true },
      { entity: 'lead', kind: 'no_follow_up', days: 15, warnDays: 3, enabled: true },
    ]);
    const row = page.locator(`tr[data-row-key="${created.id}"]`);
    await waitForText(row, '杭州一组');
    await waitForText(row, '7 天');
    await waitForText(row.getByTestId('pool-rule-tag-lead-no_follow_up'), '线索未跟进 15 天');
    await waitForText(
      row.getByTestId('pool-rule-tag-customer-no_won_opportunity'),
      '客户未赢单 90 天',
    );
  });

  it('edits the pool, refusing a warning that does not come before the drop', async () => {
    const session = required(admin, 'the admin session');
    const { page } = session;
    const { id } = required(pool, 'the pool');
    await page.getByTestId(`pool-edit-${id}`).click();
    const form = page.getByTestId('pool-form');
    await form.waitFor();
    expect(await input(page, 'pool-form-name').inputValue()).toBe(poolName);

    // Warned 5 days before a drop after 5 days: refused in the browser, nothing sent.
    // The rows follow the pool's rule list.
    const leadRow = required(pool, 'the pool').rules.findIndex((r) => r.entity === 'lead');
    await input(page, `pool-rule-${String(leadRow)}-days`).fill('5');
    await input(page, `pool-rule-${String(leadRow)}-warn-days`).fill('5');
    await page.getByTestId('pool-form-save').click();
    await waitForText(form.locator('.ant-form-item-explain-error'), '提前提醒的天数须小于回收天数');
    const unchanged = required(
      (await listPools(session)).find((p) => p.id === id),
      'the pool',
    );
    expect(unchanged.rules.find((r) => r.entity === 'lead')?.days).toBe(15);

    await input(page, `pool-rule-${String(leadRow)}-warn-days`).fill('2');
    await form.locator('.ant-form-item-explain-error').first().waitFor({ state: 'detached' });
    await page.getByTestId('pool-form-verification').click();
    await page.getByTestId('pool-form-exempt').click();
    await input(page, 'pool-form-exempt-days').fill('30');
    await page.getByTestId('pool-form-save').click();
    await waitForText(page.locator('.ant-message'), '公海已保存');
    await form.waitFor({ state: 'detached' });

    const saved = required(
      (await listPools(session)).find((p) => p.id === id),
      'the pool',
    );
    expect(saved).toMatchObject({ requireVerification: true, exemptWonDays: 30, protectDays: 7 });
    expect(saved.rules.find((r) => r.entity === 'lead')).toMatchObject({
      kind: 'no_follow_up',
      days: 5,
      warnDays: 2,
    });
    expect(saved.rules).toHaveLength(2);
    const row = page.locator(`tr[data-row-key="${id}"]`);
    await waitForText(row, '需审核');
    await waitForText(row, '30 天内赢单的客户');
  });

  it('shows the server’s refusal of a taken name under the field, and deletes an unused pool', async () => {
    const session = required(admin, 'the admin session');
    const { page } = session;
    await page.getByTestId('pool-create').click();
    const form = page.getByTestId('pool-form');
    await form.waitFor();
    await input(page, 'pool-form-name').fill(poolName);
    await page.getByTestId('pool-form-node').locator('.ant-select').click();
    await page.locator('.ant-select-tree-node-content-wrapper[title="杭州一组"]').click();
    await page.getByTestId('pool-form-save').click();
    await waitForText(form.locator('.ant-form-item-explain-error'), '操作与现有数据冲突');
    // The drawer stays open with what was typed; a new name goes through.
    await input(page, 'pool-form-name').fill('杭州临时公海');
    await page.getByTestId('pool-form-save').click();
    await waitForText(page.locator('.ant-message'), '已创建公海');
    await form.waitFor({ state: 'detached' });

    const spare = required(
      (await listPools(session)).find((p) => p.name === '杭州临时公海'),
      'the spare pool',
    );
    await page.getByTestId(`pool-delete-${spare.id}`).click();
    await page.getByTestId('pool-delete-confirm').click();
    await waitForText(page.locator('.ant-message'), '已删除公海');
    await page.locator(`tr[data-row-key="${spare.id}"]`).waitFor({ state: 'detached' });
    expect((await listPools(session)).map((p) => p.name)).not.toContain('杭州临时公海');
  });

  it('adds a capacity limit for the rep and lifts its daily limit', async () => {
    const session = required(admin, 'the admin session');
    const { page } = session;
    const repId = required(rep, 'the rep').id;
    await page.getByTestId('pools-tab-capacity').click();
    await page.waitForURL('**/pools?tab=capacity');
    await page.getByTestId('capacity-add').click();
    const form = page.getByTestId('capacity-form');
    await form.waitFor();
    // A person is the default scope; the picker searches colleagues as one types.
    await page.getByTestId('capacity-form-user').click();
    await page.keyboard.type('陈静');
    await chooseOption(page, '陈静 (chenjing)');
    await page.getByTestId('capacity-form-entity-customer').click();
    await input(page, 'capacity-form-max').fill('40');
    await input(page, 'capacity-form-daily').fill('5');
    await page.getByTestId('capacity-form-save').click();
    await waitForText(page.locator('.ant-message'), '已添加上限');
    await form.waitFor({ state: 'detached' });

    const limits = (
      await callApi<{ items: CapacityLimit[] }>(session.context, 'GET', '/capacity-limits')
    ).items;
    const limit = required(
      limits.find((l) => l.userId === repId),
      'the rep’s limit',
    );
    expect(limit).toMatchObject({
      scope: 'user',
      entity: 'customer',
      maxRecords: 40,
      dailyClaims: 5,
      targetName: '陈静',
    });
    const row = page.locator(`tr[data-row-key="${limit.id}"]`);
    await waitForText(row, '个人');
    await waitForText(row, '陈静');
    await waitForText(row, '40');

    // A blank daily limit means none.
    await page.getByTestId(`capacity-edit-${limit.id}`).click();
    await form.waitFor();
    await input(page, 'capacity-form-daily').fill('');
    await page.getByTestId('capacity-form-save').click();
    await waitForText(page.locator('.ant-message'), '上限已保存');
    await form.waitFor({ state: 'detached' });
    await waitForText(row, '不限');
    const changed = (
      await callApi<{ items: CapacityLimit[] }>(session.context, 'GET', '/capacity-limits')
    ).items.find((l) => l.id === limit.id);
    expect(changed).toMatchObject({ maxRecords: 40, dailyClaims: null });
  });

  it('binds the team to 浙江省杭州市 on the org page; its sub-team inherits it', async () => {
    const session = required(admin, 'the admin session');
    const { page, context } = session;
    const teamId = required(team, 'the team').id;
    const subTeam = await addNode(context, '西湖小组', teamId);

    await page.goto(`/org?node=${teamId}`);
    const summary = page.getByTestId('territory-summary');
    await waitForText(summary, '未绑定区域');
    await page.getByTestId('territory-edit').click();
    const dialog = page.getByTestId('territory-dialog');
    await dialog.waitFor();
    await page.getByTestId('territory-picker').click();
    await page.locator('.ant-cascader-menu-item[title="浙江省"]').click();
    await page.locator('.ant-cascader-menu-item[title="杭州市"] .ant-cascader-checkbox').click();
    await waitForText(page.getByTestId('territory-picker'), '浙江省杭州市');
    // Clicking the dialog's title closes the picker's menu, which covers the buttons.
    await page.locator('.ant-modal-title').click();
    await page.getByTestId('territory-save').click();
    await waitForText(page.locator('.ant-message'), '负责区域已保存');
    await dialog.waitFor({ state: 'detached' });
    await waitForText(summary.getByTestId('territory-region-330100'), '浙江省杭州市');

    const territories = (await callApi<{ items: Territory[] }>(context, 'GET', '/territories'))
      .items;
    const bound = required(
      territories.find((tr) => tr.nodeId === teamId),
      'the team’s territory',
    );
    expect(bound.regions.map((r) => r.code)).toEqual(['330100']);
    expect(bound.nationwide).toBe(false);

    // Opened again, the dialog shows the binding by name.
    await page.getByTestId('territory-edit').click();
    await dialog.waitFor();
    await waitForText(page.getByTestId('territory-picker'), '浙江省杭州市');
    await page.locator('.ant-modal-close').click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByTestId(`org-node-${subTeam.id}`).click();
    await page.waitForURL(`**/org?node=${subTeam.id}`);
    await waitForText(summary.getByTestId('territory-inherits'), '继承自“杭州一组”');
    await waitForText(summary, '浙江省杭州市');
    // A reload opens the same team with the same territory.
    await page.reload();
    await waitForText(page.getByTestId('territory-summary'), '浙江省杭州市');
  });

  it('changes the collusion rule and reports the pair of reps who swap records', async () => {
    const session = required(admin, 'the admin session');
    const { page, context } = session;
    // Two reps of a team without a territory pass two leads back and forth.
    const ningbo = await addNode(context, '宁波一组', (await rootNode(context)).id);
    await addUser(context, 'wangfang', '王芳', ningbo.id, ['sales']);
    await addUser(context, 'lina', '李娜', ningbo.id, ['sales']);
    const wangfang = await signIn('wangfang', userPassword);
    const lina = await signIn('lina', userPassword);
    const swapped: Lead[] = [];
    for (const company of swappedCompanies) {
      const lead = await callApi<Lead>(context, 'POST', '/leads', { company, ownerId: null });
      await callApi<Lead>(wangfang.context, 'POST', `/leads/${lead.id}/claim`, {});
      await callApi<Lead>(wangfang.context, 'POST', `/leads/${lead.id}/return`, {
        reason: '客户暂无需求',
      });
      await callApi<Lead>(lina.context, 'POST', `/leads/${lead.id}/claim`, {});
      swapped.push(lead);
    }

    await page.goto('/pools');
    await page.getByTestId('pools-tab-collusion').click();
    await page.waitForURL('**/pools?tab=collusion');
    const settingsForm = page.getByTestId('collusion-form');
    await settingsForm.waitFor();
    const before = await callApi<CollusionSettings>(context, 'GET', '/collusion/settings');
    expect(before.minHandovers).toBeGreaterThan(2);
    const report = page.getByTestId('collusion-report');
    await waitForText(report, '没有发现疑似串通的销售');

    await input(page, 'collusion-min-handovers').fill('2');
    await input(page, 'collusion-window-days').fill('14');
    await input(page, 'collusion-claim-hours').fill('48');
    await page.getByTestId('collusion-block').click();
    await waitForText(page.getByTestId('collusion-summary'), '14 天内');
    await page.getByTestId('collusion-save').click();
    await waitForText(page.locator('.ant-message'), '反作弊规则已保存');
    expect(await callApi<CollusionSettings>(context, 'GET', '/collusion/settings')).toEqual({
      minHandovers: 2,
      windowDays: 14,
      claimHours: 48,
      block: true,
    });

    // The new rule finds the pair; its records open on their own pages.
    const pairs = (await callApi<{ items: CollusionPair[] }>(context, 'GET', '/collusion/report'))
      .items;
    const pair = required(pairs[0], 'the reported pair');
    expect(pair).toMatchObject({ fromUserName: '王芳', toUserName: '李娜', handovers: 2 });
    const row = report.locator(`tr[data-row-key="${pair.fromUserId}:${pair.toUserId}"]`);
    await waitForText(row, '王芳');
    await waitForText(row, '李娜');
    const first = required(swapped[0], 'the first swapped lead');
    const link = row.locator(`a[href="/leads/${first.id}"]`);
    await waitForText(link, required(first.company ?? undefined, 'the company'));
    await link.click();
    await page.waitForURL(`**/leads/${first.id}`);
  });

  it('raised no uncaught error in any page', () => {
    for (const session of sessions) expect(session.errors).toEqual([]);
  });
});
