import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { launchBrowser, screenshot } from './browser.js';
import { buildRenderer, startServe, type ServeProcess } from './serve-process.js';

/** First run without a model: the app says what is missing and how to install it, and still opens. */
describe('the app without a model', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const dirs = { build: tempDir('e2e-build-nomodel'), library: tempDir('e2e-nomodel-lib') };

  beforeAll(async () => {
    const renderer = buildRenderer(dirs.build);
    serve = await startServe({ library: dirs.library, renderer });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    for (const dir of Object.values(dirs)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('explains how to install a model, beside the empty library', async () => {
    await page.goto(serve.url);
    const panel = page.getByRole('alert', { name: 'No model' });
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await panel.textContent()).toContain('--model');
    expect(await page.getByTestId('empty-library').isVisible()).toBe(true);
    await screenshot(page, '00-no-model');
  });

  it('says so when serve goes away', async () => {
    await serve.stop();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Lost the connection' }).isVisible()).toBe(true);
  });
});
