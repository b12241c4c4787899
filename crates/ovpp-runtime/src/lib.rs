//! `ovpp-runtime`: a Node.js addon (napi-rs) that runs a real Solana bank in-process, with
//! the OpenVPP programs compiled natively and SPL Token / Token-2022 / ATA / Memo as their
//! SBF binaries. The API follows bankrun and LiteSVM: send or simulate a serialized
//! transaction, get and set accounts, read and warp the clock. `index.js` wraps it with
//! `@solana/web3.js` types.
#![deny(clippy::all)]

use std::str::FromStr;

use napi::bindgen_prelude::{BigInt, Buffer};
use napi::{Error, Result, Status};
use napi_derive::napi;
use solana_program_test::{tokio, ProgramTestContext};
use solana_sdk::account::{Account, AccountSharedData};
use solana_sdk::clock::Clock;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::rent::Rent;
use solana_sdk::signature::Signer;
use solana_sdk::transaction::{TransactionError, VersionedTransaction};

fn invalid(msg: impl std::fmt::Display) -> Error {
    Error::new(Status::InvalidArg, msg.to_string())
}

fn pubkey(s: &str) -> Result<Pubkey> {
    Pubkey::from_str(s).map_err(|e| invalid(format!("invalid public key {s:?}: {e}")))
}

fn u64_of(n: &BigInt, what: &str) -> Result<u64> {
    let (signed, value, lossless) = n.get_u64();
    if signed || !lossless {
        return Err(invalid(format!("{what} must be a u64")));
    }
    Ok(value)
}

/// An account as JS sees it.
#[napi(object)]
pub struct RuntimeAccount {
    pub lamports: BigInt,
    pub data: Buffer,
    /// Base58 program id.
    pub owner: String,
    pub executable: bool,
    pub rent_epoch: BigInt,
}

/// Why a transaction failed.
#[napi(object)]
pub struct TransactionFailure {
    /// `TransactionError` variant, e.g. `InstructionError`, `AlreadyProcessed`.
    pub kind: String,
    /// Failing instruction, for `InstructionError`.
    pub instruction_index: Option<u32>,
    /// `Custom(code)` of the failing instruction (Anchor: 6000+ program, 2000-4100 framework).
    pub custom_code: Option<u32>,
    /// Human-readable error.
    pub message: String,
}

/// Result of sending or simulating a transaction.
#[napi(object)]
pub struct TransactionOutcome {
    /// Base58 first signature.
    pub signature: String,
    pub logs: Vec<String>,
    /// What natively hosted programs printed with `msg!` (on a validator these are
    /// `Program log:` lines; off-chain `solana-msg` writes them to stdout, captured here).
    pub program_output: Vec<String>,
    pub compute_units_consumed: BigInt,
    pub return_data: Option<Buffer>,
    /// `None` on success.
    pub err: Option<TransactionFailure>,
}

#[napi(object)]
pub struct RuntimeClock {
    pub slot: BigInt,
    pub epoch_start_timestamp: i64,
    pub epoch: BigInt,
    pub leader_schedule_epoch: BigInt,
    pub unix_timestamp: i64,
}

/// The aggregate of a Switchboard on-demand pull feed (18-decimal fixed point).
#[napi(object)]
pub struct SwitchboardResult {
    /// Median value, e.g. USD per kWh * 1e18.
    pub value: BigInt,
    /// Standard deviation, same scale.
    pub std_dev: BigInt,
    pub num_samples: u32,
    /// Slot the result landed in.
    pub slot: BigInt,
}

#[napi(object)]
pub struct ProgramInfo {
    pub name: String,
    pub program_id: String,
}

/// Drives `fut` to completion on a short-lived worker thread rather than on Node's main
/// thread. Executing SBF programs (JIT code) on the main thread corrupts V8's heap when an SBF
/// program performs CPI (seen as `std::bad_alloc` in V8's GC right after an ATA creation);
/// the same work on a plain thread is clean under valgrind and in the Rust tests.
fn run<F>(rt: &tokio::runtime::Runtime, fut: F) -> F::Output
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("ovpp-runtime".into())
            .stack_size(16 << 20)
            .spawn_scoped(s, || rt.block_on(fut))
            .expect("spawn runtime worker thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// A wire-format (legacy or v0) transaction and its first signature in base58.
fn decode_transaction(bytes: &[u8]) -> Result<(VersionedTransaction, String)> {
    let tx: VersionedTransaction =
        bincode::deserialize(bytes).map_err(|e| invalid(format!("bad transaction: {e}")))?;
    let signature = tx
        .signatures
        .first()
        .map(|s| s.to_string())
        .unwrap_or_default();
    Ok((tx, signature))
}

/// Runs `f` with the process stdout captured, returning its lines with `f`'s result.
fn capture_stdout<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    use std::io::{Read, Write};
    let _ = std::io::stdout().flush();
    let Ok(mut redirect) = gag::BufferRedirect::stdout() else {
        return (f(), Vec::new());
    };
    let value = f();
    let _ = std::io::stdout().flush();
    let mut text = String::new();
    let _ = redirect.read_to_string(&mut text);
    drop(redirect);
    (value, text.lines().map(str::to_string).collect())
}

fn failure(err: TransactionError) -> TransactionFailure {
    let (instruction_index, custom_code) = match &err {
        TransactionError::InstructionError(
            i,
            solana_sdk::instruction::InstructionError::Custom(c),
        ) => (Some(u32::from(*i)), Some(*c)),
        TransactionError::InstructionError(i, _) => (Some(u32::from(*i)), None),
        _ => (None, None),
    };
    let debug = format!("{err:?}");
    let kind = debug
        .split(['(', ' '])
        .next()
        .unwrap_or_default()
        .to_string();
    TransactionFailure {
        kind,
        instruction_index,
        custom_code,
        message: err.to_string(),
    }
}

/// One in-process Solana runtime. Not thread-safe; one per test file or demo.
#[napi]
pub struct NativeRuntime {
    /// `None` once closed. Declared before `rt` so it is dropped inside the runtime.
    ctx: Option<ProgramTestContext>,
    rt: tokio::runtime::Runtime,
}

impl Drop for NativeRuntime {
    fn drop(&mut self) {
        // The banks server and PoH tasks live on `rt`: tear them down from inside it, before
        // the runtime itself goes (JS may finalize this object at any point).
        if let Some(ctx) = self.ctx.take() {
            let _guard = self.rt.enter();
            drop(ctx);
        }
    }
}

impl NativeRuntime {
    /// The live context and the tokio runtime it runs on (disjoint borrows).
    fn parts(&mut self) -> Result<(&mut ProgramTestContext, &tokio::runtime::Runtime)> {
        let rt = &self.rt;
        let ctx = self
            .ctx
            .as_mut()
            .ok_or_else(|| Error::new(Status::GenericFailure, "runtime is closed"))?;
        Ok((ctx, rt))
    }
}

#[napi]
impl NativeRuntime {
    /// Boots a bank with every OpenVPP program and the SPL programs.
    #[napi(factory)]
    pub fn start() -> Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::from_reason(e.to_string()))?;
        let ctx = run(
            &rt,
            ovpp_program_test::start(ovpp_program_test::program_test()),
        );
        Ok(NativeRuntime { ctx: Some(ctx), rt })
    }

    /// Frees the bank now instead of at garbage collection; later calls fail.
    #[napi]
    pub fn close(&mut self) {
        if let Some(ctx) = self.ctx.take() {
            let _guard = self.rt.enter();
            drop(ctx);
        }
    }

    /// The native programs hosted by this runtime.
    #[napi]
    pub fn programs(&self) -> Vec<ProgramInfo> {
        ovpp_program_test::programs()
            .into_iter()
            .map(|(name, id)| ProgramInfo {
                name: name.to_string(),
                program_id: id.to_string(),
            })
            .collect()
    }

    /// 64-byte secret key of the funded fee payer.
    #[napi]
    pub fn payer_secret_key(&mut self) -> Result<Buffer> {
        let (ctx, _) = self.parts()?;
        Ok(ctx.payer.to_bytes().to_vec().into())
    }

    #[napi]
    pub fn payer(&mut self) -> Result<String> {
        let (ctx, _) = self.parts()?;
        Ok(ctx.payer.pubkey().to_string())
    }

    /// The bank's latest blockhash (the simulated PoH registers one every ~6.4 ms; a
    /// blockhash is accepted for 150 of them).
    #[napi]
    pub fn latest_blockhash(&mut self) -> Result<String> {
        let (ctx, rt) = self.parts()?;
        let hash = rt
            .block_on(ctx.banks_client.get_latest_blockhash())
            .map_err(|e| Error::from_reason(e.to_string()))?;
        ctx.last_blockhash = hash;
        Ok(hash.to_string())
    }

    /// Waits (a few ms) for a new blockhash, so an identical transaction can be sent again.
    #[napi]
    pub fn expire_blockhash(&mut self) -> Result<String> {
        let (ctx, rt) = self.parts()?;
        Ok(rt
            .block_on(ovpp_program_test::fresh_blockhash(ctx))
            .to_string())
    }

    /// Verifies signatures, executes a wire-format (legacy or v0) transaction and commits it.
    #[napi]
    pub fn send_transaction(&mut self, tx: Buffer) -> Result<TransactionOutcome> {
        let (ctx, rt) = self.parts()?;
        let (tx, signature) = decode_transaction(&tx)?;
        // The banks server trusts its callers' signatures; a validator does not. Check them
        // here so a forged or missing signature fails as it would on a cluster.
        if tx.verify_with_results().iter().any(|valid| !valid) {
            return Ok(TransactionOutcome {
                signature,
                logs: Vec::new(),
                program_output: Vec::new(),
                compute_units_consumed: BigInt::from(0u64),
                return_data: None,
                err: Some(failure(TransactionError::SignatureFailure)),
            });
        }
        let client = &mut ctx.banks_client;
        let (result, program_output) =
            capture_stdout(|| run(rt, client.process_transaction_with_metadata(tx)));
        let result = result.map_err(|e| Error::from_reason(e.to_string()))?;
        let (logs, units, return_data) = match result.metadata {
            Some(m) => (m.log_messages, m.compute_units_consumed, m.return_data),
            None => (Vec::new(), 0, None),
        };
        Ok(TransactionOutcome {
            signature,
            logs,
            program_output,
            compute_units_consumed: BigInt::from(units),
            return_data: return_data.map(|r| r.data.into()),
            err: result.result.err().map(failure),
        })
    }

    /// Executes a transaction without committing it.
    #[napi]
    pub fn simulate_transaction(&mut self, tx: Buffer) -> Result<TransactionOutcome> {
        let (ctx, rt) = self.parts()?;
        let (tx, signature) = decode_transaction(&tx)?;
        let client = &mut ctx.banks_client;
        let (sim, program_output) = capture_stdout(|| run(rt, client.simulate_transaction(tx)));
        let sim = sim.map_err(|e| Error::from_reason(e.to_string()))?;
        let details = sim.simulation_details;
        Ok(TransactionOutcome {
            signature,
            logs: details.as_ref().map(|d| d.logs.clone()).unwrap_or_default(),
            program_output,
            compute_units_consumed: BigInt::from(details.as_ref().map_or(0, |d| d.units_consumed)),
            return_data: details.and_then(|d| d.return_data).map(|r| r.data.into()),
            err: sim.result.and_then(|r| r.err()).map(failure),
        })
    }

    #[napi]
    pub fn get_account(&mut self, address: String) -> Result<Option<RuntimeAccount>> {
        let (ctx, rt) = self.parts()?;
        let key = pubkey(&address)?;
        let client = &mut ctx.banks_client;
        let account = rt
            .block_on(client.get_account(key))
            .map_err(|e| Error::from_reason(e.to_string()))?;
        Ok(account.map(|a| RuntimeAccount {
            lamports: BigInt::from(a.lamports),
            data: a.data.into(),
            owner: a.owner.to_string(),
            executable: a.executable,
            rent_epoch: BigInt::from(a.rent_epoch),
        }))
    }

    /// Writes an account directly (fixtures such as oracle feeds).
    #[napi]
    pub fn set_account(&mut self, address: String, account: RuntimeAccount) -> Result<()> {
        let (ctx, _) = self.parts()?;
        let key = pubkey(&address)?;
        let account = Account {
            lamports: u64_of(&account.lamports, "lamports")?,
            data: account.data.to_vec(),
            owner: pubkey(&account.owner)?,
            executable: account.executable,
            rent_epoch: u64_of(&account.rent_epoch, "rentEpoch")?,
        };
        ctx.set_account(&key, &AccountSharedData::from(account));
        Ok(())
    }

    /// Writes a Switchboard on-demand pull-feed account (the real `PullFeedAccountData`
    /// layout, discriminator and owner) carrying `result`.
    #[napi]
    pub fn set_switchboard_feed(
        &mut self,
        address: String,
        result: SwitchboardResult,
    ) -> Result<()> {
        let key = pubkey(&address)?;
        let i128_of = |n: &BigInt, what: &str| -> Result<i128> {
            let (v, lossless) = n.get_i128();
            if lossless {
                Ok(v)
            } else {
                Err(invalid(format!("{what} must fit in i128")))
            }
        };
        let feed = ovpp_program_test::switchboard::FeedResult {
            value: i128_of(&result.value, "value")?,
            std_dev: i128_of(&result.std_dev, "stdDev")?,
            num_samples: u8::try_from(result.num_samples)
                .map_err(|_| invalid("numSamples must be a u8"))?,
            slot: u64_of(&result.slot, "slot")?,
        };
        let (ctx, _) = self.parts()?;
        let account = ovpp_program_test::switchboard::feed_account(feed);
        ctx.set_account(&key, &AccountSharedData::from(account));
        Ok(())
    }

    /// Funds an address from the payer with a system transfer.
    #[napi]
    pub fn airdrop(&mut self, address: String, lamports: BigInt) -> Result<TransactionOutcome> {
        let to = pubkey(&address)?;
        let lamports = u64_of(&lamports, "lamports")?;
        let blockhash = self.latest_blockhash()?;
        let (ctx, _) = self.parts()?;
        let payer = &ctx.payer;
        let ix = solana_system_interface::instruction::transfer(&payer.pubkey(), &to, lamports);
        let tx = solana_sdk::transaction::Transaction::new_signed_with_payer(
            &[ix],
            Some(&payer.pubkey()),
            &[payer],
            solana_sdk::hash::Hash::from_str(&blockhash).map_err(invalid)?,
        );
        let bytes = bincode::serialize(&tx).map_err(|e| Error::from_reason(e.to_string()))?;
        self.send_transaction(bytes.into())
    }

    #[napi]
    pub fn get_clock(&mut self) -> Result<RuntimeClock> {
        let (ctx, rt) = self.parts()?;
        let client = &mut ctx.banks_client;
        let clock: Clock = rt
            .block_on(client.get_sysvar())
            .map_err(|e| Error::from_reason(e.to_string()))?;
        Ok(RuntimeClock {
            slot: BigInt::from(clock.slot),
            epoch_start_timestamp: clock.epoch_start_timestamp,
            epoch: BigInt::from(clock.epoch),
            leader_schedule_epoch: BigInt::from(clock.leader_schedule_epoch),
            unix_timestamp: clock.unix_timestamp,
        })
    }

    #[napi]
    pub fn set_clock(&mut self, clock: RuntimeClock) -> Result<()> {
        let (ctx, _) = self.parts()?;
        let clock = Clock {
            slot: u64_of(&clock.slot, "slot")?,
            epoch_start_timestamp: clock.epoch_start_timestamp,
            epoch: u64_of(&clock.epoch, "epoch")?,
            leader_schedule_epoch: u64_of(&clock.leader_schedule_epoch, "leaderScheduleEpoch")?,
            unix_timestamp: clock.unix_timestamp,
        };
        ctx.set_sysvar(&clock);
        Ok(())
    }

    /// Sets the clock sysvar's slot (LiteSVM semantics) and expires the blockhash. Programs see
    /// the new slot; the bank does not replay the skipped slots. (`solana-program-test`'s own
    /// `warp_to_slot` recomputes the full accounts hash on every warp, which is slow and opens
    /// one cache file per chunk of storages.)
    #[napi]
    pub fn warp_to_slot(&mut self, slot: BigInt) -> Result<()> {
        let (ctx, rt) = self.parts()?;
        let slot = u64_of(&slot, "slot")?;
        let client = &mut ctx.banks_client;
        let mut clock: Clock = rt
            .block_on(client.get_sysvar())
            .map_err(|e| Error::from_reason(e.to_string()))?;
        if slot < clock.slot {
            return Err(invalid(format!(
                "cannot warp back from slot {} to {slot}",
                clock.slot
            )));
        }
        clock.slot = slot;
        ctx.set_sysvar(&clock);
        run(rt, ovpp_program_test::fresh_blockhash(ctx));
        Ok(())
    }

    #[napi]
    pub fn minimum_balance_for_rent_exemption(&mut self, data_len: u32) -> Result<BigInt> {
        let (ctx, rt) = self.parts()?;
        let client = &mut ctx.banks_client;
        let rent: Rent = rt
            .block_on(client.get_rent())
            .map_err(|e| Error::from_reason(e.to_string()))?;
        Ok(BigInt::from(rent.minimum_balance(data_len as usize)))
    }
}
