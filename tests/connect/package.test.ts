// The published shape of `@openvpp/sdk/connect`: its own subpath in the exports map (CJS and ESM),
// and the browser-safe root entry does not pull in Node's TLS stack.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

const sdkDir = path.join(__dirname, '..', '..', 'sdk');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(path.join(sdkDir, 'package.json'));

describe('sdk package: the Node-only connect subpath', () => {
  it('maps @openvpp/sdk/connect to its CJS and ESM builds', async () => {
    expect(pkg.exports['./connect']).to.deep.equal({
      types: './dist/connect.d.ts',
      import: './dist/connect.mjs',
      require: './dist/connect.js',
    });
    const cjs = require(path.join(sdkDir, pkg.exports['./connect'].require));
    const esm = await import(path.join(sdkDir, pkg.exports['./connect'].import));
    for (const m of [cjs, esm]) {
      expect(typeof m.connectRoute).to.equal('function');
      expect(typeof m.connectEndpoint).to.equal('function');
      expect(new m.ConnectError('PinMismatch', 'x').reason).to.equal('PinMismatch');
    }
  });

  it('keeps node:tls / node:https out of the root entry and its chunks', () => {
    const esmRoot = fs.readFileSync(path.join(sdkDir, pkg.exports['.'].import), 'utf8');
    const chunks = [...esmRoot.matchAll(/from ["']\.\/(chunk-[\w-]+\.mjs)["']/g)].map((m) =>
      fs.readFileSync(path.join(sdkDir, 'dist', m[1]), 'utf8'),
    );
    for (const code of [esmRoot, ...chunks, fs.readFileSync(path.join(sdkDir, pkg.exports['.'].require), 'utf8')]) {
      expect(code).not.to.match(/["'](node:)?(tls|https|net)["']/);
    }
    expect(fs.readFileSync(path.join(sdkDir, pkg.exports['./connect'].import), 'utf8')).to.match(/["'](node:)?tls["']/);
  });
});
