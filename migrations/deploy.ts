// Anchor deploy hook: after `anchor deploy`, initialise the registry config in the same
// session so nobody can front-run `config_init`.
import * as anchor from '@coral-xyz/anchor';
import { Transaction } from '@solana/web3.js';

import { configInitInstructions } from '../sdk/src/web3';

module.exports = async function (provider: anchor.AnchorProvider) {
  anchor.setProvider(provider);
  const payer = provider.wallet.publicKey;
  const tx = new Transaction().add(...configInitInstructions({ payer, authority: payer }));
  await provider.sendAndConfirm(tx);
};
