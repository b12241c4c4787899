/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// OpenVPP World in a real browser (Debian's Chromium, headless, puppeteer-core): the app served
// by the service, over a local node indexed live, each role's wallet a Wallet Standard test
// wallet in the page. An owner claims a device (the consent step), requests enrollment, the
// utility approves it, the owner creates a mandate, a reading the device signs settles (from
// Node) and appears live with the bill total changing, the owner downloads the PDF bill; the
// utility publishes a tariff revision and creates a DR event whose payout appears. Every page is
// screenshotted to artifacts/screenshots/ (desktop and phone width).
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { createAssociatedTokenAccountIdempotentInstruction, TOKEN_2022_PROGRAM_ID } from '@solana/spl-token';
import { Connection, Keypair, PublicKey } from '@solana/web3.js';
import type { HTTPResponse, Page } from 'puppeteer-core';

import { apply, fundOwnerPlan, WORLD_CA } from '@openvpp/localnet';
import { CAP_EXPORT, CAP_IMPORT, CAP_METERING, PROTOCOL_OPENADR3 } from '@openvpp/sdk';
import {
  deviceRegisterInstructions,
  findDevicePda,
  findUsdeAccount,
  findUsdeMintPda,
  meterOpenInstructions,
  meterSettleInstructions,
  tariffBindInstructions,
} from '@openvpp/sdk/web3';

import { ARTIFACTS, pageErrors, SCREENSHOTS, startStack, until, walletPage, type Stack } from './harness';

const USDC = 1_000_000n;
const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Navigates by the app's own navigation (hash routes) and waits for the page heading. */
async function go(page: Page, hash: string, heading: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.waitForFunction(
    (t) => document.querySelector('h1')?.textContent?.includes(t),
    { timeout: 15_000 },
    heading,
  );
}

async function text(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) => el.textContent ?? '');
}

/** Waits for a toast whose text includes `needle`; fails on an error toast. */
async function toast(page: Page, needle: string, timeout = 20_000): Promise<string> {
  const handle = await page.waitForFunction(
    (n) => {
      const all = [...document.querySelectorAll('[data-testid="toast"]')];
      const bad = all.find((t) => t.classList.contains('error'));
      if (bad) return `ERROR ${bad.textContent}`;
      return all.map((t) => t.textContent ?? '').find((t) => t.includes(n)) ?? false;
    },
    { timeout },
    needle,
  );
  const out = (await handle.jsonValue()) as string;
  expect(out, out).to.not.match(/^ERROR /);
  return out;
}

/** Sets a React-controlled input's value the way a person typing would. */
async function setValue(page: Page, selector: string, value: string): Promise<void> {
  await page.$eval(
    selector,
    (el, v) => {
      const input = el as HTMLInputElement;
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setter.call(input, v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

async function clickButton(page: Page, label: string, within = 'body'): Promise<void> {
  const ok = await page.evaluate(
    (l, w) => {
      const root = document.querySelector(w);
      const b = [...(root?.querySelectorAll('button') ?? [])].find(
        (x) => x.textContent?.trim() === l && !(x as HTMLButtonElement).disabled,
      );
      b?.click();
      return !!b;
    },
    label,
    within,
  );
  expect(ok, `an enabled "${label}" button in ${within}`).to.equal(true);
}

async function signIn(page: Page, wallet: string): Promise<void> {
  await page.waitForFunction(
    (w) => [...document.querySelectorAll('button')].some((b) => b.textContent?.includes(`Sign in with ${w}`)),
    { timeout: 15_000 },
    wallet,
  );
  await shot(page, '00-sign-in');
  await clickButton(page, `Sign in with ${wallet}`);
  await page.waitForSelector('nav[aria-label="Sections"]', { timeout: 15_000 });
}

const iso = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 16);

describe('app: OpenVPP World in Chromium', function () {
  this.timeout(240_000);
  let stack: Stack;
  let owner: Keypair;
  let deviceKey: Keypair;
  let device: PublicKey;
  let ownerPage: Page;
  let utilityPage: Page;
  let intervalStart: bigint;

  before(async () => {
    stack = await startStack();
    const { sender, world } = stack;
    const payer = sender.payer.publicKey;
    owner = Keypair.generate();
    deviceKey = Keypair.generate();
    device = findDevicePda({ deviceKey: deviceKey.publicKey })[0];
    // The installer registers the meter for its future owner, who has not signed yet: the owner
    // claims it in the app (the consent step).
    await sender.send(
      deviceRegisterInstructions({
        vendorAuthority: world.vendor.publicKey,
        deviceKey: deviceKey.publicKey,
        payer,
        owner: owner.publicKey,
        deviceType: 'meter',
        capabilities: {
          flags: CAP_IMPORT | CAP_EXPORT | CAP_METERING,
          protocols: PROTOCOL_OPENADR3,
          maxImportW: 7_200,
          maxExportW: 5_000,
          energyCapacityWh: 0n,
        },
        certFingerprint: randomBytes(32),
        issuerCa: WORLD_CA,
        certNotAfter: 4_102_444_800n,
      }),
      [world.vendor, deviceKey],
    );
    await sender.send(meterOpenInstructions({ device, payer }));
    // USDC → USDE and the settlement allowance for the owner, who holds no SOL at all (the
    // world's payer pays the fee and the USDE account's rent; in the app the relayer pays the
    // owner's fees and rent deposits); USDE for the utility's DR budgets.
    await sender.send([
      createAssociatedTokenAccountIdempotentInstruction(
        payer,
        findUsdeAccount({ owner: owner.publicKey }),
        owner.publicKey,
        findUsdeMintPda()[0],
        TOKEN_2022_PROGRAM_ID,
      ),
    ]);
    await apply(sender, fundOwnerPlan(payer, { owner, usdcMint: world.usdcMint!, amount: 50n * USDC, lamports: 0n }));
    await apply(sender, fundOwnerPlan(payer, { owner: world.utility, usdcMint: world.usdcMint!, amount: 500n * USDC }));
    // The utility pays its own fees and rent (DR event accounts, reward receipts, revisions).
    await sender.airdrop(world.utility.publicKey, 2_000_000_000n);
    ownerPage = await walletPage(stack, 'Owner Test Wallet', owner);
    utilityPage = await walletPage(stack, 'Utility Test Wallet', world.utility);
  });

  afterEach(async function () {
    // A failed step leaves a picture of both pages beside the others.
    if (this.currentTest?.state !== 'failed') return;
    const tag = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    if (ownerPage) await shot(ownerPage, `failed-${tag}-owner`).catch(() => undefined);
    if (utilityPage) await shot(utilityPage, `failed-${tag}-utility`).catch(() => undefined);
  });

  after(async () => {
    for (const p of [ownerPage, utilityPage]) if (p) expect(pageErrors(p), 'uncaught page errors').to.deep.equal([]);
    await stack?.close();
  });

  it('owner: signs in with the wallet and sees the home page', async () => {
    await signIn(ownerPage, 'Owner Test Wallet');
    await ownerPage.waitForSelector('[data-testid="today-billed"]', { timeout: 15_000 });
    expect(await text(ownerPage, 'h1')).to.equal('Home');
    expect(await text(ownerPage, '[data-testid="balance-usde"]')).to.equal('50.00');
    await shot(ownerPage, '01-owner-home');
  });

  it('owner: claims the device after the consent step', async () => {
    await go(ownerPage, '#/claim', 'Claim a device');
    await ownerPage.type('input[autocomplete="off"]', deviceKey.publicKey.toBase58());
    await clickButton(ownerPage, 'Look up');
    await ownerPage.waitForSelector('[data-testid="claim-button"]');
    // No claim without consent.
    expect(await ownerPage.$eval('[data-testid="claim-button"]', (b) => (b as HTMLButtonElement).disabled)).to.equal(
      true,
    );
    await shot(ownerPage, '02-owner-claim-consent');
    await ownerPage.click('.check input[type="checkbox"]');
    await clickButton(ownerPage, 'Claim device');
    await toast(ownerPage, 'Claim device: done');
    const held = await until('the claim indexed', async () =>
      (await stack.indexer.queries.ownerDevices(owner.publicKey.toBase58())).find(
        (d) => d.device === device.toBase58(),
      ),
    );
    expect(held.device).to.equal(device.toBase58());
  });

  it('owner: requests enrollment in the utility tariff program', async () => {
    await go(ownerPage, '#/devices', 'Devices');
    const card = `#device-${device.toBase58()}`;
    await ownerPage.waitForSelector(card, { timeout: 15_000 });
    await ownerPage.click(`${card} details summary`);
    // The owner picks the program by name from the open programs (GET /v1/programs), no address.
    const select = `${card} [data-testid="enroll-form"] select`;
    const program = stack.world.tariffProgram!.toBase58();
    await ownerPage.waitForFunction(
      (sel, p) =>
        [...((document.querySelector(sel) as HTMLSelectElement | null)?.options ?? [])].some((o) => o.value === p),
      { timeout: 10_000 },
      select,
      program,
    );
    await ownerPage.select(select, program);
    await ownerPage.waitForFunction(
      (c) => document.querySelector(`${c} [data-testid="enroll-form"] .notice`)?.textContent?.includes('Tariff'),
      { timeout: 10_000 },
      card,
    );
    await clickButton(ownerPage, 'Request enrollment', card);
    await toast(ownerPage, 'Request enrollment: done');
    await ownerPage.waitForFunction(
      (c) => document.querySelector(c)?.textContent?.includes('requested'),
      { timeout: 15_000 },
      card,
    );
    await shot(ownerPage, '03-owner-devices');
  });

  it('utility: signs in, approves the enrollment in the queue', async () => {
    await signIn(utilityPage, 'Utility Test Wallet');
    await utilityPage.waitForSelector('[data-testid="u-today-revenue"]', { timeout: 15_000 });
    await shot(utilityPage, '10-utility-home');
    await go(utilityPage, '#/utility/enrollments', 'Enrollment queue');
    await until('the request in the queue', async () => {
      await clickButton(utilityPage, 'requested');
      return utilityPage.$('[data-testid="approve"]');
    });
    await shot(utilityPage, '11-utility-enrollments');
    await utilityPage.click('[data-testid="approve"]');
    await toast(utilityPage, 'Approve: done');
    // The utility binds the approved device to its tariff (it decides which of its tariffs apply).
    const { world, sender } = stack;
    await sender.send(
      tariffBindInstructions({
        tariff: world.tariff!,
        authority: world.utility.publicKey,
        device,
        program: world.tariffProgram!,
        payer: sender.payer.publicKey,
      }),
      [world.utility],
    );
    await go(ownerPage, '#/devices', 'Devices');
    await ownerPage.waitForFunction(
      (c) => document.querySelector(c)?.textContent?.includes('approved'),
      { timeout: 15_000 },
      `#device-${device.toBase58()}`,
    );
  });

  it('owner: creates a mandate with caps', async () => {
    await go(ownerPage, '#/mandates', 'Mandates');
    await ownerPage.waitForSelector('[data-testid="mandate-form"] select');
    await clickButton(ownerPage, 'Create mandate');
    await toast(ownerPage, 'Create mandate: done');
    await ownerPage.waitForSelector('[data-testid="mandate-row"]', { timeout: 15_000 });
    expect(await text(ownerPage, '[data-testid="mandate-row"]')).to.include('50.00 USDE per 30 days');
    await shot(ownerPage, '04-owner-mandates');
    // Claimed, enrolled and mandated with no SOL: the relayer paid every fee and rent deposit.
    expect(await new Connection(stack.net.rpcUrl, 'confirmed').getBalance(owner.publicKey)).to.equal(0);
  });

  it('owner: a settled reading appears live and the bill total changes', async () => {
    const { sender, world } = stack;
    // An hourly interval wholly after the claim: the chain's clock moves past its end.
    const clock = await sender.getClock();
    intervalStart = (BigInt(clock.unixTimestamp) / 3600n + 1n) * 3600n;
    // Today's figures are the chain's today: keep the interval and the new clock on one UTC day.
    if (intervalStart % 86_400n === 23n * 3600n) intervalStart += 3600n;
    await sender.setUnixTimestamp(intervalStart + 3_700n);
    await go(ownerPage, '#/', 'Home');
    await ownerPage.waitForSelector('[data-testid="today-billed"]');
    const billedBefore = await text(ownerPage, '[data-testid="today-billed"]');
    await sender.send(
      meterSettleInstructions({
        device,
        deviceKey: deviceKey.publicKey,
        owner: owner.publicKey,
        tariff: world.tariff!,
        program: world.tariffProgram!,
        utility: world.utilityPda,
        utilityTreasury: world.utilityTreasury!,
        reading: { revision: 1, seq: 1n, intervalStart, importWh: 2_500n, exportWh: 0n },
        deviceSecretKey: deviceKey.secretKey,
      }),
    );
    // Live: the page is told (server-sent event), shows it and reloads its figures.
    await toast(ownerPage, 'A reading settled');
    await ownerPage.waitForFunction(
      (before) => document.querySelector('[data-testid="today-billed"]')?.textContent !== before,
      { timeout: 15_000 },
      billedBefore,
    );
    const billed = await text(ownerPage, '[data-testid="today-billed"]');
    expect(billed).to.not.equal(billedBefore);
    expect(billed).to.match(/^0\.\d+ USDE$/);
    await ownerPage.waitForSelector('tr[data-kind="reading"]');
    await shot(ownerPage, '05-owner-home-live');

    await go(ownerPage, '#/bills', 'Bills');
    const period = new Date(Number(intervalStart) * 1000).toISOString().slice(0, 7);
    await ownerPage.waitForSelector(`[data-testid="bill-net-${period}"]`, { timeout: 15_000 });
    await ownerPage.waitForSelector('[data-testid="statement-billed"]', { timeout: 15_000 });
    expect(await text(ownerPage, '[data-testid="statement-billed"]')).to.equal(billed);
    await shot(ownerPage, '06-owner-bills');
  });

  it('owner: downloads the PDF bill', async () => {
    const downloads = path.join(ARTIFACTS, 'downloads');
    fs.rmSync(downloads, { recursive: true, force: true });
    fs.mkdirSync(downloads, { recursive: true });
    const cdp = await ownerPage.createCDPSession();
    await cdp.send('Page.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    const pdf = new Promise<HTTPResponse>((resolve) =>
      ownerPage.on('response', (r) => {
        if (/\/bills\/\d{4}-\d{2}\/pdf$/.test(r.url())) resolve(r);
      }),
    );
    await ownerPage.click('[data-testid="bill-pdf"]');
    const res = await pdf;
    expect(res.status()).to.equal(200);
    expect(res.headers()['content-type']).to.include('application/pdf');
    await toast(ownerPage, 'Downloaded the PDF bill');
    const period = new Date(Number(intervalStart) * 1000).toISOString().slice(0, 7);
    const file = path.join(downloads, `openvpp-bill-${period}.pdf`);
    const body = await until('the PDF on disk', async () => fs.existsSync(file) && fs.readFileSync(file));
    expect(body.subarray(0, 5).toString()).to.equal('%PDF-');
  });

  it('owner: energy per day and per time-of-use band, wallet, rewards', async () => {
    await go(ownerPage, '#/energy', 'Energy');
    await ownerPage.waitForSelector('.chart-box svg', { timeout: 15_000 });
    await shot(ownerPage, '07-owner-energy');
    await go(ownerPage, '#/wallet', 'Wallet');
    await shot(ownerPage, '08-owner-wallet');
  });

  it('utility: publishes a tariff revision', async () => {
    await go(utilityPage, '#/utility/tariffs', 'Tariffs');
    await utilityPage.waitForSelector('[data-testid="tariff-revision"]', { timeout: 15_000 });
    const before = (await utilityPage.$$('[data-testid="tariff-revision"]')).length;
    await utilityPage.click('[data-testid="tariff-form"]').catch(() => undefined);
    await utilityPage.evaluate(() => document.querySelector('details')?.setAttribute('open', ''));
    const clock = await stack.sender.getClock();
    await setValue(
      utilityPage,
      '[data-testid="tariff-form"] input[type="datetime-local"]',
      iso(Number(clock.unixTimestamp) + 7200),
    );
    await clickButton(utilityPage, 'Publish revision');
    await toast(utilityPage, 'Publish revision: done');
    await until(
      'the new revision listed',
      async () => (await utilityPage.$$('[data-testid="tariff-revision"]')).length > before,
    );
    await shot(utilityPage, '12-utility-tariffs');
  });

  it('utility: creates a DR event and its payout appears', async () => {
    await go(utilityPage, '#/utility/dr', 'DR events');
    await utilityPage.waitForSelector('[data-testid="dr-form"]');
    const clock = await stack.sender.getClock();
    // An event that already ended (rewards are paid after the event): it started 3 hours ago.
    await setValue(
      utilityPage,
      '[data-testid="dr-form"] input[type="datetime-local"]',
      iso(Number(clock.unixTimestamp) - 3 * 3600),
    );
    await clickButton(utilityPage, 'Create DR event');
    await toast(utilityPage, 'Create DR event: done');
    await utilityPage.waitForSelector('[data-testid="dr-event-row"]', { timeout: 20_000 });
    await utilityPage.waitForSelector('[data-testid="dr-pay-form"] select', { timeout: 15_000 });
    await utilityPage.waitForFunction(
      (d) =>
        [...document.querySelectorAll('[data-testid="dr-pay-form"] option')].some(
          (o) => (o as HTMLOptionElement).value === d,
        ),
      { timeout: 15_000 },
      device.toBase58(),
    );
    const [, deviceSelect] = await utilityPage.$$('[data-testid="dr-pay-form"] select');
    await deviceSelect.select(device.toBase58());
    await clickButton(utilityPage, 'Pay reward');
    await toast(utilityPage, 'Pay reward: done');
    await utilityPage.waitForSelector('[data-testid="dr-payout-row"]', { timeout: 20_000 });
    expect(await text(utilityPage, '[data-testid="dr-paid-1"]')).to.equal('1.00');
    await shot(utilityPage, '13-utility-dr');
    // The owner sees the reward.
    await go(ownerPage, '#/rewards', 'Rewards');
    await ownerPage.waitForFunction(
      () => document.querySelector('[data-testid="rewards-total"]')?.textContent === '1.00 USDE',
      { timeout: 15_000 },
    );
    await shot(ownerPage, '09-owner-rewards');
  });

  it('utility: revenue chart, routes, fleet', async () => {
    await go(utilityPage, '#/utility/revenue', 'Revenue');
    await utilityPage.waitForSelector('.chart-box svg', { timeout: 15_000 });
    await shot(utilityPage, '14-utility-revenue');
    await go(utilityPage, '#/utility/routes', 'Routes and attestation');
    await shot(utilityPage, '15-utility-routes');
    await go(utilityPage, '#/utility/devices', 'Fleet');
    await shot(utilityPage, '16-utility-fleet');
  });

  it('phone width: the owner pages fit and stay usable', async () => {
    await ownerPage.setViewport(PHONE);
    for (const [hash, heading, name] of [
      ['#/', 'Home', 'phone-owner-home'],
      ['#/devices', 'Devices', 'phone-owner-devices'],
      ['#/bills', 'Bills', 'phone-owner-bills'],
      ['#/energy', 'Energy', 'phone-owner-energy'],
    ] as const) {
      await go(ownerPage, hash, heading);
      await new Promise((r) => setTimeout(r, 300));
      // Nothing wider than the screen: tables scroll inside their own region.
      const overflow = await ownerPage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${hash} overflows the phone width by ${overflow}px`).to.be.at.most(0);
      await shot(ownerPage, name);
    }
  });

  it('keyboard: the navigation is reachable with Tab and moves focus to the page heading', async () => {
    await ownerPage.setViewport({ width: 1200, height: 900 });
    await go(ownerPage, '#/', 'Home');
    await ownerPage.focus('a.skip');
    expect(await ownerPage.evaluate(() => document.activeElement?.textContent)).to.equal('Skip to content');
    const labels: string[] = [];
    for (let i = 0; i < 6; i++) {
      await ownerPage.keyboard.press('Tab');
      labels.push(await ownerPage.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
    }
    expect(labels).to.include('Devices');
    // Tab to "Bills" and press Enter: the route changes and focus lands on the heading.
    for (let i = 0; i < 12; i++) {
      if ((await ownerPage.evaluate(() => document.activeElement?.textContent?.trim())) === 'Bills') break;
      await ownerPage.keyboard.press('Tab');
    }
    await ownerPage.keyboard.press('Enter');
    await ownerPage.waitForFunction(
      () => document.activeElement?.tagName === 'H1' && document.activeElement.textContent === 'Bills',
      {
        timeout: 10_000,
      },
    );
  });
});
