import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CapacityAdjustment,
  CapacityAdjustmentSettings,
  CapacityLimit,
  Page as ListPage,
  User,
} from '@tide/contract';
import { openDatabase } from '../packages/server/src/platform/db.ts';
import { callApi } from './helpers/api.ts';
import {
  input,
  launchBrowser,
  openPage,
  waitForText,
  type BrowserSession,
} from './helpers/browser.ts';
import { addNode, addUser, rootNode } from './helpers/org.ts';
import { required } from './helpers/required.ts';
import { startServer, type TideServer } from './helpers/server.ts';
import { ensureWebBuild } from './helpers/web-build.ts';

/** The month measured: fixed, so the test reads the same whenever it runs. */
const MONTH = '2026-09';

const leadSettings: CapacityAdjustmentSettings = {
  entity: 'lead',
  enabled: true,
  raiseAtPercent: 30,
  lowerBelowPercent: 10,
  stepPercent: 20,
  minRecords: 50,
  maxRecords: 150,
  minSample: 5,
};

/*
 * The month's figures go straight into the database, as the server's own test does:
 * nothing in the API backdates a handover or a conversion. The embedded database takes
 * one process at a time, so the server is stopped meanwhile and started again on the
 * same data and port, and the signed-in browser carries on. Hence a data directory of
 * this file's own, which a stop leaves in place.
 */
let dataDir = '';
let server: TideServer | undefined;
let browser: Browser | undefined;
let admin: BrowserSession | undefined;
let up: User | undefined;
let down: User | undefined;

beforeAll(async () => {
  ensureWebBuild();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tide-e2e-adjust-'));
  server = await startServer({ dataDir });
  browser = await launchBrowser();
});

afterAll(async () => {
  await admin?.context.close();
  await browser?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** `n` leads handed to the rep at `at`, `converted` of them converted then. */
async function recordMonth(userId: string, at: string, n: number, converted: number) {
  const db = await openDatabase({ databaseUrl: undefined, dataDir });
  try {
    await db.pool.query(
      `INSERT INTO handovers (tenant_id, entity, entity_id, action, to_user_id, at)
       SELECT u.tenant_id, 'lead', gen_random_uuid(), 'claim', u.id, $2::timestamptz
         FROM users u, generate_series(1, $3::int) WHERE u.id = $1`,
      [userId, at, n],
    );
    await db.pool.query(
      `INSERT INTO leads (tenant_id, company, source, status, owner_id, created_by, claimed_at, converted_at)
       SELECT u.tenant_id, '转化测试' || i || '-' || u.id, 'fair', 'converted', u.id, u.id,
              $2::timestamptz, $2::timestamptz
         FROM users u, generate_series(1, $3::int) AS i WHERE u.id = $1`,
      [userId, at, converted],
    );
  } finally {
    await db.close();
  }
}

async function openAdjustmentTab(page: Page): Promise<void> {
  await page.goto('/pools');
  await page.getByTestId('pools-tab-adjustment').click();
  await page.waitForURL('**/pools?tab=adjustment');
  await page.getByTestId('capacity-adjustment-lead-form').waitFor();
}

function historyRow(page: Page, name: string) {
  return page.getByTestId('capacity-adjustment-table').locator('tr', { hasText: name });
}

describe('the monthly capacity adjustment (自动调整库容)', () => {
  it('sets up two reps under a company-wide lead capacity of 100', async () => {
    const running = required(server, 'the server');
    admin = await openPage(required(browser, 'the browser'), running.baseUrl);
    const { page, context } = admin;
    await page.goto('/login');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(running.adminPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('dashboard-welcome').waitFor();

    const team = await addNode(context, '杭州一组', (await rootNode(context)).id);
    up = await addUser(context, 'chenjing', '陈静', team.id, ['sales']);
    down = await addUser(context, 'wangfang', '王芳', team.id, ['sales']);
    const limit = await callApi<CapacityLimit>(context, 'POST', '/capacity-limits', {
      scope: 'tenant',
      entity: 'lead',
      maxRecords: 100,
      dailyClaims: null,
    });
    expect(limit).toMatchObject({ scope: 'tenant', entity: 'lead', maxRecords: 100 });
  });

  it('refuses crossed thresholds in the form, then saves the lead settings', async () => {
    const { page, context } = required(admin, 'the admin session');
    await page.getByTestId('nav-pools').click();
    await page.waitForURL('**/pools');
    await page.getByTestId('pools-tab-adjustment').click();
    await page.waitForURL('**/pools?tab=adjustment');
    await waitForText(page.getByTestId('capacity-adjustment-history-empty'), '暂无调整记录');
    const form = page.getByTestId('capacity-adjustment-lead-form');
    await waitForText(form.getByTestId('capacity-adjustment-lead-summary'), '未启用');

    await page.getByTestId('capacity-adjustment-lead-enabled').click();
    const fill = async (field: string, value: number) => {
      await input(page, `capacity-adjustment-lead-${field}`).fill(String(value));
    };
    await fill('raise', 30);
    await fill('lower', 40);
    await fill('step', leadSettings.stepPercent);
    await fill('min-records', leadSettings.minRecords);
    await fill('max-records', leadSettings.maxRecords);
    await fill('min-sample', leadSettings.minSample);
    await page.getByTestId('capacity-adjustment-lead-save').click();
    await waitForText(form.locator('.ant-form-item-explain-error'), '下调门槛不能高于上调门槛');
    // Refused in the browser: nothing was saved. The server refuses the pair too.
    const before = await callApi<{ items: CapacityAdjustmentSettings[] }>(
      context,
      'GET',
      '/capacity-adjustment/settings',
    );
    expect(before.items.find((s) => s.entity === 'lead')?.enabled).toBe(false);
    await expect(
      callApi(context, 'PUT', '/capacity-adjustment/settings', {
        ...leadSettings,
        lowerBelowPercent: 40,
      }),
    ).rejects.toThrow('answered 400');

    await fill('lower', leadSettings.lowerBelowPercent);
    await form.locator('.ant-form-item-explain-error').waitFor({ state: 'detached' });
    await waitForText(
      form.getByTestId('capacity-adjustment-lead-summary'),
      '不低于 30% 时库容上调 20%,低于 10% 时下调 20%,调整后保持在 50–150 条之间',
    );
    await page.getByTestId('capacity-adjustment-lead-save').click();
    await waitForText(page.locator('.ant-message'), '线索库容自动调整设置已保存');

    const saved = await callApi<{ items: CapacityAdjustmentSettings[] }>(
      context,
      'GET',
      '/capacity-adjustment/settings',
    );
    expect(saved.items).toEqual([
      leadSettings,
      expect.objectContaining({ entity: 'customer', enabled: false }),
    ]);
  });

  it(`records ${MONTH} in the database: one rep converts 4 of 10 leads, the other none`, async () => {
    const before = required(server, 'the server');
    await before.stop();
    // 2026-09-10 12:00 in Shanghai: 40%, at or above 30%, a step up.
    await recordMonth(required(up, 'the rep converting').id, '2026-09-10T04:00:00Z', 10, 4);
    // 0%, below 10%: a step down.
    await recordMonth(required(down, 'the rep converting none').id, '2026-09-15T04:00:00Z', 10, 0);
    server = await startServer({ dataDir, port: before.port });
  });

  it(`adjusts ${MONTH} from the page and shows each rep's rate and capacity`, async () => {
    const { page, context } = required(admin, 'the admin session');
    await openAdjustmentTab(page);
    // The settings came through the restart.
    expect(await input(page, 'capacity-adjustment-lead-max-records').inputValue()).toBe('150');

    const month = input(page, 'capacity-adjustment-run-month');
    await month.click();
    await month.fill(MONTH);
    await month.press('Enter');
    expect(await month.inputValue()).toBe(MONTH);
    await page.getByTestId('capacity-adjustment-run').click();
    await page.getByTestId('capacity-adjustment-run-confirm').click();
    await waitForText(
      page.getByTestId('capacity-adjustment-run-result'),
      `${MONTH}:已为 2 人调整库容`,
    );

    // The history now shows the month run.
    expect(await input(page, 'capacity-adjustment-filter-month').inputValue()).toBe(MONTH);
    const raised = historyRow(page, '陈静');
    await waitForText(raised, MONTH);
    await waitForText(raised.getByTestId('capacity-adjustment-rate'), '40%');
    await waitForText(raised.getByTestId('capacity-adjustment-change'), '100 → 120');
    expect(
      await raised.getByTestId('capacity-adjustment-change').getAttribute('data-direction'),
    ).toBe('up');
    const lowered = historyRow(page, '王芳');
    await waitForText(lowered.getByTestId('capacity-adjustment-rate'), '0%');
    await waitForText(lowered.getByTestId('capacity-adjustment-change'), '100 → 80');
    expect(
      await lowered.getByTestId('capacity-adjustment-change').getAttribute('data-direction'),
    ).toBe('down');
    expect(await raised.innerText()).toContain('线索');

    const history = await callApi<ListPage<CapacityAdjustment>>(
      context,
      'GET',
      `/capacity-adjustments?month=${MONTH}&entity=lead`,
    );
    expect(
      history.items
        .map(({ userName, handled, converted, rate, before, after }) => ({
          userName,
          handled,
          converted,
          rate,
          before,
          after,
        }))
        .sort((a, b) => a.after - b.after),
    ).toEqual([
      { userName: '王芳', handled: 10, converted: 0, rate: 0, before: 100, after: 80 },
      { userName: '陈静', handled: 10, converted: 4, rate: 0.4, before: 100, after: 120 },
    ]);
  });

  it('adjusts a month once: running it again changes no one', async () => {
    const { page } = required(admin, 'the admin session');
    await page.getByTestId('capacity-adjustment-run').click();
    await page.getByTestId('capacity-adjustment-run-confirm').click();
    await waitForText(page.getByTestId('capacity-adjustment-run-result'), '没有需要调整的人员');
    await waitForText(
      historyRow(page, '陈静').getByTestId('capacity-adjustment-change'),
      '100 → 120',
    );
  });

  it('names the queues on the jobs page, with their raw names beside', async () => {
    const { page } = required(admin, 'the admin session');
    await page.getByTestId('nav-jobs').click();
    await page.waitForURL('**/jobs');
    const table = page.getByTestId('jobs-table');
    const adjust = table.locator('tr[data-row-key="capacity-adjust"]');
    await waitForText(adjust.getByTestId('job-label'), '自动调整库容');
    await waitForText(adjust, 'capacity-adjust');
    await waitForText(adjust.getByTestId('job-schedule'), '0 1 1 * * (Asia/Shanghai)');
    const sweep = table.locator('tr[data-row-key="pool-sweep"]');
    await waitForText(sweep.getByTestId('job-label'), '公海回收');

    await page.getByTestId('lang-en').click();
    await waitForText(adjust.getByTestId('job-label'), 'Monthly capacity adjustment');
    await waitForText(sweep.getByTestId('job-label'), 'Pool sweep');
    await page.getByTestId('lang-zh-CN').click();
    await waitForText(adjust.getByTestId('job-label'), '自动调整库容');
  });

  it('raised no uncaught error in the page', () => {
    expect(required(admin, 'the admin session').errors).toEqual([]);
  });
});
