// The browser suite's set-up: a local node (in-process, free ports) with a world (partners, USDE,
// the utility's tariff program and tariff), the event indexer in live mode over it (SQLite in a
// temporary directory), the service app (buildApp) on 127.0.0.1 with the app's build at `/`, and
// Debian's Chromium driven headless by puppeteer-core, each page given a Wallet Standard test
// wallet holding one key.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { Connection, Keypair } from '@solana/web3.js';
import type { FastifyInstance } from 'fastify';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

import { appBuilt, appDir, demoWalletOptions, injectDemoWallet } from '@openvpp/app';
import { Indexer } from '@openvpp/indexer';
import { buildWorld, RpcSender, startLocalnet, type Localnet, type World } from '@openvpp/localnet';
import { buildApp, rpcBackend } from '@openvpp/service';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts');
export const SCREENSHOTS = path.join(ARTIFACTS, 'screenshots');
const API_KEY = 'a'.repeat(8) + Keypair.generate().publicKey.toBase58();

export interface Stack {
  net: Localnet;
  sender: RpcSender;
  world: World;
  indexer: Indexer;
  app: FastifyInstance;
  url: string;
  browser: Browser;
  dir: string;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  if (!appBuilt()) throw new Error(`no app build at ${appDir}: run npm run build:app`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-app-'));
  const net = await startLocalnet({ port: 0, slotMs: 100, ledgerDir: path.join(dir, 'ledger') });
  const sender = await RpcSender.connect(net.rpcUrl);
  const world = await buildWorld(sender, { payments: true, tariff: true, fleet: 1 });
  const indexer = await Indexer.open({
    rpcUrl: net.rpcUrl,
    wsUrl: net.wsUrl,
    store: { sqlite: path.join(dir, 'index.sqlite') },
  });
  // A failing catch-up is the suite's failure to explain: say it where mocha prints.
  indexer.on('syncError', (e) => console.error(`indexer: ${e.message}`));
  await indexer.syncOnce();
  await indexer.start();
  const relayer = Keypair.generate();
  await sender.airdrop(relayer.publicKey, 5_000_000_000n);
  const app = buildApp({
    backend: rpcBackend(new Connection(net.rpcUrl, 'confirmed'), relayer),
    apiKey: API_KEY,
    queries: indexer.queries,
    live: indexer,
    relayer: { feePayer: relayer },
    web: { dir: appDir },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    net,
    sender,
    world,
    indexer,
    app,
    url,
    browser,
    dir,
    async close() {
      await browser.close().catch(() => undefined);
      await app.close().catch(() => undefined);
      await indexer.stop().catch(() => undefined);
      await indexer.close().catch(() => undefined);
      sender.close();
      await net.close({ snapshot: false });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A page (own browser context: own storage) whose Wallet Standard wallet holds `key`. */
export async function walletPage(
  stack: Stack,
  name: string,
  key: Keypair,
  viewport = { width: 1200, height: 900 },
): Promise<Page> {
  const context = await stack.browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(viewport);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as Page & { pageErrors?: string[] }).pageErrors = errors;
  await page.evaluateOnNewDocument(injectDemoWallet, demoWalletOptions(name, key));
  await page.goto(stack.url, { waitUntil: 'domcontentloaded' });
  return page;
}

export const pageErrors = (page: Page): string[] => (page as Page & { pageErrors?: string[] }).pageErrors ?? [];

/** Polls `check` until it returns a truthy value (or throws after `ms`). */
export async function until<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
