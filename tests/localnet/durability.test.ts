// Durability of `openvpp localnet --ledger DIR`: a child node under a load of concurrent sends
// is SIGKILLed in the middle; restarted on the same ledger, every signature it had reported
// (sendTransaction answered) is returned by getTransaction with its effects in place, and the
// ledger holds nothing that was not sent. The WAL's torn-tail handling is checked directly.
import { Connection, Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction } from '@solana/web3.js';
import bs58 from 'bs58';
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

import { Ledger } from '@openvpp/localnet';
import { childNode, inProcessNode, stopChild, tempLedger, type ChildNode } from './node';

describe('localnet: durability (WAL + snapshot, SIGKILL)', function () {
  this.timeout(120_000);
  let child: ChildNode | undefined;
  afterEach(async () => {
    if (child) await stopChild(child, 'SIGKILL');
    child = undefined;
  });

  it('after SIGKILL under load, every reported signature is restored with its effects, and nothing else', async () => {
    const ledger = tempLedger('crash');
    // Snapshots every 100 records, so the crash also lands on snapshot + WAL segments.
    child = await childNode(ledger, ['--slot-ms', '100', '--snapshot-every', '150']);
    let connection = new Connection(child.rpc, 'confirmed');
    const payer = Keypair.generate();
    // The node answers requestAirdrop and sendTransaction once the record is fsynced, so no
    // confirmation round (and no WebSocket, which would try to reconnect after the kill).
    const airdrop = await connection.requestAirdrop(payer.publicKey, 1_000 * LAMPORTS_PER_SOL);

    const N = 400;
    const KILL_AFTER = 200;
    const amount = (i: number) => 1_000_000 + i;
    const recipients = Array.from({ length: N }, () => Keypair.generate().publicKey);
    const sent = new Map<string, number>(); // signature -> index
    const confirmed = new Set<string>();
    let blockhash = (await connection.getLatestBlockhash()).blockhash;
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed && next < N) {
        const i = next++;
        if (i % 25 === 0) blockhash = (await connection.getLatestBlockhash()).blockhash;
        const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
          SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: recipients[i], lamports: amount(i) }),
        );
        tx.sign(payer);
        // Every signed transaction counts as sent before it goes out (one in flight at the
        // kill may or may not have reached the ledger).
        const signature = bs58.encode(tx.signature!);
        sent.set(signature, i);
        const answered = await connection.sendRawTransaction(tx.serialize()).catch(() => null);
        if (answered && !killed) {
          expect(answered).to.equal(signature);
          confirmed.add(answered);
        }
        if (!killed && confirmed.size >= KILL_AFTER) {
          killed = true;
          child!.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await new Promise<void>((r) =>
      child!.proc.exitCode !== null || child!.proc.signalCode ? r() : child!.proc.once('exit', () => r()),
    );
    expect(confirmed.size).to.be.at.least(KILL_AFTER);

    const before = child.info;
    child = await childNode(ledger, ['--slot-ms', '100']);
    expect(child.stderr()).to.match(/restored/);
    expect(child.info.genesisHash).to.equal(before.genesisHash);
    expect(child.info.slot as number).to.be.greaterThan(before.slot as number);
    connection = new Connection(child.rpc, 'confirmed');

    // Every reported signature: its transaction and its effect.
    for (const sig of confirmed) {
      const tx = await connection.getTransaction(sig, { maxSupportedTransactionVersion: 0 });
      expect(tx, `confirmed ${sig} lost`).to.not.equal(null);
      expect(tx!.meta!.err).to.equal(null);
    }
    const balances = await Promise.all(
      Array.from({ length: Math.ceil(N / 100) }, (_, k) =>
        connection.getMultipleAccountsInfo(recipients.slice(k * 100, k * 100 + 100)),
      ),
    ).then((pages) => pages.flat().map((a) => a?.lamports ?? 0));
    const history = await connection.getSignaturesForAddress(payer.publicKey, { limit: 1000 });
    const restored = new Set(history.map((h) => h.signature).filter((s) => s !== airdrop));
    // Nothing else: the ledger holds only transactions that were sent...
    for (const sig of restored) expect(sent.has(sig), `unknown signature ${sig} in the ledger`).to.equal(true);
    // ...and it holds every confirmed one; each recipient was paid iff its transaction is there.
    for (const sig of confirmed) expect(restored.has(sig)).to.equal(true);
    let spent = 0;
    for (const [sig, i] of sent) {
      const paid = restored.has(sig);
      expect(balances[i], `recipient ${i} (${paid ? 'restored' : 'not restored'})`).to.equal(paid ? amount(i) : 0);
      if (paid) spent += amount(i) + 5000;
    }
    expect(await connection.getBalance(payer.publicKey)).to.equal(1_000 * LAMPORTS_PER_SOL - spent);
  });

  it('sendTransaction answers, and the signature is reported, only after the WAL append is on disk', async () => {
    const net = await inProcessNode();
    try {
      const connection = new Connection(net.rpcUrl, 'confirmed');
      const payer = Keypair.generate();
      await connection.requestAirdrop(payer.publicKey, LAMPORTS_PER_SOL);
      // Hold the next fsync back.
      const ledger = (net.node as unknown as { ledger: { append(r: unknown): Promise<void> } }).ledger;
      const append = ledger.append.bind(ledger);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      ledger.append = async (r: unknown) => {
        await held;
        return append(r);
      };
      const { blockhash } = await connection.getLatestBlockhash();
      const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
        SystemProgram.transfer({
          fromPubkey: payer.publicKey,
          toPubkey: Keypair.generate().publicKey,
          lamports: 1_000_000,
        }),
      );
      tx.sign(payer);
      const signature = bs58.encode(tx.signature!);
      let answered = false;
      const send = connection.sendRawTransaction(tx.serialize()).then((s) => ((answered = true), s));
      await new Promise((r) => setTimeout(r, 300));
      expect(answered, 'answered before the record was durable').to.equal(false);
      expect((await connection.getSignatureStatus(signature)).value).to.equal(null);
      expect(await connection.getTransaction(signature, { maxSupportedTransactionVersion: 0 })).to.equal(null);
      release();
      expect(await send).to.equal(signature);
      expect((await connection.getSignatureStatus(signature)).value?.err).to.equal(null);
    } finally {
      await net.close();
    }
  });

  it('a torn last WAL record is cut off and the records before it are kept', async () => {
    const dir = tempLedger('torn');
    type R = { seq: number; v: string };
    const { ledger } = Ledger.open<R, unknown>(dir);
    for (let i = 0; i < 5; i++) await ledger.append({ seq: ledger.nextSeq(), v: `r${i}` });
    await ledger.close();
    const wal = fs.readdirSync(dir).find((f) => f.startsWith('wal-'))!;
    const file = path.join(dir, wal);
    const full = fs.readFileSync(file);
    // A crash in the middle of a write: a sixth frame, length and checksum written, body cut.
    const frame = Buffer.alloc(8 + 40);
    frame.writeUInt32LE(200, 0);
    fs.appendFileSync(file, frame);
    let reopened = Ledger.open<R, unknown>(dir);
    expect(reopened.restored.records.map((r) => r.v)).to.deep.equal(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(reopened.restored.truncatedBytes).to.equal(48);
    expect(fs.statSync(file).size).to.equal(full.length);
    await reopened.ledger.close();
    // A flipped bit in the last record fails its checksum: that record goes, the rest stays.
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 3] ^= 0x01;
    fs.writeFileSync(file, bytes);
    reopened = Ledger.open<R, unknown>(dir);
    expect(reopened.restored.records.map((r) => r.v)).to.deep.equal(['r0', 'r1', 'r2', 'r3']);
    await reopened.ledger.close();
  });
});
