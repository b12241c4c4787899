/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Screenshots of OpenVPP World as the demo serves it (`npm run demo -- --serve`): signs in with
// the demo wallets in Debian's Chromium (headless, puppeteer-core) and saves the owner's and the
// utility's home pages — the README's two pictures.
//
//   npx ts-node -r tsconfig-paths/register -P tsconfig.json scripts/demo/screenshots.ts \
//     http://127.0.0.1:8787 docs/screenshots
import fs from 'node:fs';
import path from 'node:path';

import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const [url = 'http://127.0.0.1:8787', out = 'docs/screenshots'] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

async function signedIn(browser: Browser, wallet: string): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(url, { waitUntil: 'networkidle0' });
  const label = `Sign in with ${wallet}`;
  await page.waitForFunction(
    (l) => [...document.querySelectorAll('button')].some((b) => b.textContent?.includes(l)),
    { timeout: 15_000 },
    label,
  );
  await page.evaluate((l) => {
    [...document.querySelectorAll('button')].find((b) => b.textContent?.includes(l))!.click();
  }, label);
  await page.waitForSelector('nav[aria-label="Sections"]', { timeout: 15_000 });
  return page;
}

async function shoot(page: Page, hash: string, file: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.waitForNetworkIdle({ idleTime: 500, timeout: 15_000 });
  // Charts draw on a timer after their data arrives.
  await new Promise((r) => setTimeout(r, 1_000));
  await page.screenshot({ path: path.join(out, file), fullPage: false });
  console.log(`wrote ${path.join(out, file)}`);
}

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  try {
    const owner = await signedIn(browser, 'Demo owner (device 0)');
    await shoot(owner, '#/', 'owner-home.png');
    await shoot(owner, '#/energy', 'owner-energy.png');
    await shoot(owner, '#/bills', 'owner-bills.png');
    const utility = await signedIn(browser, 'Demo utility (Gridco)');
    await shoot(utility, '#/utility', 'utility-home.png');
    await shoot(utility, '#/utility/revenue', 'utility-revenue.png');
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
