import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, openPage, type BrowserSession } from './browser.ts';
import { startServer, type TideServer } from './server.ts';
import { ensureWebBuild } from './web-build.ts';

export interface E2eEnvironment {
  /** The server of this file; throws when it did not start. */
  server: () => TideServer;
  /** Every page opened so far, closed after the file's tests; each collects its errors. */
  sessions: readonly BrowserSession[];
  /** A new page in a fresh browser context, signed out. */
  openSession: () => Promise<BrowserSession>;
  /** A new page signed in through the login form, on the dashboard. */
  signIn: (username: string, password: string) => Promise<BrowserSession>;
}

/**
 * Gives a test file its own server, with a fresh database, and browser: started before
 * its tests (building the web UI first when its sources changed) and stopped after them,
 * with every page the file opened.
 */
export function useE2eEnvironment(): E2eEnvironment {
  let server: TideServer | undefined;
  let browser: Browser | undefined;
  const sessions: BrowserSession[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const session of sessions) await session.context.close();
    await browser?.close();
    await server?.stop();
  });

  function running(): { server: TideServer; browser: Browser } {
    if (!server || !browser) throw new Error('server or browser not started');
    return { server, browser };
  }

  async function openSession(): Promise<BrowserSession> {
    const env = running();
    const session = await openPage(env.browser, env.server.baseUrl);
    sessions.push(session);
    return session;
  }

  async function signIn(username: string, password: string): Promise<BrowserSession> {
    const session = await openSession();
    const { page } = session;
    await page.goto('/login');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('dashboard-welcome').waitFor();
    return session;
  }

  return { server: () => running().server, sessions, openSession, signIn };
}
