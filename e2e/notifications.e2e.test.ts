import { describe, expect, it } from 'vitest';
import type { JobQueue, Page as ListPage, Notification, UnreadCount } from '@tide/contract';
import type { BrowserContext } from 'playwright-core';
import { callApi } from './helpers/api.ts';
import { waitForText, type BrowserSession } from './helpers/browser.ts';
import { useE2eEnvironment } from './helpers/environment.ts';
import { addNode, addUser, rootNode, userPassword } from './helpers/org.ts';
import { required } from './helpers/required.ts';

const { server, sessions, signIn } = useE2eEnvironment();

/** A timestamp as the page shows it (`formatDateTime`) in the browser's zone, Asia/Shanghai. */
function shownDateTime(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

async function sweepQueue(context: BrowserContext): Promise<JobQueue> {
  const { items } = await callApi<{ items: JobQueue[] }>(context, 'GET', '/jobs');
  return required(
    items.find((j) => j.name === 'pool-sweep'),
    'the pool-sweep queue',
  );
}

/** Asks until the sweep queued at `since` has finished; the run happens in the background. */
async function sweepFinishedAfter(context: BrowserContext, since: number): Promise<JobQueue> {
  for (;;) {
    const queue = await sweepQueue(context);
    const ran = queue.lastRunAt !== null && Date.parse(queue.lastRunAt) >= since - 1_000;
    if (ran && queue.pending === 0 && queue.lastState !== 'active') return queue;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the message center', () => {
  let rep: BrowserSession | undefined;

  it('sets up a team with a rep', async () => {
    const { context } = await signIn('admin', server().adminPassword);
    const team = await addNode(context, '杭州一组', (await rootNode(context)).id);
    await addUser(context, 'wangfang', '王芳', team.id, ['sales']);
  });

  it('shows a rep with no notifications a bell without a count and an empty popover', async () => {
    rep = await signIn('wangfang', userPassword);
    const { page, context } = rep;
    const bell = page.locator('[data-testid="notification-bell"][data-unread="0"]');
    await bell.waitFor();
    expect(await page.getByTestId('notification-badge').locator('.ant-badge-count').count()).toBe(
      0,
    );
    expect(await callApi<UnreadCount>(context, 'GET', '/notifications/unread-count')).toEqual({
      unread: 0,
    });

    await bell.click();
    await waitForText(page.getByTestId('notification-popover-empty'), '暂无消息');
    expect(await page.getByTestId('notification-popover-read-all').isDisabled()).toBe(true);
  });

  it('opens the message center from the popover, with its empty states', async () => {
    const { page } = required(rep, 'the rep session');
    await page.getByTestId('notification-view-all').click();
    await page.waitForURL('**/notifications');
    await page.getByTestId('notification-popover').waitFor({ state: 'hidden' });
    await waitForText(page.getByTestId('notifications-empty'), '暂无消息');
    await waitForText(page.getByTestId('notifications-unread-count'), '0 条未读');
    expect(await page.getByTestId('notifications-read-all').isDisabled()).toBe(true);

    await page.getByTestId('notifications-filter').getByText('未读').click();
    await waitForText(page.getByTestId('notifications-empty'), '没有未读消息');
    const { items } = await callApi<ListPage<Notification>>(
      page.context(),
      'GET',
      '/notifications?unread=true',
    );
    expect(items).toEqual([]);
  });

  it('reads in English too', async () => {
    const { page } = required(rep, 'the rep session');
    await page.getByTestId('lang-en').click();
    await waitForText(page.getByTestId('notifications-empty'), 'No unread notifications');
    await page.getByTestId('lang-zh-CN').click();
    await waitForText(page.getByTestId('notifications-empty'), '没有未读消息');
  });

  it('keeps the jobs page from a rep: no menu entry, and a 403 page at its address', async () => {
    const { page } = required(rep, 'the rep session');
    expect(await page.getByTestId('nav-jobs').count()).toBe(0);
    await page.goto('/jobs');
    await waitForText(page.locator('.ant-result-403'), '无权访问');
  });

  it('lists the queues for an administrator and runs the pool sweep now', async () => {
    const admin = required(sessions[0], 'the admin session');
    const { page, context } = admin;
    await page.getByTestId('nav-jobs').click();
    await page.waitForURL('**/jobs');
    const row = page.getByTestId('jobs-table').locator('tr[data-row-key="pool-sweep"]');
    // The queue's name in the user's language, its raw name beside it.
    await waitForText(row.getByTestId('job-label'), '公海回收');
    await waitForText(row, 'pool-sweep');
    const before = await sweepQueue(context);
    await waitForText(
      row.getByTestId('job-schedule'),
      required(before.cron ?? undefined, 'the cron'),
    );

    const clickedAt = Date.now();
    await page.getByTestId('job-run-pool-sweep').click();
    await waitForText(page.locator('.ant-message'), '已排入 公海回收');
    const after = await sweepFinishedAfter(context, clickedAt);
    expect(after.lastState).toBe('completed');
    expect(after.lastError).toBeNull();

    // The page follows a run while it is pending; refresh in case it finished before that.
    await page.getByTestId('jobs-refresh').click();
    await waitForText(
      row.getByTestId('job-last-run'),
      shownDateTime(required(after.lastRunAt ?? undefined, 'the last run')),
    );
    await waitForText(row.getByTestId('job-last-state'), '成功');
    await waitForText(row.getByTestId('job-pending'), '0');
  });

  it('raised no uncaught error in any page', () => {
    required(rep, 'the rep session');
    for (const session of sessions) expect(session.errors).toEqual([]);
  });
});
