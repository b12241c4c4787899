/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The app as the service serves it (`openvpp serve`, `npm run demo -- --serve`): the build at `/`
// under a content security policy, hashed assets, nothing outside the build, and the demo
// wallets — served as /demo-wallets.js only when configured, and found by the app in Chromium.
import { expect } from 'chai';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';

import { Keypair } from '@solana/web3.js';
import puppeteer from 'puppeteer-core';

import { appDir, demoWalletOptions } from '@openvpp/app';
import { buildApp, generateApiKey, runtimeBackend } from '@openvpp/service';
import { seedWorld } from '@openvpp/testing';

import { CHROMIUM } from './harness';

describe('app: served by the service', function () {
  this.timeout(120_000);
  const w = seedWorld({ devices: 1 });
  const apiKey = generateApiKey();
  const owner = Keypair.generate();
  const served = buildApp({
    backend: runtimeBackend(w.rt),
    apiKey,
    web: { dir: appDir, demoWallets: [demoWalletOptions('Demo owner', owner)] },
  });
  const plain = buildApp({ backend: runtimeBackend(w.rt), apiKey, web: { dir: appDir } });
  const script = fs.readdirSync(`${appDir}/assets`).find((f) => /^index-.*\.js$/.test(f))!;

  after(async () => {
    await served.close();
    await plain.close();
  });

  it('serves the page under a CSP that allows only this origin, and its hashed assets for a year', async () => {
    const page = await plain.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).to.equal(200);
    expect(page.headers['content-type']).to.match(/^text\/html/);
    expect(page.headers['content-security-policy'])
      .to.include("script-src 'self'")
      .and.include("frame-ancestors 'none'");
    expect(page.body).to.include(`/assets/${script}`).and.not.include('demo-wallets');
    const asset = await plain.inject({ method: 'GET', url: `/assets/${script}` });
    expect(asset.statusCode).to.equal(200);
    expect(asset.headers['cache-control']).to.include('immutable');
    // Nothing but the build: no directory listing, no climbing out of assets/.
    for (const url of ['/assets/', '/assets/..%2f..%2fpackage.json', '/assets/../index.html', '/demo-wallets.js']) {
      expect((await plain.inject({ method: 'GET', url })).statusCode, url).to.equal(404);
    }
  });

  it('serves demo wallets only when configured, loaded before the app, and the app finds them', async () => {
    const page = await served.inject({ method: 'GET', url: '/' });
    const at = page.body.indexOf('/demo-wallets.js');
    expect(at)
      .to.be.greaterThan(0)
      .and.lessThan(page.body.indexOf(`/assets/${script}`));
    const wallets = await served.inject({ method: 'GET', url: '/demo-wallets.js' });
    expect(wallets.statusCode).to.equal(200);
    expect(wallets.body).to.include(owner.publicKey.toBase58());

    await served.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(served.server.address() as AddressInfo).port}/`;
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    });
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(String(e)));
      await tab.goto(url, { waitUntil: 'domcontentloaded' });
      await tab.waitForFunction(
        () => [...document.querySelectorAll('button')].some((b) => b.textContent?.includes('Sign in with Demo owner')),
        { timeout: 15_000 },
      );
      expect(errors).to.deep.equal([]);
    } finally {
      await browser.close();
    }
  });
});
