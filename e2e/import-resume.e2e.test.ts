import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJob, Lead, Page as ListPage } from '@tide/contract';
import { callApi } from './helpers/api.ts';
import { launchBrowser, openPage, waitForText, type BrowserSession } from './helpers/browser.ts';
import { required } from './helpers/required.ts';
import { startServer, type TideServer } from './helpers/server.ts';
import { ensureWebBuild } from './helpers/web-build.ts';

/** Enough rows that the server is killed after its first checkpoint, long before the end. */
const ROWS = 60_000;
/** A running import without a checkpoint for this long counts as cut short. */
const env = { TIDE_IMPORT_STALE_SECONDS: '2' };

let dataDir = '';
let server: TideServer | undefined;
let browser: Browser | undefined;
let session: BrowserSession | undefined;
let importId = '';

beforeAll(async () => {
  ensureWebBuild();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tide-e2e-resume-'));
  server = await startServer({ dataDir, env });
  browser = await launchBrowser();
});

afterAll(async () => {
  await session?.context.close();
  await browser?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function csv(): Buffer {
  const lines = ['公司名称,手机'];
  for (let i = 0; i < ROWS; i++)
    lines.push(`续传测试${String(i)}号科技有限公司,139${String(i).padStart(8, '0')}`);
  return Buffer.from(lines.join('\n'));
}

describe('an import whose server died mid-file', () => {
  it('is running when the server is killed after its first committed chunk', async () => {
    const running = required(server, 'the server');
    session = await openPage(required(browser, 'the browser'), running.baseUrl);
    const { page, context } = session;
    await page.goto('/login');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(running.adminPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('dashboard-welcome').waitFor();

    const csrf = (await context.cookies()).find((c) => c.name === 'tide_csrf')?.value ?? '';
    const uploaded = await context.request.fetch('/api/v1/imports?type=leads&fileName=resume.csv', {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-csrf-token': csrf },
      data: csv(),
    });
    expect(uploaded.status()).toBe(201);
    importId = ((await uploaded.json()) as ImportJob).id;
    await callApi(context, 'POST', `/imports/${importId}/start`);

    let job: ImportJob | undefined;
    for (let i = 0; i < 600 && !(job && job.rowsDone > 0); i++) {
      job = await callApi<ImportJob>(context, 'GET', `/imports/${importId}`);
      if (job.rowsDone === 0) await new Promise((r) => setTimeout(r, 100));
    }
    await running.kill();
    expect(job?.status).toBe('running');
    expect(job?.rowsDone).toBeGreaterThan(0);
    expect(job?.rowsDone).toBeLessThan(ROWS);
  });

  it('shows as stalled after a restart and is resumed from the page to the last row', async () => {
    const before = required(server, 'the server');
    // The same data and port, so the signed-in browser carries on.
    server = await startServer({ dataDir, port: before.port, env });
    const { page, context } = required(session, 'the browser session');

    await page.goto('/imports');
    const history = page.getByTestId('import-history');
    await waitForText(history, '已停滞');
    await page.getByTestId(`import-open-${importId}`).click();
    const stalled = page.getByTestId('import-stalled');
    await waitForText(stalled, '导入已停止推进');
    await stalled.getByTestId(`import-resume-${importId}`).click();

    const run = page.locator('[data-testid="import-run"][data-status="done"]');
    await run.waitFor({ timeout: 180_000 });
    await waitForText(run, `已处理 ${String(ROWS)} / ${String(ROWS)} 行`);
    await waitForText(page.getByTestId('import-count-created'), ROWS.toLocaleString());

    // Every row exactly once: no lead missing, none doubled by the two runs.
    const job = await callApi<ImportJob>(context, 'GET', `/imports/${importId}`);
    expect(job).toMatchObject({ status: 'done', rowsDone: ROWS, stalled: false });
    expect(job.counts.created).toBe(ROWS);
    const report = await context.request.fetch(`/api/v1/imports/${importId}/report`);
    const rows = parse(await report.text(), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.map((r) => Number(r.row))).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    expect(rows.every((r) => r.outcome === 'created')).toBe(true);
    expect(new Set(rows.map((r) => r.recordId)).size).toBe(ROWS);
    // The first lead of the file is stored once.
    const first = await callApi<ListPage<Lead>>(
      context,
      'GET',
      `/leads?status=unassigned&q=${encodeURIComponent('续传测试0号科技有限公司')}`,
    );
    expect(first.items.map((l) => l.company)).toEqual(['续传测试0号科技有限公司']);
  });

  it('raised no uncaught error in the page', () => {
    expect(required(session, 'the browser session').errors).toEqual([]);
  });
});
