import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Contact, Customer, Lead, Page as ListPage, User } from '@tide/contract';
import { callApi } from './helpers/api.ts';
import { input, waitForText, type BrowserSession } from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { addNode, addUser, rootNode, userPassword } from './helpers/org.ts';
import { required } from './helpers/required.ts';

const company = '苏州星辰电子有限公司';
const customerName = '苏州澄湖食品有限公司';
const contactName = '陈静';

const { server, sessions, signIn } = useE2eEnvironment();
let admin: BrowserSession | undefined;
let rep: User | undefined;

function isChecked(page: Page, testId: string): Promise<boolean> {
  return page.getByTestId(testId).locator('input').isChecked();
}

describe('merging leads and contacts', () => {
  it('lets an administrator set up a team with a rep and a manager', async () => {
    admin = await signIn('admin', server().adminPassword);
    const { context } = admin;
    const team = await addNode(context, '苏州一组', (await rootNode(context)).id);
    rep = await addUser(context, 'wangfang', '王芳', team.id, ['sales']);
    await addUser(context, 'zhaomin', '赵敏', team.id, ['manager']);
  });

  it('lets a manager merge two leads from the lead page; the merged-away id opens the survivor', async () => {
    const { context: adminContext } = required(admin, 'the admin session');
    const ownerId = required(rep, 'the rep').id;
    const survivor = await callApi<Lead>(adminContext, 'POST', '/leads', {
      company,
      contactName: '周伟',
      phone: '13812340001',
      source: '展会',
      ownerId,
    });
    // The same company entered again from another channel: the default rule only warns.
    const other = await callApi<Lead>(adminContext, 'POST', '/leads', {
      company,
      contactName: '周伟',
      phone: '13812340002',
      email: 'zhouwei@xingchen.example.cn',
      ownerId,
    });

    const manager = await signIn('zhaomin', userPassword);
    const { page, context } = manager;
    await page.goto(`/leads/${survivor.id}`);
    await waitForText(page.getByTestId('lead-title'), company);
    await page.getByTestId('lead-merge').click();
    await page.waitForURL(`**/leads/${survivor.id}/merge`);

    // The lead's possible duplicates are offered; the other one is among them.
    await waitForText(page.getByTestId('merge-suggestions'), company);
    await page.getByTestId(`merge-suggestion-${other.id}`).click();
    await page.waitForURL(`**/leads/${survivor.id}/merge?other=${other.id}`);
    await page.getByTestId('merge-comparison').waitFor();
    expect(await page.getByTestId('merge-survivor-name').getAttribute('href')).toBe(
      `/leads/${survivor.id}`,
    );
    expect(await page.getByTestId('merge-other-name').getAttribute('href')).toBe(
      `/leads/${other.id}`,
    );

    // The phones differ: the survivor's is kept until the other's is picked. The
    // survivor has no email, so the other's is taken; its source stays.
    expect(await isChecked(page, 'merge-choice-phone-other')).toBe(false);
    expect(await isChecked(page, 'merge-choice-email-other')).toBe(true);
    expect(await isChecked(page, 'merge-choice-source-survivor')).toBe(true);
    await page.getByTestId('merge-choice-phone-other').click();
    expect(await isChecked(page, 'merge-choice-phone-other')).toBe(true);

    await page.getByTestId('merge-submit').click();
    await waitForText(page.locator('.ant-modal-confirm'), '无法撤销');
    await page.getByTestId('merge-confirm').click();
    await page.waitForURL(new RegExp(`/leads/${survivor.id}$`));
    await waitForText(page.getByTestId('lead-title'), company);

    const merged = await callApi<Lead>(context, 'GET', `/leads/${survivor.id}`);
    expect(merged).toMatchObject({
      phone: '13812340002',
      email: 'zhouwei@xingchen.example.cn',
      source: '展会',
    });
    const gone = await context.request.get(`/api/v1/leads/${other.id}`);
    expect(gone.status()).toBe(404);
    expect(await gone.json()).toMatchObject({
      error: { code: 'NOT_FOUND', details: { mergedInto: survivor.id } },
    });
    const listed = await callApi<ListPage<Lead>>(
      context,
      'GET',
      `/leads?q=${encodeURIComponent('星辰')}`,
    );
    expect(listed.items.map((l) => l.id)).toEqual([survivor.id]);

    // An old link to the merged-away lead opens the survivor and says why.
    await page.goto(`/leads/${other.id}`);
    await page.waitForURL(new RegExp(`/leads/${survivor.id}$`));
    await page.getByTestId('lead-merged-notice').waitFor();
    await waitForText(page.getByTestId('lead-details'), '13812340002');
  });

  it('warns a rep adding a contact twice, and lets them merge the two contacts', async () => {
    const { context: adminContext } = required(admin, 'the admin session');
    const customer = await callApi<Customer>(adminContext, 'POST', '/customers', {
      name: customerName,
      kind: 'company',
      ownerId: required(rep, 'the rep').id,
    });
    const first = await callApi<Contact>(adminContext, 'POST', '/contacts', {
      customerId: customer.id,
      name: contactName,
      phone: '13900001111',
    });
    const second = await callApi<Contact>(adminContext, 'POST', '/contacts', {
      customerId: customer.id,
      name: contactName,
      title: '采购经理',
      email: 'chenjing@chenghu.example.cn',
    });

    const session = await signIn('wangfang', userPassword);
    const { page, context } = session;
    await page.goto(`/customers/${customer.id}`);
    await waitForText(page.getByTestId('customer-title'), customerName);
    await page.getByRole('tab', { name: '联系人' }).click();
    await waitForText(page.getByTestId('contacts-table'), contactName);

    // Typing the name of a contact the customer already has warns, as for customers.
    await page.getByTestId('contact-create').click();
    await input(page, 'contact-form-name').fill(contactName);
    const warning = page.getByTestId('contact-form-duplicates');
    await waitForText(warning, '同一客户下姓名相同');
    await waitForText(warning, contactName);
    await page
      .locator('.ant-modal')
      .getByRole('button', { name: /取\s*消/ })
      .click();
    await page.locator('.ant-modal').waitFor({ state: 'detached' });

    await page.getByTestId(`contact-merge-${first.id}`).click();
    // The customer's only other contact is the one to merge.
    await page.getByTestId('merge-comparison').waitFor();
    await waitForText(page.getByTestId('merge-other-name'), 'chenjing@chenghu.example.cn');
    expect(await isChecked(page, 'merge-choice-title-other')).toBe(true);
    expect(await isChecked(page, 'merge-choice-email-other')).toBe(true);
    expect(await isChecked(page, 'merge-choice-phone-survivor')).toBe(true);
    await page.getByTestId('merge-submit').click();
    await page.getByTestId('merge-confirm').click();
    await page.locator('.ant-modal').first().waitFor({ state: 'detached' });

    const contacts = await callApi<ListPage<Contact>>(
      context,
      'GET',
      `/contacts?customerId=${customer.id}`,
    );
    expect(contacts.items).toHaveLength(1);
    expect(contacts.items[0]).toMatchObject({
      id: first.id,
      phone: '13900001111',
      email: 'chenjing@chenghu.example.cn',
      title: '采购经理',
    });
    const gone = await context.request.get(`/api/v1/contacts/${second.id}`);
    expect(gone.status()).toBe(404);
    // The table follows: one row left.
    await page
      .getByTestId('contacts-table')
      .locator('tbody tr.ant-table-row')
      .nth(1)
      .waitFor({ state: 'detached' });
    await waitForText(page.getByTestId('contacts-table'), '采购经理');
  });

  it('raised no uncaught error in any page', () => {
    for (const session of sessions) expect(session.errors).toEqual([]);
  });
});
