// The fee-payer relayer: owners need no SOL. It cosigns, as fee payer, transactions whose every
// instruction is an OpenVPP owner action signed by the session's owner (allowlist by program id
// and Anchor discriminator, the owner in the action's signer slot; ComputeBudget and idempotent
// creation of the owner's own USDE / unit / USDC token accounts allowed). It also forwards fully
// signed transactions the session's own key pays for, when every instruction is OpenVPP's.
//
// Rent: the owner actions that create an account (member_register, enrollment_request,
// mandate_create, the owner's own token accounts) may name the relayer as their rent payer —
// only in that instruction's payer slot (by account index, from the IDL; the ATA program's
// funding account), nowhere else: in any other slot, or in any other instruction, its key is
// refused (RelayNotOwnerAction), so no instruction can move its lamports otherwise. Each created
// account's rent-exempt deposit (the cluster's default rent: (128 + size) x 6,960 lamports) is
// reserved before sending, then counted as the account actually created (nothing for one that
// already existed or a failed transaction), against the global spend cap of the window AND a
// per-owner rent budget per day.
//
// Where that rent goes later: a mandate closes on mandate_revoke with `close = owner`, so the
// deposit the relayer paid is refunded to the OWNER; an owner may also close their own token
// accounts (token program CloseAccount, to any destination). A create/close loop therefore moves
// the relayer's lamports to the owner. Decision: count it, not refuse it — revoking a mandate is
// an owner's right the relayer must keep paying for (and the refund cannot be redirected: the
// program fixes `close = owner`). Every create is counted when made, so one owner's loop is
// bounded by the per-owner daily rent budget and all owners' together by the spend cap
// (429 RelaySpendCapReached either way), plus the rate limits.
//
// Per-owner and global rate limits and the lamport spend cap per window bound what the fee payer
// can lose. Every refusal is named; nothing refused is sent.
import {
  ComputeBudgetProgram,
  Keypair,
  PublicKey,
  VersionedTransaction,
  type MessageCompiledInstruction,
} from '@solana/web3.js';
import { ASSOCIATED_TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID, getAssociatedTokenAddressSync } from '@solana/spl-token';

import {
  HOOK_PROGRAM_ID,
  PAYMENTS_PROGRAM_ID,
  REGISTRY_PROGRAM_ID,
  ROUTING_PROGRAM_ID,
  findUnitMintPda,
  findUsdeMintPda,
} from '@openvpp/sdk/web3';
import { payments, registry, routing } from '@openvpp/sdk';
import paymentsIdl from '@openvpp/sdk/idl/ovpp_payments.json';
import registryIdl from '@openvpp/sdk/idl/ovpp_registry.json';
import routingIdl from '@openvpp/sdk/idl/ovpp_routing.json';

import { HttpError } from './errors';
import { verifyWalletSignature } from './sessions';

/** Lamports per signature (the base fee). */
export const LAMPORTS_PER_SIGNATURE = 5_000;
/** Compute units the runtime budgets per instruction when no limit is set. */
const DEFAULT_UNITS_PER_INSTRUCTION = 200_000;
const MAX_UNITS = 1_400_000;

interface IdlInstruction {
  name: string;
  discriminator: number[];
  accounts: { name: string; signer?: boolean }[];
}

/**
 * Rent-exempt minimum of an account of `size` bytes under the cluster's default rent
 * (3,480 lamports per byte-year, two years, 128 bytes of account overhead).
 */
export const rentExempt = (size: number): number => (128 + size) * 6_960;

/** An owner action's account that it creates (with the relayer as rent payer): its IDL name and size. */
const CREATES: Record<string, { account: string; size: number }> = {
  member_register: { account: 'member', size: registry.getMemberSize() },
  enrollment_request: { account: 'enrollment', size: routing.getEnrollmentSize() },
  mandate_create: { account: 'mandate', size: payments.getMandateSize() },
};
/** Upper bound of a token account's size (Token-2022 with its extensions); the count is corrected after sending. */
const TOKEN_ACCOUNT_BOUND = 300;

/** Owner actions: instruction name -> the signer account that must be the session's owner. */
const OWNER_ACTIONS: [PublicKey, { instructions: IdlInstruction[] }, Record<string, string>][] = [
  [
    REGISTRY_PROGRAM_ID,
    registryIdl as { instructions: IdlInstruction[] },
    {
      device_claim: 'new_owner',
      device_owner_transfer: 'owner',
      device_transfer_cancel: 'owner',
      member_register: 'owner',
    },
  ],
  [ROUTING_PROGRAM_ID, routingIdl as { instructions: IdlInstruction[] }, { enrollment_request: 'requester' }],
  [
    PAYMENTS_PROGRAM_ID,
    paymentsIdl as { instructions: IdlInstruction[] },
    {
      mandate_create: 'owner',
      mandate_revoke: 'owner',
      usde_wrap: 'user',
      usde_unwrap: 'user',
      unit_buy: 'user',
      unit_sell: 'user',
    },
  ],
];

interface Action {
  name: string;
  /** Index of the owner's account among the instruction's accounts. */
  ownerIndex: number;
  /** Index of the rent payer's account (the only slot the relayer may take), if the action creates one. */
  payerIndex?: number;
  /** Index and size of the account it creates. */
  creates?: { index: number; size: number };
}

/** program id -> discriminator (hex) -> action. */
const ALLOWLIST = new Map<string, Map<string, Action>>();
for (const [programId, idl, actions] of OWNER_ACTIONS) {
  const byDisc = new Map<string, Action>();
  for (const [name, signer] of Object.entries(actions)) {
    const ix = idl.instructions.find((i) => i.name === name);
    const ownerIndex = ix?.accounts.findIndex((a) => a.name === signer) ?? -1;
    if (!ix || ownerIndex < 0) throw new Error(`relayer allowlist: ${name}.${signer} is not in the IDL`);
    const action: Action = { name, ownerIndex };
    const created = CREATES[name];
    if (created) {
      action.payerIndex = ix.accounts.findIndex((a) => a.name === 'payer');
      const index = ix.accounts.findIndex((a) => a.name === created.account);
      if (action.payerIndex < 0 || index < 0)
        throw new Error(`relayer allowlist: ${name} has no payer or ${created.account}`);
      action.creates = { index, size: created.size };
    }
    byDisc.set(Buffer.from(ix.discriminator).toString('hex'), action);
  }
  ALLOWLIST.set(programId.toBase58(), byDisc);
}
const OPENVPP_PROGRAMS = new Set(
  [REGISTRY_PROGRAM_ID, ROUTING_PROGRAM_ID, PAYMENTS_PROGRAM_ID, HOOK_PROGRAM_ID].map((p) => p.toBase58()),
);
const COMPUTE_BUDGET = ComputeBudgetProgram.programId.toBase58();
const ATA_PROGRAM = ASSOCIATED_TOKEN_PROGRAM_ID.toBase58();
/** The mints (Token-2022) whose associated accounts an owner may create through the relayer. */
const OWNER_MINTS = [findUsdeMintPda()[0], findUnitMintPda({ kind: 'kwh' })[0], findUnitMintPda({ kind: 'co2Kg' })[0]];

export interface RelayLimits {
  /** Relayed transactions per owner per minute (default 10). */
  perOwnerPerMinute: number;
  /** Relayed transactions per minute, all owners (default 120). */
  globalPerMinute: number;
  /** Lamports (fees and rent deposits) the fee payer may spend per window (default 0.5 SOL). */
  spendCapLamports: number;
  /** The spend window, seconds (default one day). */
  spendWindowSecs: number;
  /** Highest compute-unit price accepted, micro-lamports (default 100,000). */
  maxComputeUnitPrice: number;
  /** Rent deposits the relayer pays per owner per day, lamports (default 0.02 SOL: about one onboarding). */
  rentPerOwnerPerDay: number;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  perOwnerPerMinute: 10,
  globalPerMinute: 120,
  spendCapLamports: 500_000_000,
  spendWindowSecs: 86_400,
  maxComputeUnitPrice: 100_000,
  rentPerOwnerPerDay: 20_000_000,
};

export const notOwnerAction = (why: string) =>
  new HttpError(400, 'RelayNotOwnerAction', `the relayer only pays for OpenVPP owner actions: ${why}`);

/** A transaction checked for relaying: what the fee payer would spend. */
export interface Checked {
  tx: VersionedTransaction;
  /** Whether the relayer pays (and must sign). */
  sponsored: boolean;
  fee: number;
  actions: string[];
  /** Accounts created with the relayer as rent payer, and the most rent each may cost. */
  rent: { account: PublicKey; bound: number }[];
}

/** Sliding one-minute window counter. */
class Window {
  private readonly times: number[] = [];
  count(now: number): number {
    while (this.times.length && this.times[0] <= now - 60_000) this.times.shift();
    return this.times.length;
  }
  add(now: number) {
    this.times.push(now);
  }
  retryAfter(now: number): number {
    return this.times.length ? Math.max(1, Math.ceil((this.times[0] + 60_000 - now) / 1000)) : 1;
  }
}

export class Relayer {
  readonly limits: RelayLimits;
  private readonly perOwner = new Map<string, Window>();
  private readonly global = new Window();
  private spent = 0;
  private windowStart = 0;
  /** Rent deposits paid per owner in their current day. */
  private readonly rentByOwner = new Map<string, { start: number; spent: number }>();

  constructor(
    readonly feePayer: Keypair,
    limits: Partial<RelayLimits> = {},
    private readonly clockMs: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_RELAY_LIMITS, ...limits };
  }

  /** Lamports spent in the current window. */
  spentInWindow(): number {
    this.roll();
    return this.spent;
  }

  private roll() {
    const now = this.clockMs();
    if (now - this.windowStart >= this.limits.spendWindowSecs * 1000) {
      this.windowStart = now;
      this.spent = 0;
    }
  }

  /** Whether `mint` under `tokenProgram` is one whose associated account an owner may create through the relayer. */
  private ownerMint(mint: PublicKey, tokenProgram: PublicKey): boolean {
    if (tokenProgram.equals(TOKEN_2022_PROGRAM_ID) && OWNER_MINTS.some((m) => m.equals(mint))) return true;
    return !!this.usdc && this.usdc.mint.equals(mint) && this.usdc.tokenProgram.equals(tokenProgram);
  }

  /** USDC (the payments config's mint): owners may create their own USDC account too (to unwrap into). */
  private usdc: { mint: PublicKey; tokenProgram: PublicKey } | null = null;
  setUsdc(usdc: { mint: PublicKey; tokenProgram: PublicKey } | null): void {
    this.usdc = usdc;
  }

  /** Rent the owner's day has paid so far (the day starts at their first rent payment). */
  rentSpent(owner: string): number {
    const r = this.rentByOwner.get(owner);
    return r && this.clockMs() - r.start < 86_400_000 ? r.spent : 0;
  }

  /** Decodes and checks `wire` (base64) for `owner`'s session; throws the named refusal. */
  check(wire: string, owner: string): Checked {
    let tx: VersionedTransaction;
    try {
      tx = VersionedTransaction.deserialize(Buffer.from(wire, 'base64'));
    } catch (e) {
      throw new HttpError(
        400,
        'InvalidTransaction',
        `\`transaction\` is not a wire transaction (base64): ${(e as Error).message}`,
      );
    }
    const msg = tx.message;
    if (msg.addressTableLookups.length > 0) throw notOwnerAction('address lookup tables are not accepted');
    const keys = msg.staticAccountKeys;
    const relayer = this.feePayer.publicKey;
    const feePayer = keys[0];
    const ownerKey = new PublicKey(owner);
    const sponsored = feePayer.equals(relayer);
    if (!sponsored && !feePayer.equals(ownerKey)) {
      throw new HttpError(
        403,
        'RelaySignerMismatch',
        "the fee payer is neither the relayer nor the session's own key: sign in as the owner of this transaction",
      );
    }
    const signers = keys.slice(0, msg.header.numRequiredSignatures);
    const relayerIndex = keys.findIndex((k) => k.equals(relayer));
    if (sponsored) {
      // Exactly the relayer and the owner sign: no other key's action rides on the relayer's fee.
      if (signers.length !== 2 || !signers[1].equals(ownerKey)) {
        throw new HttpError(
          403,
          'RelaySignerMismatch',
          "a relayed transaction is signed by exactly two keys: the relayer (fee payer) and the session's owner",
        );
      }
    } else if (relayerIndex >= 0) {
      throw notOwnerAction('the relayer key appears in a transaction it does not pay for');
    }

    const actions: string[] = [];
    const rent: Checked['rent'] = [];
    let unitPrice = 0;
    let unitLimit: number | undefined;
    let counted = 0;
    msg.compiledInstructions.forEach((ix: MessageCompiledInstruction, n) => {
      const program = keys[ix.programIdIndex].toBase58();
      const data = Buffer.from(ix.data);
      const acct = (i: number) => keys[ix.accountKeyIndexes[i]];
      /** The relayer may be this instruction's account `slot` (its rent payer) and no other. */
      const relayerOnlyAt = (slot: number | undefined): boolean => {
        if (relayerIndex < 0) return false;
        const at = ix.accountKeyIndexes.flatMap((k, i) => (k === relayerIndex ? [i] : []));
        if (at.length === 0) return false;
        if (!sponsored || slot === undefined || at.length !== 1 || at[0] !== slot) {
          throw notOwnerAction(
            `instruction ${n} names the relayer's key as an account other than an owner action's rent payer`,
          );
        }
        return true;
      };
      if (program === COMPUTE_BUDGET) {
        relayerOnlyAt(undefined);
        if (data[0] === 2 && data.length === 5) unitLimit = data.readUInt32LE(1);
        else if (data[0] === 3 && data.length === 9) unitPrice = Number(data.readBigUInt64LE(1));
        else throw notOwnerAction(`instruction ${n}: only SetComputeUnitLimit / SetComputeUnitPrice are accepted`);
        actions.push('compute_budget');
        return;
      }
      counted++;
      if (program === ATA_PROGRAM) {
        // Accounts: funding (rent payer), the associated account, its wallet, mint, system, token program.
        const relayerPays = relayerOnlyAt(0);
        const mint = ix.accountKeyIndexes.length === 6 ? acct(3) : null;
        const tokenProgram = ix.accountKeyIndexes.length === 6 ? acct(5) : null;
        const ok =
          mint !== null &&
          tokenProgram !== null &&
          data.length === 1 &&
          data[0] === 1 &&
          (relayerPays || acct(0).equals(ownerKey)) &&
          acct(2).equals(ownerKey) &&
          this.ownerMint(mint, tokenProgram) &&
          getAssociatedTokenAddressSync(mint, ownerKey, true, tokenProgram).equals(acct(1));
        if (!ok) {
          throw notOwnerAction(`instruction ${n}: only idempotent creation of your own USDE / unit / USDC accounts`);
        }
        if (relayerPays) rent.push({ account: acct(1), bound: rentExempt(TOKEN_ACCOUNT_BOUND) });
        actions.push('ata_create_idempotent');
        return;
      }
      if (!OPENVPP_PROGRAMS.has(program))
        throw notOwnerAction(`instruction ${n} calls ${program}, not an OpenVPP program`);
      if (!sponsored) {
        actions.push('openvpp');
        return;
      }
      const action = ALLOWLIST.get(program)?.get(data.subarray(0, 8).toString('hex'));
      if (!action) throw notOwnerAction(`instruction ${n} is not an owner action (see GET /v1/relay for the list)`);
      const signer = keys[ix.accountKeyIndexes[action.ownerIndex] ?? -1];
      if (!signer?.equals(ownerKey)) {
        throw new HttpError(
          403,
          'RelaySignerMismatch',
          `instruction ${n} (${action.name}) acts for another owner: sign in as that owner`,
        );
      }
      if (relayerOnlyAt(action.payerIndex) && action.creates) {
        const created = keys[ix.accountKeyIndexes[action.creates.index] ?? -1];
        if (!created) throw notOwnerAction(`instruction ${n} (${action.name}) lacks its accounts`);
        rent.push({ account: created, bound: rentExempt(action.creates.size) });
      }
      actions.push(action.name);
    });
    if (counted === 0) throw notOwnerAction('the transaction does nothing');
    if (unitPrice > this.limits.maxComputeUnitPrice) {
      throw notOwnerAction(`a compute-unit price above ${this.limits.maxComputeUnitPrice} micro-lamports`);
    }

    // Every signature but the relayer's must be present and valid before the relayer adds its own.
    const message = Buffer.from(msg.serialize());
    signers.forEach((k, i) => {
      if (sponsored && i === 0) return;
      const sig = Buffer.from(tx.signatures[i] ?? []);
      if (sig.every((b) => b === 0) || !verifyWalletSignature(k.toBase58(), message, sig)) {
        throw new HttpError(400, 'RelayMissingSignature', `the signature of ${k.toBase58()} is missing or invalid`);
      }
    });
    const units = Math.min(unitLimit ?? DEFAULT_UNITS_PER_INSTRUCTION * counted, MAX_UNITS);
    const fee = LAMPORTS_PER_SIGNATURE * signers.length + Math.ceil((unitPrice * units) / 1_000_000);
    return { tx, sponsored, fee: sponsored ? fee : 0, actions, rent };
  }

  /**
   * Takes a rate-limit slot and the spend: the fee and `rent` (the most the accounts it creates
   * may cost) against the window's spend cap and the owner's daily rent budget (429
   * `RelayRateLimited` / `RelaySpendCapReached`, nothing taken then). Call right before sending;
   * then `settleRent` with what the accounts really cost.
   */
  admit(owner: string, fee: number, rent = 0): void {
    const now = this.clockMs();
    let w = this.perOwner.get(owner);
    if (!w) {
      if (this.perOwner.size >= 100_000) this.perOwner.clear();
      w = new Window();
      this.perOwner.set(owner, w);
    }
    if (w.count(now) >= this.limits.perOwnerPerMinute) {
      throw rateLimited(
        `at most ${this.limits.perOwnerPerMinute} relayed transactions per owner per minute`,
        w.retryAfter(now),
      );
    }
    if (this.global.count(now) >= this.limits.globalPerMinute) {
      throw rateLimited(
        `the relayer takes at most ${this.limits.globalPerMinute} transactions per minute`,
        this.global.retryAfter(now),
      );
    }
    this.roll();
    if (this.spent + fee + rent > this.limits.spendCapLamports) {
      throw new HttpError(
        429,
        'RelaySpendCapReached',
        `the relayer's spend cap (${this.limits.spendCapLamports} lamports per ${this.limits.spendWindowSecs} s, fees and rent deposits) is reached: retry later or pay your own fee`,
      );
    }
    if (rent > 0 && this.rentSpent(owner) + rent > this.limits.rentPerOwnerPerDay) {
      throw new HttpError(
        429,
        'RelaySpendCapReached',
        `the relayer pays at most ${this.limits.rentPerOwnerPerDay} lamports of rent deposits per owner per day: retry tomorrow or pay the deposit yourself`,
      );
    }
    w.add(now);
    this.global.add(now);
    this.spent += fee + rent;
    if (rent > 0) {
      let r = this.rentByOwner.get(owner);
      if (!r || now - r.start >= 86_400_000) {
        if (this.rentByOwner.size >= 100_000) this.rentByOwner.clear();
        r = { start: now, spent: 0 };
        this.rentByOwner.set(owner, r);
      }
      r.spent += rent;
    }
  }

  /** Corrects a reservation of `reserved` rent to what the created accounts `actual`ly cost (0 if the send failed). */
  settleRent(owner: string, reserved: number, actual: number): void {
    const d = actual - reserved;
    if (d === 0) return;
    this.spent = Math.max(0, this.spent + d);
    const r = this.rentByOwner.get(owner);
    if (r) r.spent = Math.max(0, r.spent + d);
  }

  /** The owner actions the relayer pays for, by program. */
  static allowlist(): Record<string, string[]> {
    return Object.fromEntries(
      [...ALLOWLIST].map(([program, actions]) => [program, [...actions.values()].map((a) => a.name)]),
    );
  }
}

export class RelayRateLimitedError extends HttpError {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(429, 'RelayRateLimited', message);
  }
}
const rateLimited = (why: string, retryAfter: number) =>
  new RelayRateLimitedError(`${why}: retry in ${retryAfter} s`, retryAfter);
