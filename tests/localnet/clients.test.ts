// Clients this project did not write, over http://127.0.0.1:<port> of an in-process
// `openvpp localnet`: @solana/web3.js (sendAndConfirmTransaction, onSignature, onAccountChange),
// the official @coral-xyz/anchor client on all four programs, @solana/kit (reads, a SOL
// transfer with sendAndConfirmTransactionFactory) and @solana/spl-token (a Token-2022 transfer).
import { AnchorError, AnchorProvider, Program, Wallet, type AccountClient, type Idl } from '@coral-xyz/anchor';
import bs58 from 'bs58';
import {
  TOKEN_2022_PROGRAM_ID,
  createMint,
  getAccount,
  getOrCreateAssociatedTokenAccount,
  mintTo,
  transferChecked,
} from '@solana/spl-token';
import {
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SendTransactionError,
  SystemProgram,
  Transaction,
  sendAndConfirmTransaction,
} from '@solana/web3.js';
import {
  address,
  appendTransactionMessageInstruction,
  assertIsTransactionWithBlockhashLifetime,
  createKeyPairSignerFromBytes,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  getSignatureFromTransaction,
  lamports,
  pipe,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  AccountRole,
} from '@solana/kit';
import { expect } from 'chai';

import type { Localnet } from '@openvpp/localnet';
import { createDrProgram, initPayments, onboardPartners } from '@openvpp/testing';
import { CA_FINGERPRINT } from '../utils/harness';
import registryIdl from '../../sdk/idl/ovpp_registry.json';
import routingIdl from '../../sdk/idl/ovpp_routing.json';
import paymentsIdl from '../../sdk/idl/ovpp_payments.json';
import hookIdl from '../../sdk/idl/ovpp_hook.json';
import { inProcessNode } from './node';

describe('localnet: clients this project did not write', () => {
  let net: Localnet;
  let connection: Connection;
  let funded: Keypair;

  before(async () => {
    net = await inProcessNode();
    connection = new Connection(net.rpcUrl, { commitment: 'confirmed', wsEndpoint: net.wsUrl });
    funded = Keypair.generate();
    const sig = await connection.requestAirdrop(funded.publicKey, 100 * LAMPORTS_PER_SOL);
    await connection.confirmTransaction({ signature: sig, ...(await connection.getLatestBlockhash()) });
  });

  after(async () => {
    // web3.js reconnects (forever) a WebSocket the server drops; close it from this side and let
    // the close handshake finish before the node goes away.
    const ws = (connection as unknown as { _rpcWebSocket?: { close(): void; reconnect: boolean } })._rpcWebSocket;
    if (ws) {
      ws.reconnect = false;
      ws.close();
    }
    await new Promise((r) => setTimeout(r, 200));
    await net?.close();
  });

  describe('@solana/web3.js Connection', () => {
    it('sendAndConfirmTransaction (confirmed over signatureSubscribe) and onAccountChange; the transaction as a validator reports it', async () => {
      const to = Keypair.generate().publicKey;
      const changed = new Promise<number>((resolve) => {
        const id = connection.onAccountChange(to, (info) => {
          void connection.removeAccountChangeListener(id);
          resolve(info.lamports);
        });
      });
      const sig = await sendAndConfirmTransaction(
        connection,
        new Transaction().add(
          SystemProgram.transfer({ fromPubkey: funded.publicKey, toPubkey: to, lamports: 1_000_000 }),
        ),
        [funded],
      );
      expect(await changed).to.equal(1_000_000);
      expect(await connection.getBalance(to)).to.equal(1_000_000);

      const got = await connection.getTransaction(sig, { maxSupportedTransactionVersion: 0, commitment: 'confirmed' });
      expect(got?.meta?.err).to.equal(null);
      expect(got?.meta?.fee).to.equal(5000);
      expect(got?.meta?.preBalances[1]).to.equal(0);
      expect(got?.meta?.postBalances[1]).to.equal(1_000_000);
      expect(got!.meta!.preBalances[0] - got!.meta!.postBalances[0]).to.equal(1_005_000);
      expect(got?.transaction.message.staticAccountKeys.map((k) => k.toBase58())).to.include(to.toBase58());
      const history = await connection.getSignaturesForAddress(to);
      expect(history.map((h) => h.signature)).to.deep.equal([sig]);
      const [status] = (await connection.getSignatureStatuses([sig])).value;
      expect(status?.confirmationStatus).to.equal('finalized');
    });

    it('onSignature fires for a transaction subscribed to before it is sent', async () => {
      const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash();
      const tx = new Transaction({ feePayer: funded.publicKey, blockhash, lastValidBlockHeight }).add(
        SystemProgram.transfer({
          fromPubkey: funded.publicKey,
          toPubkey: Keypair.generate().publicKey,
          lamports: 1_000_000,
        }),
      );
      tx.sign(funded);
      const signature = bs58.encode(tx.signature!);
      const notified = new Promise<{ err: unknown; slot: number }>((resolve) => {
        connection.onSignature(signature, (result, ctx) => resolve({ err: result.err, slot: ctx.slot }), 'confirmed');
      });
      // Let the subscription reach the node first.
      await new Promise((r) => setTimeout(r, 200));
      expect(await connection.sendRawTransaction(tx.serialize())).to.equal(signature);
      const note = await notified;
      expect(note.err).to.equal(null);
      expect((await connection.getSignatureStatus(signature)).value?.slot).to.equal(note.slot);
    });

    it('a failing preflight is -32002 with the simulation logs (SendTransactionError)', async () => {
      const tx = new Transaction().add(
        SystemProgram.transfer({
          fromPubkey: funded.publicKey,
          toPubkey: Keypair.generate().publicKey,
          lamports: 1_000 * LAMPORTS_PER_SOL,
        }),
      );
      const err = await sendAndConfirmTransaction(connection, tx, [funded]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(SendTransactionError);
      const logs = await (err as SendTransactionError).getLogs(connection);
      expect(logs.join('\n')).to.match(/insufficient lamports/);
      expect((err as Error).message).to.match(/custom program error: 0x1/);
    });
  });

  describe('@coral-xyz/anchor Program over AnchorProvider(connection, wallet)', () => {
    it('one instruction of each OpenVPP program; program errors parsed by Anchor as AnchorError', async () => {
      // The world: registry config and two partners, a DR program, payments; built on the
      // node's runtime, whose writes the node records like any transaction.
      const rt = net.node.rt;
      const partners = onboardPartners(rt, { caFingerprints: [CA_FINGERPRINT] });
      const drProgram = createDrProgram(rt, partners);
      initPayments(rt, { authority: partners.admin.publicKey });
      await connection.confirmTransaction({
        signature: await connection.requestAirdrop(partners.admin.publicKey, LAMPORTS_PER_SOL),
        ...(await connection.getLatestBlockhash()),
      });

      const provider = new AnchorProvider(connection, new Wallet(partners.admin), { commitment: 'confirmed' });
      const registry = new Program(registryIdl as Idl, provider);
      const routing = new Program(routingIdl as Idl, provider);
      const payments = new Program(paymentsIdl as Idl, provider);
      const hook = new Program(hookIdl as Idl, provider);

      // Reads: getAccountInfo (fetch) and getProgramAccounts with a memcmp discriminator filter (all).
      const utility = (await accounts(registry).partner.fetch(partners.utilityPda)) as { status: object };
      expect(utility.status).to.deep.equal({ active: {} });
      const all = await accounts(registry).partner.all();
      expect(all.map((p: { publicKey: PublicKey }) => p.publicKey.toBase58()).sort()).to.deep.equal(
        [partners.utilityPda.toBase58(), partners.vendorPda.toBase58()].sort(),
      );

      // Registry: partner_status_set (config and authority resolved by Anchor from the IDL).
      await registry.methods
        .partnerStatusSet({ status: { suspended: {} } })
        .accounts({ partner: partners.vendorPda })
        .rpc();
      expect(((await accounts(registry).partner.fetch(partners.vendorPda)) as { status: object }).status).to.deep.equal(
        {
          suspended: {},
        },
      );

      // Routing: program_status_set by the utility.
      await routing.methods
        .programStatusSet({ open: false })
        .accountsPartial({ program: drProgram, utility: partners.utilityPda, authority: partners.utility.publicKey })
        .signers([partners.utility])
        .rpc();
      expect(((await accounts(routing).utilityProgram.fetch(drProgram)) as { open: boolean }).open).to.equal(false);

      // Payments: payments_pause_set, then refused for a signer that is not the authority.
      await payments.methods.paymentsPauseSet({ paused: true }).rpc();
      await payments.methods.paymentsPauseSet({ paused: false }).rpc();
      const stranger = Keypair.generate();
      const refused = await payments.methods
        .paymentsPauseSet({ paused: true })
        .accountsPartial({ authority: stranger.publicKey })
        .signers([stranger])
        .rpc()
        .then(
          () => null,
          (e: unknown) => e,
        );
      expectProgramError(refused, 'Unauthorized', paymentsIdl as Idl);

      // Hook: meta_list_init refuses a mint the payments program does not control.
      const foreignMint = await createMint(
        connection,
        funded,
        funded.publicKey,
        null,
        6,
        Keypair.generate(),
        {
          commitment: 'confirmed',
        },
        TOKEN_2022_PROGRAM_ID,
      );
      const foreign = await hook.methods
        .metaListInit()
        .accounts({ payer: partners.admin.publicKey, mint: foreignMint })
        .rpc()
        .then(
          () => null,
          (e: unknown) => e,
        );
      expectProgramError(foreign, 'ForeignMint', hookIdl as Idl);
    });
  });

  describe('@solana/kit', () => {
    it('createSolanaRpc reads and a SOL transfer confirmed through createSolanaRpcSubscriptions', async () => {
      const rpc = createSolanaRpc(net.rpcUrl);
      const rpcSubscriptions = createSolanaRpcSubscriptions(net.wsUrl);
      const payer = await createKeyPairSignerFromBytes(funded.secretKey);
      const recipient = address(Keypair.generate().publicKey.toBase58());

      const { value: balance } = await rpc.getBalance(payer.address).send();
      expect(balance > 0n).to.equal(true);
      const { value: info } = await rpc.getAccountInfo(payer.address, { encoding: 'base64' }).send();
      expect(info?.owner).to.equal('11111111111111111111111111111111');
      expect(typeof (await rpc.getSlot().send())).to.equal('bigint');
      expect((await rpc.getVersion().send())['solana-core']).to.be.a('string');
      const { value: latestBlockhash } = await rpc.getLatestBlockhash().send();

      // System program transfer: [u32 2][u64 lamports].
      const data = new Uint8Array(12);
      new DataView(data.buffer).setUint32(0, 2, true);
      new DataView(data.buffer).setBigUint64(4, 2_500_000n, true);
      const message = pipe(
        createTransactionMessage({ version: 0 }),
        (m) => setTransactionMessageFeePayerSigner(payer, m),
        (m) => setTransactionMessageLifetimeUsingBlockhash(latestBlockhash, m),
        (m) =>
          appendTransactionMessageInstruction(
            {
              programAddress: address('11111111111111111111111111111111'),
              accounts: [
                { address: payer.address, role: AccountRole.WRITABLE_SIGNER, signer: payer },
                { address: recipient, role: AccountRole.WRITABLE },
              ],
              data,
            },
            m,
          ),
      );
      const signed = await signTransactionMessageWithSigners(message);
      assertIsTransactionWithBlockhashLifetime(signed);
      await sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions })(signed, { commitment: 'confirmed' });
      const { value: after } = await rpc.getBalance(recipient).send();
      expect(after).to.equal(lamports(2_500_000n));
      const sig = getSignatureFromTransaction(signed);
      const { value: statuses } = await rpc.getSignatureStatuses([sig]).send();
      expect(statuses[0]?.err).to.equal(null);
      const tx = await rpc.getTransaction(sig, { maxSupportedTransactionVersion: 0, encoding: 'json' }).send();
      expect(Number(tx?.version)).to.equal(0);
    });
  });

  describe('@solana/spl-token', () => {
    it('a Token-2022 mint, ATAs, mintTo and transferChecked; balances over getTokenAccountBalance', async () => {
      const opts = { commitment: 'confirmed' as const };
      const alice = Keypair.generate();
      const bob = Keypair.generate();
      const mint = await createMint(
        connection,
        funded,
        funded.publicKey,
        null,
        6,
        Keypair.generate(),
        opts,
        TOKEN_2022_PROGRAM_ID,
      );
      const from = await getOrCreateAssociatedTokenAccount(
        connection,
        funded,
        mint,
        alice.publicKey,
        false,
        'confirmed',
        opts,
        TOKEN_2022_PROGRAM_ID,
      );
      const to = await getOrCreateAssociatedTokenAccount(
        connection,
        funded,
        mint,
        bob.publicKey,
        false,
        'confirmed',
        opts,
        TOKEN_2022_PROGRAM_ID,
      );
      await mintTo(connection, funded, mint, from.address, funded, 5_000_000n, [], opts, TOKEN_2022_PROGRAM_ID);
      const sig = await transferChecked(
        connection,
        funded,
        from.address,
        mint,
        to.address,
        alice,
        1_250_000n,
        6,
        [],
        opts,
        TOKEN_2022_PROGRAM_ID,
      );
      expect((await getAccount(connection, to.address, 'confirmed', TOKEN_2022_PROGRAM_ID)).amount).to.equal(
        1_250_000n,
      );
      expect((await connection.getTokenAccountBalance(from.address)).value.uiAmountString).to.equal('3.75');
      expect((await connection.getTokenSupply(mint)).value.amount).to.equal('5000000');
      const parsed = await connection.getParsedTokenAccountsByOwner(bob.publicKey, { mint });
      expect(parsed.value[0].account.data.parsed.info.tokenAmount.amount).to.equal('1250000');
      const tx = await connection.getTransaction(sig, { maxSupportedTransactionVersion: 0, commitment: 'confirmed' });
      const post = tx?.meta?.postTokenBalances?.find((b) => b.owner === bob.publicKey.toBase58());
      expect(post?.uiTokenAmount.amount).to.equal('1250000');
      expect(post?.programId).to.equal(TOKEN_2022_PROGRAM_ID.toBase58());
    });
  });
});

/** Anchor's account namespace of an untyped (JSON) IDL. */
const accounts = (p: Program) => p.account as unknown as Record<string, AccountClient>;

/**
 * The error Anchor's `rpc()` threw is the program error `name` of `idl`: an `AnchorError`, which
 * Anchor builds from the `Program log: AnchorError occurred...` line of the preflight logs (the
 * runtime writes natively hosted programs' `msg!` output there, as a validator does).
 */
function expectProgramError(err: unknown, name: string, idl: Idl) {
  const code = idl.errors!.find((e) => e.name === name)!.code;
  expect(err, `expected an AnchorError ${name}, got ${String(err)}`).to.be.instanceOf(AnchorError);
  const e = err as InstanceType<typeof AnchorError>;
  expect(e.error.errorCode.code).to.equal(name);
  expect(e.error.errorCode.number).to.equal(code);
}
