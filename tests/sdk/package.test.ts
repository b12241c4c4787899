// The published shape of @openvpp/sdk: the tsup build exposes the same API as CommonJS and
// as an ES module through the package's exports map.
import { expect } from 'chai';
import path from 'node:path';

const sdkDir = path.join(__dirname, '..', '..', 'sdk');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(path.join(sdkDir, 'package.json'));

describe('sdk package (dual ESM/CJS)', () => {
  it('maps require and import to the CJS and ESM builds', async () => {
    expect(pkg.exports['.']).to.deep.equal({
      types: './dist/index.d.ts',
      import: './dist/index.mjs',
      require: './dist/index.js',
    });
    // The web3.js builders live on the `./web3` subpath (the root is the generated kit client).
    expect(pkg.exports['./web3']).to.deep.equal({
      types: './dist/web3.d.ts',
      import: './dist/web3.mjs',
      require: './dist/web3.js',
    });
    const cjs = require(path.join(sdkDir, pkg.exports['./web3'].require));
    const esm = await import(path.join(sdkDir, pkg.exports['./web3'].import));
    for (const name of [
      'findDevicePda',
      'deviceRegisterInstructions',
      'quoteUnitBuy',
      'resolveRoute',
      'parsePaymentsError',
    ]) {
      expect(typeof cjs[name], `cjs ${name}`).to.equal('function');
      expect(typeof esm[name], `esm ${name}`).to.equal('function');
    }
    expect(cjs.REGISTRY_PROGRAM_ID.toBase58()).to.equal(esm.REGISTRY_PROGRAM_ID.toBase58());
    // Same math in both builds.
    const quote = { value: 150_000_000_000_000_000n, stdDev: 0n, spreadBps: 0, usdeAmount: 15_000_000n };
    expect(cjs.quoteUnitBuy(quote)).to.equal(100_000_000n);
    expect(esm.quoteUnitBuy(quote)).to.equal(100_000_000n);
    // Builders encode through the Anchor coder in both builds, byte for byte.
    const key = cjs.REGISTRY_PROGRAM_ID;
    const [a] = cjs.configInitInstructions({ payer: key, authority: key });
    const [b] = esm.configInitInstructions({ payer: key, authority: key });
    expect(Buffer.from(b.data).equals(Buffer.from(a.data))).to.equal(true);
    expect(a.data.length).to.equal(8 + 32);
  });
});
