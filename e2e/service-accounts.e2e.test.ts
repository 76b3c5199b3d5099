import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { waitForText, type BrowserSession } from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { required } from './helpers/required.ts';

const { server, signIn } = useE2eEnvironment();
let session: BrowserSession | undefined;
let token = '';

function current(): BrowserSession {
  return required(session, 'the browser session');
}

/** Calls the API the way an integration does: a bearer token, no cookie. */
async function asIntegration(page: Page, path: string): Promise<number> {
  const res = await page.context().request.fetch(`/api/v1${path}`, {
    // The bearer token is what counts: the server reads it before any cookie.
    headers: { authorization: `Bearer ${token}` },
  });
  return res.status();
}

beforeAll(async () => {
  session = await signIn('admin', server().adminPassword);
  await session.page.goto('/org');
  await session.page.getByTestId('org-users').waitFor();
});

describe('an administrator, in Chinese', () => {
  it('is told why a weak password is refused, and creates the member with a strong one', async () => {
    const { page } = current();
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-form-username').fill('liuyang');
    await page.getByTestId('user-form-display-name').fill('刘洋');
    const password = page.getByTestId('user-form-password');
    const modal = page.locator('.ant-modal', { has: page.getByTestId('user-form') });

    await password.fill('woaini1314');
    await modal.getByRole('button', { name: /新\s*建/ }).click();
    await waitForText(modal, '这是最常见的密码之一');

    await password.fill('liuyang2026');
    await modal.getByRole('button', { name: /新\s*建/ }).click();
    await waitForText(modal, '密码不能是用户名');

    await password.fill('Harbor-Lantern-2026');
    await modal.getByRole('button', { name: /新\s*建/ }).click();
    await waitForText(page.getByTestId('org-users'), 'liuyang');
  });

  it('creates a service account that may only read leads', async () => {
    const { page } = current();
    await page.getByTestId('service-account-create').click();
    const modal = page.locator('.ant-modal', { has: page.getByTestId('service-account-form') });
    await page.getByTestId('service-account-username').fill('erp.sync');
    await page.getByTestId('service-account-display-name').fill('ERP 同步');
    await modal.getByRole('checkbox', { name: /查看线索/ }).check();
    await modal.getByRole('button', { name: /新\s*建/ }).click();
    const users = page.getByTestId('org-users');
    await waitForText(users, 'erp.sync');
    await waitForText(users, '服务账号');
    await waitForText(users, '1 项权限');
  });

  it('issues it a token shown once, which reads leads and nothing beyond', async () => {
    const { page } = current();
    await page.getByTestId('user-more-erp.sync').click();
    await page.getByRole('menuitem', { name: '管理 API 令牌' }).click();
    const form = page.getByTestId('token-create-form');
    await form.getByRole('textbox').fill('夜间同步');
    await page.getByTestId('token-create').click();
    const secret = page.getByTestId('token-secret');
    await secret.waitFor();
    token = (await secret.innerText()).trim();
    expect(token).toMatch(/^tide_pat_/);
    await page
      .locator('.ant-modal', { has: secret })
      .locator('.ant-modal-footer')
      .getByRole('button', { name: /关\s*闭/ })
      .click();
    await waitForText(page.getByTestId('token-table'), '夜间同步');

    expect(await asIntegration(page, '/leads')).toBe(200);
    expect(await asIntegration(page, '/customers')).toBe(403);
    expect(await asIntegration(page, '/users')).toBe(403);
  });

  it('revokes the token, and the integration is turned away at once', async () => {
    const { page } = current();
    await page
      .getByTestId('token-table')
      .getByRole('button', { name: /吊\s*销/ })
      .click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /吊\s*销/ })
      .click();
    await waitForText(page.getByTestId('token-table'), '还没有 API 令牌');
    expect(await asIntegration(page, '/leads')).toBe(401);
  });
});
