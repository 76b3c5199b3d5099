import { describe, expect, it } from 'vitest';
import type { Contact, Customer, DuplicateCheckResult, Page as ListPage } from '@tide/contract';
import { callApi } from './helpers/api.ts';
import { input, waitForText, type BrowserSession } from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { addNode, addUser, rootNode, userPassword } from './helpers/org.ts';
import { required } from './helpers/required.ts';

const company = '杭州云帆科技有限公司';
const existingPhone = '0571-88001122';
const newPhone = '0571-88003344';
const contactName = '陈静';

const { server, sessions, signIn } = useE2eEnvironment();
let admin: BrowserSession | undefined;
let rep: BrowserSession | undefined;
/** Entered first, with a contact: the record merged away. */
let existing: Customer | undefined;
let contact: Contact | undefined;
/** Entered again through the form despite the warning: the survivor. */
let duplicate: Customer | undefined;

describe('duplicate warnings and merging customers', () => {
  it('lets an administrator set up a team with a rep, a manager and a customer', async () => {
    admin = await signIn('admin', server().adminPassword);
    const { context } = admin;
    const team = await addNode(context, '杭州一组', (await rootNode(context)).id);
    const wangfang = await addUser(context, 'wangfang', '王芳', team.id, ['sales']);
    await addUser(context, 'zhaomin', '赵敏', team.id, ['manager']);

    existing = await callApi<Customer>(context, 'POST', '/customers', {
      name: company,
      kind: 'company',
      phone: existingPhone,
      industry: '软件',
      ownerId: wangfang.id,
    });
    contact = await callApi<Contact>(context, 'POST', '/contacts', {
      customerId: existing.id,
      name: contactName,
      phone: '13900001111',
    });
  });

  it('warns a rep typing the name of an existing customer, and still lets them save', async () => {
    rep = await signIn('wangfang', userPassword);
    const { page, context } = rep;
    const { id } = required(existing, 'the existing customer');

    // What the form is about to show, straight from the API.
    const check = await callApi<DuplicateCheckResult>(context, 'POST', '/duplicates/check', {
      type: 'customer',
      name: company,
    });
    expect(check.matches[0]).toMatchObject({ id, name: company, visible: true });

    await page.getByTestId('nav-customers').click();
    await page.waitForURL('**/customers');
    await page.getByTestId('customer-create').click();
    await input(page, 'customer-form-name').fill(company);

    const warning = page.getByTestId('customer-form-duplicates');
    await waitForText(warning, company);
    await waitForText(warning, '名称相同');
    await waitForText(warning, '负责人:王芳');
    await waitForText(warning, '%');
    expect(await warning.getByTestId('duplicate-link').getAttribute('href')).toBe(
      `/customers/${id}`,
    );

    // A half-typed phone number is not worth a warning of its own, nor an error.
    await input(page, 'customer-form-phone').fill('0571');
    await page.waitForTimeout(800);
    await waitForText(warning, company);
    await input(page, 'customer-form-phone').fill(newPhone);
    await page.waitForTimeout(800);
    await waitForText(warning, company);

    await page.getByTestId('customer-form-submit').click();
    await page.waitForURL(/\/customers\/[^/]+$/);
    await waitForText(page.getByTestId('customer-title'), company);
    const listed = await callApi<ListPage<Customer>>(context, 'GET', '/customers?q=云帆');
    expect(listed.items.map((c) => c.name)).toEqual([company, company]);
    duplicate = listed.items.find((c) => c.id !== id);
    expect(duplicate?.phone).toBe(newPhone);
    expect(page.url()).toContain(`/customers/${required(duplicate, 'the new customer').id}`);
  });

  it("lets a manager merge the two, keeping the other's phone and contacts", async () => {
    const manager = await signIn('zhaomin', userPassword);
    const { page, context } = manager;
    const survivor = required(duplicate, 'the new customer');
    const other = required(existing, 'the existing customer');

    await page.goto(`/customers/${survivor.id}`);
    await waitForText(page.getByTestId('customer-title'), company);
    await page.getByTestId('customer-merge').click();
    await page.waitForURL(`**/customers/${survivor.id}/merge`);
    // The survivor's possible duplicates are offered; the select finds the same one.
    await waitForText(page.getByTestId('merge-suggestions'), company);
    await page.getByTestId(`merge-suggestion-${other.id}`).waitFor();

    await page.getByTestId('merge-other-select').click();
    await page.keyboard.type('云帆');
    await page.locator('.ant-select-item-option', { hasText: '王芳' }).first().click();
    await page.waitForURL(`**/customers/${survivor.id}/merge?other=${other.id}`);
    await page.getByTestId('merge-comparison').waitFor();
    expect(await page.getByTestId('merge-survivor-name').getAttribute('href')).toBe(
      `/customers/${survivor.id}`,
    );

    // Swapping makes the other record the survivor; swapping back restores the pair.
    await page.getByTestId('merge-swap').click();
    await page.waitForURL(`**/customers/${other.id}/merge?other=${survivor.id}`);
    await page
      .locator(`[data-testid="merge-survivor-name"][href="/customers/${other.id}"]`)
      .waitFor();
    await page.getByTestId('merge-swap').click();
    await page.waitForURL(`**/customers/${survivor.id}/merge?other=${other.id}`);
    await page
      .locator(`[data-testid="merge-survivor-name"][href="/customers/${survivor.id}"]`)
      .waitFor();

    // The phones differ: the survivor's is chosen until the other's is picked. The
    // survivor has no industry, so the other's is taken by default.
    const phoneOther = page.getByTestId('merge-choice-phone-other').locator('input');
    expect(await phoneOther.isChecked()).toBe(false);
    expect(await page.getByTestId('merge-choice-industry-other').locator('input').isChecked()).toBe(
      true,
    );
    await page.getByTestId('merge-choice-phone-other').click();
    expect(await phoneOther.isChecked()).toBe(true);

    await page.getByTestId('merge-submit').click();
    await waitForText(page.locator('.ant-modal-confirm'), '无法撤销');
    await page.getByTestId('merge-confirm').click();
    await page.waitForURL(new RegExp(`/customers/${survivor.id}$`));
    await waitForText(page.getByTestId('customer-title'), company);

    const merged = await callApi<Customer>(context, 'GET', `/customers/${survivor.id}`);
    expect(merged.phone).toBe(existingPhone);
    expect(merged.industry).toBe('软件');
    const contacts = await callApi<ListPage<Contact>>(
      context,
      'GET',
      `/contacts?customerId=${survivor.id}`,
    );
    expect(contacts.items.map((c) => c.id)).toContain(required(contact, 'the contact').id);
    const remaining = await callApi<ListPage<Customer>>(context, 'GET', '/customers?q=云帆');
    expect(remaining.items.map((c) => c.id)).toEqual([survivor.id]);

    await page.getByRole('tab', { name: '联系人' }).click();
    await waitForText(page.getByTestId('contacts-table'), contactName);

    // The merged-away id answers 404 pointing at the survivor, and opens as the survivor.
    const res = await context.request.get(`/api/v1/customers/${other.id}`);
    expect(res.status()).toBe(404);
    expect(await res.json()).toMatchObject({
      error: { code: 'NOT_FOUND', details: { mergedInto: survivor.id } },
    });
    await page.goto(`/customers/${other.id}`);
    await page.waitForURL(new RegExp(`/customers/${survivor.id}$`));
    await page.getByTestId('customer-merged-notice').waitFor();
    await waitForText(page.getByTestId('customer-title'), company);
    await waitForText(page.getByTestId('customer-details'), existingPhone);
  });

  it('raised no uncaught error in any page', () => {
    for (const session of sessions) expect(session.errors).toEqual([]);
  });
});
