import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT_DIR } from '../helpers/cli.js';

/** The system Chromium (Debian's `chromium` package): tests never download a browser. */
export const CHROMIUM_PATH = process.env['SHOEBOX_CHROMIUM'] ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(ROOT_DIR, 'test', '.output', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** Saves a screenshot for a person to look at (test/.output is gitignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Let the thumbnails on screen arrive first, so the picture shows the screen as a person would see it.
  // Polled from here: waitForFunction polls a string predicate with eval inside the page, which the app's CSP
  // (no 'unsafe-eval') refuses, so it gave up at once whenever an image was still loading.
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && !(await page.evaluate<boolean>('[...document.images].every((img) => img.complete)'))) await page.waitForTimeout(50);
  await page.waitForTimeout(200); // the thumbnails' fade-in
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}
