import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless; `npx playwright install` cannot run here. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /**
   * Uncaught exceptions and console errors the page produced, except the browser's own
   * log of refused requests: the first `GET /me` of a signed-out visitor answers 401.
   */
  errors: string[];
}

export async function openPage(browser: Browser, baseUrl: string): Promise<BrowserSession> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => {
    errors.push(`pageerror: ${err.message}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${msg.text()}`);
    }
  });
  return { context, page, errors };
}

/** Waits until the locator's text contains `text` (playwright-core has no `expect`). */
export async function waitForText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible' });
}

/** An antd input whose test id sits either on the input or on its wrapper. */
export function input(page: Page, testId: string): Locator {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

/** The element's text once no spinner is left in it (a table or the board has loaded). */
export async function loadedText(page: Page, testId: string): Promise<string> {
  const element = page.getByTestId(testId);
  await element.waitFor();
  await element.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  return element.innerText();
}

/**
 * Closes the batch result dialog once its entrance animation is over: a click during
 * the animation can be lost, leaving the dialog over the page.
 */
export async function closeBatchResults(page: Page): Promise<void> {
  await page.waitForTimeout(500);
  await page.getByTestId('batch-close').click();
  await page.getByTestId('batch-results').waitFor({ state: 'detached' });
}
