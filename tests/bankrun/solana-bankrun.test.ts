// The same suite against solana-bankrun itself, the reference. It is a bench-only dependency
// (`npm install --prefix bench/runtimes`), resolved from bench/runtimes/node_modules; absent, the suite is skipped.
import path from 'node:path';

import { type BankrunModule, bankrunSuite } from './suite';

bankrunSuite('solana-bankrun 0.4', () => {
  // Its bank logs every instruction at debug level unless told otherwise.
  process.env.RUST_LOG ??= 'error';
  try {
    return require(
      require.resolve('solana-bankrun', { paths: [path.join(__dirname, '..', '..', 'bench', 'runtimes')] }),
    );
  } catch {
    return null as BankrunModule | null;
  }
});
