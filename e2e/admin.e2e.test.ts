import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OrgNode, OrgTree } from '@tide/contract';
import { callApi } from './helpers/api.ts';
import { waitForText, type BrowserSession } from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { addNode, addUser } from './helpers/org.ts';
import { repoRoot } from './helpers/paths.ts';
import { required } from './helpers/required.ts';

const { server, openSession } = useE2eEnvironment();
let session: BrowserSession | undefined;

function current(): BrowserSession {
  return required(session, 'the browser session');
}

beforeAll(async () => {
  session = await openSession();
});

describe('an administrator', () => {
  it('is sent to a Chinese login page', async () => {
    const { page } = current();
    await page.goto('/');
    await page.waitForURL('**/login');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByTestId('login-submit').innerText()).toMatch(/登\s*录/);
  });

  it('logs in and sees the app in Chinese', async () => {
    const { page } = current();
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(server().adminPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('dashboard-welcome').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await waitForText(page.getByTestId('nav-org'), '组织架构');
    await waitForText(page.getByTestId('dashboard-welcome'), '你好');
  });

  it('switches to English, and the choice survives a reload', async () => {
    const { page } = current();
    await page.getByTestId('lang-en').click();
    await waitForText(page.getByTestId('nav-org'), 'Organisation');
    await waitForText(page.getByTestId('dashboard-welcome'), 'Hello');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await page.reload();
    await waitForText(page.getByTestId('nav-org'), 'Organisation');
    expect(await page.evaluate('localStorage.getItem("tide.lang")')).toBe('en');
  });

  it('opens the organisation page and sees the root of the org tree', async () => {
    const { page } = current();
    await page.getByTestId('nav-org').click();
    await page.waitForURL('**/org**');
    await page.getByTestId('org-tree').waitFor();

    const res = await page.request.get('/api/v1/org/nodes');
    expect(res.ok()).toBe(true);
    const tree = (await res.json()) as OrgTree;
    const root = tree.roots[0];
    expect(root).toBeDefined();
    if (!root) return;

    const rootTitle = page.getByTestId(`org-node-${root.id}`);
    await waitForText(rootTitle, root.name);
    // The root is selected by default: its details and its members (admin) are shown.
    await waitForText(page.getByTestId('org-node-details'), root.name);
    await waitForText(page.getByTestId('org-users'), 'admin');
  });

  it('gets a translated 404 page for an unknown address', async () => {
    const { page } = current();
    await page.goto('/no-such-page');
    await waitForText(page.getByTestId('not-found'), 'Page not found');
  });

  it('adds a team under the root through the UI', async () => {
    const { page } = current();
    await page.goto('/org');
    await page.getByTestId('org-add-child').click();
    await page.getByTestId('org-child-name').fill('华东大区');
    await page
      .locator('.ant-modal')
      .getByRole('button', { name: /Create/ })
      .click();
    await waitForText(page.getByTestId('org-tree'), '华东大区');
    // The new team is selected: its details and its (empty) member list are shown.
    await waitForText(page.getByTestId('org-node-details'), '华东大区');
    await waitForText(page.getByTestId('org-users'), 'Members of 华东大区 and its sub-teams');
  });

  it('creates a member of that team through the UI', async () => {
    const { page } = current();
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-form-username').fill('zhangwei');
    await page.getByTestId('user-form-display-name').fill('张伟');
    await page.getByTestId('user-form-password').fill('Harbor-Lantern-2026');
    await page
      .locator('.ant-modal')
      .getByRole('button', { name: /Create/ })
      .click();
    await waitForText(page.getByTestId('org-users'), 'zhangwei');
    await waitForText(page.getByTestId('org-users'), 'Sales rep');
  });

  it('leaves a screenshot of the organisation page for the README', async () => {
    const { page, context } = current();
    // A small realistic organisation, so the picture shows what the page is for.
    const tree = await callApi<OrgTree>(context, 'GET', '/org/nodes');
    const east = tree.nodes.find((n) => n.name === '华东大区');
    const root = tree.roots[0];
    if (!east || !root) throw new Error('the org tree lacks the teams created above');
    const hangzhou = await addNode(context, '杭州一组', east.id);
    const shanghai = await addNode(context, '上海一组', east.id);
    const south = await addNode(context, '华南大区', root.id);
    const shenzhen = await addNode(context, '深圳一组', south.id);
    const telesales = await addNode(context, '电销中心', root.id);
    const lina = await addUser(context, 'lina', '李娜', east.id, ['manager']);
    await callApi<OrgNode>(context, 'PATCH', `/org/nodes/${east.id}`, { managerId: lina.id });
    await addUser(context, 'wangfang', '王芳', hangzhou.id, ['sales']);
    await addUser(context, 'liuyang', '刘洋', hangzhou.id, ['sales']);
    await addUser(context, 'chenjing', '陈静', shanghai.id, ['sales']);
    await addUser(context, 'yanglei', '杨磊', shenzhen.id, ['manager', 'sales']);
    await addUser(context, 'zhaomin', '赵敏', telesales.id, ['telesales']);

    await page.getByTestId('lang-zh-CN').click();
    await page.goto(`/org?node=${east.id}`);
    await waitForText(page.getByTestId('nav-org'), '组织架构');
    await waitForText(page.getByTestId('org-node-details'), '李娜');
    await waitForText(page.getByTestId('org-users'), '张伟');
    // Let antd's entrance animations finish so the picture is not caught mid-fade.
    await page.waitForTimeout(500);
    // `TIDE_UPDATE_SCREENSHOT=1 npm run test:e2e` refreshes the README picture; other runs
    // keep theirs under .tmp so a test run never changes tracked files.
    const dir = process.env.TIDE_UPDATE_SCREENSHOT
      ? path.join(repoRoot, 'docs')
      : path.join(repoRoot, '.tmp');
    await mkdir(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, 'screenshot.png') });
  });

  it('is sent back to the login page when the session ends, and returns where it was', async () => {
    const { page, context } = current();
    await page.goto('/roles');
    await page.getByTestId('roles-table').waitFor();
    // The session cookie disappears, as when the session expires or is revoked.
    await context.clearCookies();
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('session-expired').waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/audit');

    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(server().adminPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('audit-table').waitFor();
    expect(new URL(page.url()).pathname).toBe('/audit');
    await waitForText(page.getByTestId('audit-table'), '华东大区');
  });

  it('raised no uncaught error in the page', () => {
    expect(current().errors).toEqual([]);
  });
});
