// The instruction table's rows for the hook program, derived from what the SDK builds (see
// instructions.test.ts).
import {
  TOKEN_2022_PROGRAM_ID,
  createExecuteInstruction,
  createTransferCheckedWithTransferHookInstruction,
} from '@solana/spl-token';
import { TransactionInstruction } from '@solana/web3.js';
import { expect } from 'chai';

import {
  HOOK_PROGRAM_ID,
  TOKEN_DECIMALS,
  unitMarketCreateInstructions,
  unitTransferInstructions,
} from '@openvpp/sdk/web3';

import { type Any, connectionOf, expectSame, programs } from '../../utils/anchor';
import { MARKET } from '../../utils/payments';
import { type Entry, type Rich } from './world';

/**
 * The hook has no SDK builder of its own: its two instructions are only ever invoked by other
 * programs. They are derived, without Anchor, from what the SDK builds:
 * - `execute`: the `Execute` instruction Token-2022 invokes for `unitTransferInstructions`'
 *   `transfer_checked` (spl-token's `createExecuteInstruction` over the transfer's source,
 *   mint, destination, owner and validation account, then the transfer's extra accounts as
 *   the validation list resolves them, flags included). The transfer itself is first checked
 *   against spl-token's own `createTransferCheckedWithTransferHookInstruction`, which reads the
 *   extra accounts from the on-chain validation list.
 * - `meta_list_init`: the CPI `unit_market_create` makes (`ovpp_hook::cpi::meta_list_init`
 *   with the payer, unit mint, validation account and system program of the SDK's
 *   `unitMarketCreateInstructions`; flags as the hook's `MetaListInit` accounts declare them).
 */
export async function derivedHookInstructions(w: Rich, p: ReturnType<typeof programs>): Promise<Entry[]> {
  const amount = 1_500_000n;
  const [transfer] = unitTransferInstructions({
    kind: 'kwh',
    from: w.owner.publicKey,
    to: w.utility.publicKey,
    amount,
  });
  const [source, mint, destination, owner] = transfer.keys.map((k) => k.pubkey);
  const viaSplToken = await createTransferCheckedWithTransferHookInstruction(
    connectionOf(w.rt) as Any,
    source,
    mint,
    destination,
    owner,
    amount,
    TOKEN_DECIMALS,
    [],
    undefined,
    TOKEN_2022_PROGRAM_ID,
  );
  expectSame('unitTransferInstructions vs spl-token (extra accounts read on-chain)', viaSplToken, transfer);
  const hookAt = transfer.keys.findIndex((k) => k.pubkey.equals(HOOK_PROGRAM_ID));
  expect(hookAt).to.equal(transfer.keys.length - 2);
  const validation = transfer.keys[transfer.keys.length - 1].pubkey;
  const execute = createExecuteInstruction(HOOK_PROGRAM_ID, source, mint, destination, owner, validation, amount);
  execute.keys.push(...transfer.keys.slice(4, hookAt));

  const [create] = unitMarketCreateInstructions({
    authority: w.authority.publicKey,
    payer: w.payer,
    kind: 'co2Kg',
    feed: w.feed,
    ...MARKET,
  });
  const names = (p.payments.idl.instructions as Any[]).find((i) => i.name === 'unitMarketCreate').accounts as Any[];
  const at = (name: string) => create.keys[names.findIndex((a) => a.name === name)].pubkey;
  const metaListInit = new TransactionInstruction({
    programId: at('hookProgram'),
    keys: [
      { pubkey: at('payer'), isSigner: true, isWritable: true },
      { pubkey: at('unitMint'), isSigner: false, isWritable: false },
      { pubkey: at('extraAccountMetaList'), isSigner: false, isWritable: true },
      { pubkey: at('systemProgram'), isSigner: false, isWritable: false },
    ],
    data: Buffer.from(
      (p.hook.idl.instructions as Any[]).find((i) => i.name === 'metaListInit').discriminator as number[],
    ),
  });
  return [
    { label: 'derived: hook execute (Token-2022 for unitTransferInstructions)', run: () => ({ ixs: [execute] }) },
    {
      label: 'derived: hook meta_list_init (CPI of unitMarketCreateInstructions)',
      run: () => ({ ixs: [metaListInit] }),
    },
  ];
}
