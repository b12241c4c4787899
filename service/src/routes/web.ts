// The app's static build (OpenVPP World, @openvpp/app) at `/` beside the API: index.html and its
// hashed assets (cached for a year), under a content security policy that allows only this
// origin's scripts and connections. In demo mode (`npm run demo -- --serve`) the page also loads
// /demo-wallets.js: Wallet Standard wallets holding the demo's throwaway localnet keys.
import fs from 'node:fs';
import path from 'node:path';

import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

import { type DemoWalletOptions, demoWalletScript } from '@openvpp/app';

export interface WebOptions {
  /** The build directory (index.html + assets/). */
  dir: string;
  /** Demo wallets served as /demo-wallets.js (localnet demo keys only). */
  demoWallets?: DemoWalletOptions[];
}

/** Scripts, styles, fetches and EventSource from this origin only; no framing. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React sets style attributes (widths of bars, chart sizes).
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function secured(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
}

export const web: FastifyPluginAsync<WebOptions> = async (app, { dir, demoWallets }) => {
  let page = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  if (demoWallets?.length) {
    // Before the app's module script, so the wallets are registered when it looks for them.
    page = page.replace('<script', '<script src="/demo-wallets.js"></script>\n    <script');
    const script = demoWalletScript(demoWallets);
    app.get('/demo-wallets.js', async (_req, reply) =>
      secured(reply).type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send(script),
    );
  }
  app.get('/', async (_req, reply) =>
    secured(reply).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page),
  );
  await app.register(fastifyStatic, {
    root: path.join(dir, 'assets'),
    prefix: '/assets/',
    // Hashed file names: a changed file is a new name.
    immutable: true,
    maxAge: '365d',
    index: false,
    list: false,
    wildcard: true,
    // Files only: the directory itself is not found (not a 403 from the static plugin).
    allowedPath: (file) => file !== '/' && file !== '',
  });
};
