// The JSON-RPC and PubSub surfaces of `openvpp localnet` spoken directly (fetch and the `ws`
// package): result shapes, subscriptions and their unsubscribe methods, the validator's error
// codes for malformed input, the request size limit, batches, and a seeded fuzz of the
// JSON-RPC surface after which the node still answers.
import { Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction, VersionedTransaction } from '@solana/web3.js';
import { expect } from 'chai';
import bs58lib from 'bs58';
import WebSocket from 'ws';

import type { Localnet } from '@openvpp/localnet';
import { inProcessNode } from './node';

type RpcResponse = {
  jsonrpc: string;
  id: unknown;
  result?: any;
  error?: { code: number; message: string; data?: any };
};

describe('localnet: JSON-RPC and PubSub surfaces', function () {
  this.timeout(60_000);
  let net: Localnet;
  let payer: Keypair;

  const post = async (body: string | object, headers: Record<string, string> = {}) => {
    const res = await fetch(net.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const rpc = async (method: string, params?: unknown[]): Promise<RpcResponse> =>
    (await post({ jsonrpc: '2.0', id: 1, method, params })).body;

  const transfer = async (to = Keypair.generate().publicKey, lamports = 1_000_000) => {
    const { result } = await rpc('getLatestBlockhash');
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: result.value.blockhash }).add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports }),
    );
    tx.sign(payer);
    return tx;
  };

  before(async () => {
    net = await inProcessNode();
    payer = Keypair.generate();
    const r = await rpc('requestAirdrop', [payer.publicKey.toBase58(), 10 * LAMPORTS_PER_SOL]);
    expect(r.result).to.be.a('string');
  });
  after(async () => net?.close());

  describe('methods', () => {
    it('cluster and slot methods', async () => {
      expect((await rpc('getHealth')).result).to.equal('ok');
      expect((await rpc('getVersion')).result['solana-core']).to.match(/^\d+\.\d+\.\d+$/);
      expect((await rpc('getGenesisHash')).result).to.have.length.within(32, 44);
      expect((await rpc('getIdentity')).result.identity).to.have.length.within(32, 44);
      const s1 = (await rpc('getSlot')).result;
      await new Promise((r) => setTimeout(r, 250));
      const s2 = (await rpc('getSlot')).result;
      expect(s2).to.be.greaterThan(s1);
      const info = (await rpc('getEpochInfo')).result;
      expect(info).to.have.keys([
        'absoluteSlot',
        'blockHeight',
        'epoch',
        'slotIndex',
        'slotsInEpoch',
        'transactionCount',
      ]);
      expect((await rpc('getBlockHeight')).result).to.be.at.least(s2);
      const rent = (await rpc('getMinimumBalanceForRentExemption', [165])).result;
      expect(rent).to.equal(2_039_280);
      const ctx = await rpc('getBalance', [payer.publicKey.toBase58(), { minContextSlot: 1e9 }]);
      expect(ctx.error?.code).to.equal(-32016);
    });

    it('blockhashes, fees and priority fees', async () => {
      const { result } = await rpc('getLatestBlockhash');
      expect(result.value.lastValidBlockHeight).to.equal(result.context.slot + 150);
      expect((await rpc('isBlockhashValid', [result.value.blockhash])).result.value).to.equal(true);
      expect((await rpc('isBlockhashValid', [Keypair.generate().publicKey.toBase58()])).result.value).to.equal(false);
      const tx = await transfer();
      const msg = Buffer.from(tx.serializeMessage()).toString('base64');
      expect((await rpc('getFeeForMessage', [msg])).result.value).to.equal(5000);
      const fees = await rpc('getRecentPrioritizationFees', [[payer.publicKey.toBase58()]]);
      expect(fees.result).to.be.an('array');
    });

    it('sendTransaction base58/base64, statuses, getTransaction encodings, history', async () => {
      const to = Keypair.generate().publicKey;
      const t1 = await transfer(to, 2_000_000);
      const s1 = (await rpc('sendTransaction', [bs58(t1.serialize())])).result;
      const t2 = await transfer(to, 3_000_000);
      const s2 = (await rpc('sendTransaction', [t2.serialize().toString('base64'), { encoding: 'base64' }])).result;
      const statuses = (await rpc('getSignatureStatuses', [[s1, s2, bs58(Buffer.alloc(64, 7))]])).result.value;
      expect(statuses[0].confirmationStatus).to.equal('finalized');
      expect(statuses[1].status).to.deep.equal({ Ok: null });
      expect(statuses[2]).to.equal(null);
      const json = (await rpc('getTransaction', [s2, { encoding: 'json' }])).result;
      expect(json.meta.postBalances[1]).to.equal(5_000_000);
      expect(json.transaction.message.instructions[0].programIdIndex).to.equal(2);
      const b64 = (await rpc('getTransaction', [s2, { encoding: 'base64' }])).result;
      expect(VersionedTransaction.deserialize(Buffer.from(b64.transaction[0], 'base64')).signatures[0]).to.deep.equal(
        t2.signatures[0].signature ? new Uint8Array(t2.signatures[0].signature) : undefined,
      );
      const parsed = (await rpc('getTransaction', [s2, { encoding: 'jsonParsed' }])).result;
      expect(parsed.transaction.message.accountKeys[0]).to.include({ signer: true, writable: true });
      const history = (await rpc('getSignaturesForAddress', [to.toBase58(), { limit: 1 }])).result;
      expect(history.map((h: { signature: string }) => h.signature)).to.deep.equal([s2]);
      const older = (await rpc('getSignaturesForAddress', [to.toBase58(), { before: s2 }])).result;
      expect(older.map((h: { signature: string }) => h.signature)).to.deep.equal([s1]);
      // The same transaction again: preflight reports it as already processed.
      const again = await rpc('sendTransaction', [bs58(t1.serialize())]);
      expect(again.error?.code).to.equal(-32002);
      expect(again.error?.data.err).to.equal('AlreadyProcessed');
    });

    it('transactions written through node.rt from another copy of web3.js are stored as wire bytes', async () => {
      // An application and its dependencies may each carry a web3.js: the node must not rely on
      // instanceof. A VersionedTransaction and a legacy Transaction, each seen through an object
      // of no web3.js class, are executed and then served by getTransaction in every encoding.
      const blockhash = net.node.rt.latestBlockhash();
      const ix = SystemProgram.transfer({
        fromPubkey: payer.publicKey,
        toPubkey: Keypair.generate().publicKey,
        lamports: 1_000_000,
      });
      const legacy = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(ix);
      legacy.sign(payer);
      const versioned = new VersionedTransaction(
        new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash })
          .add(
            SystemProgram.transfer({
              fromPubkey: payer.publicKey,
              toPubkey: Keypair.generate().publicKey,
              lamports: 2_000_000,
            }),
          )
          .compileMessage(),
      );
      versioned.sign([payer]);
      const foreign: [object, Uint8Array][] = [
        [{ version: versioned.version, serialize: () => versioned.serialize() }, versioned.signatures[0]],
        [{ serialize: (o: object) => legacy.serialize(o) }, legacy.signature!],
      ];
      for (const [tx, signature] of foreign) {
        const outcome = net.node.rt.sendTransaction(tx as Transaction);
        expect(outcome.err, JSON.stringify(outcome.err)).to.equal(null);
        const sig = bs58lib.encode(signature);
        for (const encoding of ['json', 'base64', 'jsonParsed']) {
          const got = await rpc('getTransaction', [sig, { encoding, maxSupportedTransactionVersion: 0 }]);
          expect(got.error, encoding).to.equal(undefined);
          expect(got.result.meta.err).to.equal(null);
        }
      }
    });

    it('simulateTransaction: sigVerify, replaceRecentBlockhash, returned accounts; bad signatures are -32003', async () => {
      const tx = await transfer();
      const wire = tx.serialize().toString('base64');
      const sim = (
        await rpc('simulateTransaction', [
          wire,
          {
            encoding: 'base64',
            sigVerify: true,
            accounts: { addresses: [payer.publicKey.toBase58()], encoding: 'base64' },
          },
        ])
      ).result;
      expect(sim.value.err).to.equal(null);
      expect(sim.value.logs[0]).to.match(/^Program 11111111111111111111111111111111 invoke/);
      expect(sim.value.accounts[0].owner).to.equal('11111111111111111111111111111111');
      const forged = tx.serialize();
      forged[10] ^= 1; // inside the first signature
      const bad = await rpc('simulateTransaction', [
        forged.toString('base64'),
        { encoding: 'base64', sigVerify: true },
      ]);
      expect(bad.error?.code).to.equal(-32003);
      const sent = await rpc('sendTransaction', [forged.toString('base64'), { encoding: 'base64' }]);
      expect(sent.error?.code).to.equal(-32003);
      const stale = new Transaction({
        feePayer: payer.publicKey,
        recentBlockhash: Keypair.generate().publicKey.toBase58(),
      }).add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: payer.publicKey, lamports: 1 }));
      stale.sign(payer);
      const replaced = (
        await rpc('simulateTransaction', [
          stale.serialize().toString('base64'),
          { encoding: 'base64', replaceRecentBlockhash: true },
        ])
      ).result;
      expect(replaced.value.err).to.equal(null);
      expect(replaced.value.replacementBlockhash.blockhash).to.be.a('string');
      const notFound = await rpc('sendTransaction', [stale.serialize().toString('base64'), { encoding: 'base64' }]);
      expect(notFound.error?.code).to.equal(-32002);
      expect(notFound.error?.data.err).to.equal('BlockhashNotFound');
      const both = await rpc('simulateTransaction', [
        wire,
        { encoding: 'base64', sigVerify: true, replaceRecentBlockhash: true },
      ]);
      expect(both.error?.code).to.equal(-32602);
    });

    it('accounts: encodings, dataSlice, getMultipleAccounts, getProgramAccounts filters', async () => {
      const key = payer.publicKey.toBase58();
      const b64 = (await rpc('getAccountInfo', [key, { encoding: 'base64' }])).result.value;
      expect(b64.data).to.deep.equal(['', 'base64']);
      expect(b64.space).to.equal(0);
      const b58 = (await rpc('getAccountInfo', [key, { encoding: 'base58' }])).result.value;
      expect(b58.data).to.deep.equal(['', 'base58']);
      const missing = (await rpc('getMultipleAccounts', [[key, Keypair.generate().publicKey.toBase58()]])).result.value;
      expect(missing[1]).to.equal(null);
      const zstd = await rpc('getAccountInfo', [key, { encoding: 'base64+zstd' }]);
      expect(zstd.error?.code).to.equal(-32602);
      // Token accounts from the runtime's world: every registry account of the node.
      const registry = net.node.rt.programs.ovpp_registry.toBase58();
      const all = (await rpc('getProgramAccounts', [registry, { encoding: 'base64', withContext: true }])).result;
      expect(all.context.slot).to.be.a('number');
      const sys = (
        await rpc('getProgramAccounts', [
          '11111111111111111111111111111111',
          { encoding: 'base64', filters: [{ dataSize: 0 }], dataSlice: { offset: 0, length: 0 } },
        ])
      ).result;
      expect(sys.map((a: { pubkey: string }) => a.pubkey)).to.include(key);
      const tooMany = await rpc('getProgramAccounts', [
        registry,
        { filters: [{ dataSize: 1 }, { dataSize: 1 }, { dataSize: 1 }, { dataSize: 1 }, { dataSize: 1 }] },
      ]);
      expect(tooMany.error?.code).to.equal(-32602);
    });
  });

  describe('PubSub', () => {
    const open = async () => {
      const ws = new WebSocket(net.wsUrl);
      await new Promise((r, j) => ws.once('open', r).once('error', j));
      const inbox: any[] = [];
      let wake: (() => void) | null = null;
      ws.on('message', (d) => {
        inbox.push(JSON.parse(d.toString()));
        wake?.();
      });
      /** The first message (in arrival order) matching `pred`, removed from the inbox. */
      const next = async (pred: (m: any) => boolean = () => true) => {
        const deadline = Date.now() + 10_000;
        for (;;) {
          const i = inbox.findIndex(pred);
          if (i >= 0) return inbox.splice(i, 1)[0];
          if (Date.now() > deadline) throw new Error('no matching PubSub message in 10 s');
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, 100);
          });
        }
      };
      let id = 0;
      const request = async (method: string, params: unknown[] = []) => {
        const mine = ++id;
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: mine, method, params }));
        return next((m) => m.id === mine);
      };
      const drop = (method: string) => {
        for (let i = inbox.length - 1; i >= 0; i--) if (inbox[i].method === method) inbox.splice(i, 1);
      };
      return { ws, next, request, drop };
    };

    it('slot, account, program, logs and signature subscriptions; unsubscribe', async () => {
      const c = await open();
      const slotSub = (await c.request('slotSubscribe')).result;
      const slot = await c.next((m) => m.method === 'slotNotification');
      expect(slot.method).to.equal('slotNotification');
      expect(slot.params.subscription).to.equal(slotSub);
      expect(slot.params.result).to.have.keys(['parent', 'root', 'slot']);
      expect((await c.request('slotUnsubscribe', [slotSub])).result).to.equal(true);
      c.drop('slotNotification');

      const to = Keypair.generate().publicKey;
      const tx = await transfer(to, 4_000_000);
      const sig = bs58(tx.signature!);
      const subs = {
        account: (await c.request('accountSubscribe', [to.toBase58(), { encoding: 'base64' }])).result,
        program: (
          await c.request('programSubscribe', [
            '11111111111111111111111111111111',
            { encoding: 'base64', filters: [{ dataSize: 0 }] },
          ])
        ).result,
        logs: (await c.request('logsSubscribe', [{ mentions: [to.toBase58()] }])).result,
        signature: (await c.request('signatureSubscribe', [sig])).result,
      };
      expect(
        (await rpc('sendTransaction', [tx.serialize().toString('base64'), { encoding: 'base64' }])).result,
      ).to.equal(sig);
      const got: Record<string, any> = {};
      while (
        Object.keys(got).length < 4 ||
        !got.programNotification?.some((p: any) => p.result.value.pubkey === to.toBase58())
      ) {
        const m = await c.next((x) => x.method !== undefined);
        if (m.method === 'programNotification') (got.programNotification ??= []).push(m.params);
        else got[m.method] = m.params;
      }
      expect(got.accountNotification.subscription).to.equal(subs.account);
      expect(got.accountNotification.result.value.lamports).to.equal(4_000_000);
      expect(got.logsNotification.result.value.signature).to.equal(sig);
      expect(got.logsNotification.result.value.logs).to.be.an('array').that.is.not.empty;
      expect(got.signatureNotification).to.deep.include({ subscription: subs.signature });
      expect(got.signatureNotification.result.value).to.deep.equal({ err: null });
      // A signature subscription after the fact is answered at once.
      const late = (await c.request('signatureSubscribe', [sig])).result;
      const lateNote = await c.next((m) => m.method === 'signatureNotification');
      expect(lateNote.params.subscription).to.equal(late);
      for (const [kind, id] of Object.entries(subs)) {
        if (kind === 'signature') continue; // removed after its notification
        expect((await c.request(`${kind}Unsubscribe`, [id])).result).to.equal(true);
      }
      const unknown = await c.request('accountUnsubscribe', [987654]);
      expect(unknown.error.code).to.equal(-32602);
      const bad = await c.request('accountSubscribe', ['not-a-key']);
      expect(bad.error.code).to.equal(-32602);
      c.ws.send('{nope');
      expect((await c.next((m) => m.error && m.id === null)).error.code).to.equal(-32700);
      c.ws.close();
    });
  });

  describe('bad input', () => {
    it('parse errors, invalid requests, unknown methods and bad params get their codes', async () => {
      expect((await post('{"jsonrpc":"2.0",')).body.error.code).to.equal(-32700);
      expect((await post({ jsonrpc: '1.0', id: 1, method: 'getSlot' })).body.error.code).to.equal(-32600);
      expect((await post({ jsonrpc: '2.0', id: 1 })).body.error.code).to.equal(-32600);
      expect((await post([])).body.error.code).to.equal(-32600);
      expect((await post('"text"')).body.error.code).to.equal(-32600);
      const nf = await rpc('getNothing');
      expect(nf.error).to.deep.equal({ code: -32601, message: 'Method not found' });
      expect((await rpc('getBalance', ['0OIl'])).error).to.deep.equal({
        code: -32602,
        message: 'Invalid param: Invalid',
      });
      expect((await rpc('getBalance', ['11111111'])).error?.message).to.equal('Invalid param: WrongSize');
      expect((await post({ jsonrpc: '2.0', id: 1, method: 'getSlot', params: { a: 1 } })).body.error.code).to.equal(
        -32602,
      );
      const tx = await rpc('sendTransaction', ['!!!']);
      expect(tx.error?.code).to.equal(-32602);
      const garbage = await rpc('sendTransaction', [Buffer.alloc(100, 9).toString('base64'), { encoding: 'base64' }]);
      expect(garbage.error?.code).to.equal(-32602);
    });

    it('batches answer in order; notifications get no answer; oversized bodies are 413', async () => {
      const batch = await post([
        { jsonrpc: '2.0', id: 'a', method: 'getSlot' },
        { jsonrpc: '2.0', method: 'getSlot' },
        { jsonrpc: '2.0', id: 'c', method: 'nope' },
        7,
      ]);
      expect(batch.body.map((r: RpcResponse) => r.id)).to.deep.equal(['a', 'c', null]);
      expect(batch.body[1].error.code).to.equal(-32601);
      expect(batch.body[2].error.code).to.equal(-32600);
      const note = await post({ jsonrpc: '2.0', method: 'getSlot' });
      expect(note.body).to.equal(undefined);
      const big = await fetch(net.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getSlot', params: ['x'.repeat(60 * 1024)] }),
      });
      expect(big.status).to.equal(413);
      expect((await rpc('getHealth')).result).to.equal('ok');
    });

    it('a seeded fuzz of the JSON-RPC surface: every answer is well-formed and the node keeps serving', async () => {
      let seed = 0x5eed1234;
      const rand = () => {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        return (seed >>> 0) / 2 ** 32;
      };
      const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
      const key = payer.publicKey.toBase58();
      const goodTx = (await transfer()).serialize();
      const atoms = (): unknown[] => [
        null,
        true,
        -1,
        0,
        2 ** 53,
        1e308,
        -0.5,
        '',
        'processed',
        key,
        '1'.repeat(44),
        'base64',
        'jsonParsed',
        'base64+zstd',
        goodTx.toString('base64'),
        mutate(goodTx).toString('base64'),
        bs58(mutate(goodTx)),
        Buffer.from(Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256))).toString(
          'base64',
        ),
        { encoding: pick(['base64', 'base58', 'jsonParsed', 'x', 7]) },
        { commitment: pick(['confirmed', 'bogus', 3]) },
        {
          filters: [
            { memcmp: { offset: pick([0, -1, 1e9, 'a']), bytes: pick(['', key, 7]) } },
            { dataSize: pick([0, -5, 'z']) },
          ],
        },
        { dataSlice: { offset: pick([0, -1, 'x']), length: pick([1, 1e12]) } },
        { limit: pick([0, 1, 5000]), before: pick([key, 'x']) },
        { sigVerify: pick([true, false, 'yes']), replaceRecentBlockhash: pick([true, 1]) },
        { mint: pick([key, 'nope']) },
        { programId: pick([key, 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb']) },
        [key, key],
        Array.from({ length: 300 }, () => key),
        { __proto__: { x: 1 }, constructor: 1 },
      ];
      const mutate = (b: Buffer) => {
        const c = Buffer.from(b);
        for (let i = 0; i < 1 + Math.floor(rand() * 4); i++)
          c[Math.floor(rand() * c.length)] = Math.floor(rand() * 256);
        return rand() < 0.2 ? c.subarray(0, Math.floor(rand() * c.length)) : c;
      };
      const methods = Object.keys((await import('../../localnet/src/node/rpc')).methods).concat([
        '',
        'constructor',
        '__proto__',
        'toString',
        'hasOwnProperty',
      ]);
      const deadline = Date.now() + 15_000;
      let cases = 0;
      while (cases < 400 && Date.now() < deadline) {
        cases++;
        const id = cases;
        const params =
          rand() < 0.1 ? pick(atoms()) : Array.from({ length: Math.floor(rand() * 4) }, () => pick(atoms()));
        const raw =
          rand() < 0.05
            ? JSON.stringify({ jsonrpc: '2.0', id, method: pick(methods), params }).slice(0, Math.floor(rand() * 40))
            : JSON.stringify({ jsonrpc: pick(['2.0', '2.0', '2.0', '1.0']), id, method: pick(methods), params });
        const { status, body } = await post(raw);
        expect(status, raw).to.equal(200);
        expect(body.jsonrpc, raw).to.equal('2.0');
        if (body.error) {
          expect(body.error.code, raw).to.be.a('number');
          expect(body.error.message, raw).to.be.a('string').that.is.not.empty;
          expect(body.error.code, `${raw} -> ${JSON.stringify(body.error)}`).to.not.equal(-32603);
        } else {
          expect(body, raw).to.have.property('result');
          expect(body.id).to.equal(id);
        }
      }
      expect(cases).to.be.at.least(100);
      expect((await rpc('getHealth')).result).to.equal('ok');
      expect((await rpc('getBalance', [key])).result.value).to.be.greaterThan(0);
    });
  });
});

const bs58 = (bytes: Uint8Array) => bs58lib.encode(bytes);
