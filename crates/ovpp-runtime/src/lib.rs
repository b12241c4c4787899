//! `ovpp-runtime`: a Node.js addon (napi-rs) that runs a real Solana bank in-process, with
//! the OpenVPP programs compiled natively and SPL Token / Token-2022 / ATA / Memo as their
//! SBF binaries. The API follows bankrun and LiteSVM: send or simulate a serialized
//! transaction, get and set accounts, read and warp the clock. `index.js` wraps it with
//! `@solana/web3.js` types.
#![deny(clippy::all)]

mod capture;
mod sigverify;
mod worker;

use std::str::FromStr;

use napi::bindgen_prelude::{BigInt, Buffer};
use napi::{Error, Result, Status};
use napi_derive::napi;
use solana_program_test::ProgramTestContext;
use solana_sdk::account::{Account, AccountSharedData};
use solana_sdk::clock::Clock;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::rent::Rent;
use solana_sdk::signature::Signer;
use solana_sdk::transaction::{TransactionError, VersionedTransaction};
use solana_sdk::transaction_context::TransactionReturnData;
use worker::Worker;

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
    /// Deprecated: read `logs`. The messages of the `Program log:` lines (native programs'
    /// `msg!` output is now in `logs`, where a validator puts it), plus anything printed to
    /// stdout outside a program during the transaction.
    pub program_output: Vec<String>,
    pub compute_units_consumed: BigInt,
    pub return_data: Option<Buffer>,
    /// Base58 id of the program that set `return_data`.
    pub return_program_id: Option<String>,
    /// `None` on success.
    pub err: Option<TransactionFailure>,
    /// Whether the transaction was executed (so `logs` and units are meaningful); `false` when
    /// it was rejected before execution (unknown blockhash, already processed, bad signature).
    pub executed: bool,
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

/// An SBF program binary to load next to the native programs.
#[napi(object)]
pub struct SbfProgram {
    /// Base58 program id (any address).
    pub program_id: String,
    /// Path of the `.so` (ELF) file.
    pub path: String,
}

/// How to boot a runtime (every field optional).
#[napi(object)]
pub struct StartOptions {
    /// SBF programs loaded from `.so` files, executed (and metered) by the SBF VM.
    pub sbf_programs: Option<Vec<SbfProgram>>,
    /// Compute unit limit per transaction.
    pub compute_max_units: Option<BigInt>,
    /// Maximum number of accounts a transaction may lock.
    pub transaction_account_lock_limit: Option<BigInt>,
    /// Base58 ids of features to deactivate.
    pub deactivate_features: Option<Vec<String>>,
}

/// The rent sysvar's parameters.
#[napi(object)]
pub struct RuntimeRent {
    pub lamports_per_byte_year: BigInt,
    pub exemption_threshold: f64,
    pub burn_percent: u32,
}

/// Where a processed transaction landed.
#[napi(object)]
pub struct RuntimeTransactionStatus {
    pub slot: BigInt,
    pub confirmations: Option<BigInt>,
    /// The transaction error's message, `None` on success.
    pub err: Option<String>,
    /// `processed`, `confirmed` or `finalized`.
    pub confirmation_status: Option<String>,
}

#[napi(object)]
pub struct BlockhashInfo {
    pub blockhash: String,
    pub last_valid_block_height: BigInt,
}

/// The account of an SBF program deployed with the (non-upgradeable) BPF loader v2, as
/// bankrun and `solana-program-test` deploy `.so` files: executable, data = the ELF.
fn sbf_program_account(path: &str) -> Result<Account> {
    let elf = std::fs::read(path)
        .map_err(|e| invalid(format!("cannot read SBF program {path:?}: {e}")))?;
    if !elf.starts_with(b"\x7fELF") {
        return Err(invalid(format!("{path:?} is not an ELF (SBF) file")));
    }
    Ok(Account {
        lamports: Rent::default().minimum_balance(elf.len()).max(1),
        data: elf,
        owner: solana_sdk::bpf_loader::id(),
        executable: true,
        rent_epoch: 0,
    })
}

#[napi(object)]
pub struct ProgramInfo {
    pub name: String,
    pub program_id: String,
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

/// What a send or simulation produced, in plain Rust types (built on the worker thread,
/// converted to JS values on the caller's).
struct Outcome {
    signature: String,
    logs: Vec<String>,
    program_output: Vec<String>,
    units: u64,
    return_data: Option<TransactionReturnData>,
    err: Option<TransactionError>,
    executed: bool,
}

impl From<Outcome> for TransactionOutcome {
    fn from(o: Outcome) -> Self {
        let program_output = o
            .logs
            .iter()
            .filter_map(|l| l.strip_prefix("Program log: "))
            .map(str::to_string)
            .chain(o.program_output)
            .collect();
        TransactionOutcome {
            signature: o.signature,
            logs: o.logs,
            program_output,
            compute_units_consumed: BigInt::from(o.units),
            return_program_id: o.return_data.as_ref().map(|r| r.program_id.to_string()),
            return_data: o.return_data.map(|r| r.data.into()),
            err: o.err.map(failure),
            executed: o.executed,
        }
    }
}

struct PlainAccount(Account);

impl From<PlainAccount> for RuntimeAccount {
    fn from(PlainAccount(a): PlainAccount) -> Self {
        RuntimeAccount {
            lamports: BigInt::from(a.lamports),
            data: a.data.into(),
            owner: a.owner.to_string(),
            executable: a.executable,
            rent_epoch: BigInt::from(a.rent_epoch),
        }
    }
}

fn client_error(e: impl std::fmt::Display) -> Error {
    Error::from_reason(e.to_string())
}

/// Verifies signatures, executes and commits `tx` on the worker thread.
fn send_on(
    ctx: &mut ProgramTestContext,
    rt: &solana_program_test::tokio::runtime::Runtime,
    stdout: &mut capture::StdoutCapture,
    tx: VersionedTransaction,
    signature: String,
) -> Result<Outcome> {
    // The banks server trusts its callers' signatures; a validator does not. Check them
    // here so a forged or missing signature fails as it would on a cluster.
    if !sigverify::signatures_valid(&tx) {
        return Ok(Outcome {
            signature,
            logs: Vec::new(),
            program_output: Vec::new(),
            units: 0,
            return_data: None,
            err: Some(TransactionError::SignatureFailure),
            executed: false,
        });
    }
    let client = &mut ctx.banks_client;
    let (result, program_output) =
        stdout.run(|| rt.block_on(client.process_transaction_with_metadata(tx)));
    let result = result.map_err(client_error)?;
    let executed = result.metadata.is_some();
    let (logs, units, return_data) = match result.metadata {
        Some(m) => (m.log_messages, m.compute_units_consumed, m.return_data),
        None => (Vec::new(), 0, None),
    };
    Ok(Outcome {
        signature,
        logs,
        program_output,
        units,
        return_data,
        err: result.result.err(),
        executed,
    })
}

/// Waits (at most `timeout_ms`) until the banks of closed runtimes are dropped and their
/// temporary directories removed (that happens in the background after `close()`).
#[napi]
pub fn wait_for_closed_runtimes(timeout_ms: u32) {
    worker::wait_for_teardown(std::time::Duration::from_millis(u64::from(timeout_ms)));
}

/// The natively hosted OpenVPP programs (no bank needed).
#[napi]
pub fn native_programs() -> Vec<ProgramInfo> {
    ovpp_host::programs()
        .into_iter()
        .map(|(name, id)| ProgramInfo {
            name: name.to_string(),
            program_id: id.to_string(),
        })
        .collect()
}

/// One in-process Solana runtime: a bank on its own worker thread. Calls block until the
/// worker answers; one runtime per test file or demo.
#[napi]
pub struct NativeRuntime {
    worker: Worker,
}

#[napi]
impl NativeRuntime {
    /// Boots a bank with every OpenVPP program and the SPL programs.
    #[napi(factory)]
    pub fn start() -> Result<Self> {
        Ok(NativeRuntime {
            worker: Worker::start(Box::new(|_| Ok(())))?,
        })
    }

    /// Boots a bank with every OpenVPP program, the SPL programs, and what `options` adds.
    #[napi(factory)]
    pub fn start_with(options: StartOptions) -> Result<Self> {
        let programs = options
            .sbf_programs
            .unwrap_or_default()
            .into_iter()
            .map(|p| Ok((pubkey(&p.program_id)?, sbf_program_account(&p.path)?)))
            .collect::<Result<Vec<_>>>()?;
        let compute_max_units = options
            .compute_max_units
            .map(|n| u64_of(&n, "computeMaxUnits"))
            .transpose()?;
        let lock_limit = options
            .transaction_account_lock_limit
            .map(|n| u64_of(&n, "transactionAccountLockLimit"))
            .transpose()?
            .map(|n| {
                usize::try_from(n).map_err(|_| invalid("transactionAccountLockLimit too large"))
            })
            .transpose()?;
        let features = options
            .deactivate_features
            .unwrap_or_default()
            .iter()
            .map(|f| pubkey(f))
            .collect::<Result<Vec<_>>>()?;
        let configure: worker::Configure = Box::new(move |pt| {
            for (id, account) in programs {
                pt.add_account(id, account);
            }
            if let Some(units) = compute_max_units {
                pt.set_compute_max_units(units);
            }
            if let Some(limit) = lock_limit {
                pt.set_transaction_account_lock_limit(limit);
            }
            for feature in features {
                pt.deactivate_feature(feature);
            }
            Ok(())
        });
        Ok(NativeRuntime {
            worker: Worker::start(configure)?,
        })
    }

    /// Deploys an SBF program from a `.so` file at `programId` (BPF loader v2, like bankrun)
    /// into the running bank; later transactions execute it in the SBF VM, metered.
    #[napi]
    pub fn add_program_from_file(&mut self, program_id: String, path: String) -> Result<()> {
        let key = pubkey(&program_id)?;
        let account = sbf_program_account(&path)?;
        self.worker.call(move |host| {
            host.ctx()?
                .set_account(&key, &AccountSharedData::from(account));
            Ok(())
        })
    }

    /// The latest blockhash and the last block height at which it is still accepted.
    #[napi]
    pub fn latest_blockhash_info(&mut self) -> Result<BlockhashInfo> {
        self.worker.call(|host| {
            let (ctx, rt, _) = host.parts()?;
            let (hash, height) = rt
                .block_on(
                    ctx.banks_client
                        .get_latest_blockhash_with_commitment(Default::default()),
                )
                .map_err(client_error)?
                .ok_or_else(|| Error::from_reason("no blockhash"))?;
            ctx.last_blockhash = hash;
            Ok(BlockhashInfo {
                blockhash: hash.to_string(),
                last_valid_block_height: BigInt::from(height),
            })
        })
    }

    #[napi]
    pub fn block_height(&mut self) -> Result<BigInt> {
        let height = self.worker.call(|host| {
            let (ctx, rt, _) = host.parts()?;
            rt.block_on(ctx.banks_client.get_root_block_height())
                .map_err(client_error)
        })?;
        Ok(BigInt::from(height))
    }

    /// Fee in lamports for a serialized legacy message, or `None` if its blockhash is unknown.
    #[napi]
    pub fn fee_for_message(&mut self, message: Buffer) -> Result<Option<BigInt>> {
        let message: solana_sdk::message::Message =
            bincode::deserialize(&message).map_err(|e| invalid(format!("bad message: {e}")))?;
        let fee = self.worker.call(move |host| {
            let (ctx, rt, _) = host.parts()?;
            rt.block_on(ctx.banks_client.get_fee_for_message(message))
                .map_err(client_error)
        })?;
        Ok(fee.map(BigInt::from))
    }

    /// The rent sysvar.
    #[napi]
    pub fn get_rent(&mut self) -> Result<RuntimeRent> {
        let rent: Rent = self.worker.call(|host| {
            let (ctx, rt, _) = host.parts()?;
            rt.block_on(ctx.banks_client.get_rent())
                .map_err(client_error)
        })?;
        Ok(RuntimeRent {
            lamports_per_byte_year: BigInt::from(rent.lamports_per_byte_year),
            exemption_threshold: rent.exemption_threshold,
            burn_percent: u32::from(rent.burn_percent),
        })
    }

    /// The status of a processed transaction by its first signature (base58), if known.
    #[napi]
    pub fn transaction_status(
        &mut self,
        signature: String,
    ) -> Result<Option<RuntimeTransactionStatus>> {
        let signature = solana_sdk::signature::Signature::from_str(&signature)
            .map_err(|e| invalid(format!("invalid signature {signature:?}: {e}")))?;
        let status = self.worker.call(move |host| {
            let (ctx, rt, _) = host.parts()?;
            rt.block_on(ctx.banks_client.get_transaction_status(signature))
                .map_err(client_error)
        })?;
        Ok(status.map(|s| RuntimeTransactionStatus {
            slot: BigInt::from(s.slot),
            confirmations: s.confirmations.map(|c| BigInt::from(c as u64)),
            err: s.err.map(|e| e.to_string()),
            confirmation_status: s
                .confirmation_status
                .map(|c| format!("{c:?}").to_lowercase()),
        }))
    }

    /// Overwrites the rent sysvar.
    #[napi]
    pub fn set_rent(
        &mut self,
        lamports_per_byte_year: BigInt,
        exemption_threshold: f64,
        burn_percent: u32,
    ) -> Result<()> {
        let rent = Rent {
            lamports_per_byte_year: u64_of(&lamports_per_byte_year, "lamportsPerByteYear")?,
            exemption_threshold,
            burn_percent: u8::try_from(burn_percent)
                .map_err(|_| invalid("burnPercent must be a u8"))?,
        };
        self.worker.call(move |host| {
            host.ctx()?.set_sysvar(&rent);
            Ok(())
        })
    }

    /// Frees the bank and its thread now instead of at garbage collection; later calls fail.
    #[napi]
    pub fn close(&mut self) {
        self.worker.stop();
    }

    /// The native programs hosted by this runtime.
    #[napi]
    pub fn programs(&self) -> Vec<ProgramInfo> {
        native_programs()
    }

    /// 64-byte secret key of the funded fee payer.
    #[napi]
    pub fn payer_secret_key(&mut self) -> Result<Buffer> {
        let bytes = self
            .worker
            .call(|host| Ok(host.ctx()?.payer.to_bytes().to_vec()))?;
        Ok(bytes.into())
    }

    #[napi]
    pub fn payer(&mut self) -> Result<String> {
        self.worker
            .call(|host| Ok(host.ctx()?.payer.pubkey().to_string()))
    }

    /// The bank's latest blockhash (the simulated PoH registers one every ~6.4 ms; a
    /// blockhash is accepted for 150 of them).
    #[napi]
    pub fn latest_blockhash(&mut self) -> Result<String> {
        self.worker.call(|host| {
            let (ctx, rt, _) = host.parts()?;
            let hash = rt
                .block_on(ctx.banks_client.get_latest_blockhash())
                .map_err(client_error)?;
            ctx.last_blockhash = hash;
            Ok(hash.to_string())
        })
    }

    /// Waits (a few ms) for a new blockhash, so an identical transaction can be sent again.
    #[napi]
    pub fn expire_blockhash(&mut self) -> Result<String> {
        self.worker.call(|host| {
            let (ctx, rt, _) = host.parts()?;
            Ok(rt.block_on(ovpp_host::fresh_blockhash(ctx)).to_string())
        })
    }

    /// Verifies signatures, executes a wire-format (legacy or v0) transaction and commits it.
    #[napi]
    pub fn send_transaction(&mut self, tx: Buffer) -> Result<TransactionOutcome> {
        let (tx, signature) = decode_transaction(&tx)?;
        let outcome = self.worker.call(move |host| {
            let (ctx, rt, stdout) = host.parts()?;
            send_on(ctx, rt, stdout, tx, signature)
        })?;
        Ok(outcome.into())
    }

    /// Executes a transaction without committing it.
    #[napi]
    pub fn simulate_transaction(&mut self, tx: Buffer) -> Result<TransactionOutcome> {
        let (tx, signature) = decode_transaction(&tx)?;
        let outcome = self.worker.call(move |host| {
            let (ctx, rt, stdout) = host.parts()?;
            let client = &mut ctx.banks_client;
            let (sim, program_output) = stdout.run(|| rt.block_on(client.simulate_transaction(tx)));
            let sim = sim.map_err(client_error)?;
            let details = sim.simulation_details;
            let executed = details.is_some();
            Ok(Outcome {
                executed,
                signature,
                logs: details.as_ref().map(|d| d.logs.clone()).unwrap_or_default(),
                program_output,
                units: details.as_ref().map_or(0, |d| d.units_consumed),
                return_data: details.and_then(|d| d.return_data),
                err: sim.result.and_then(|r| r.err()),
            })
        })?;
        Ok(outcome.into())
    }

    #[napi]
    pub fn get_account(&mut self, address: String) -> Result<Option<RuntimeAccount>> {
        let key = pubkey(&address)?;
        let account = self.worker.call(move |host| {
            let (ctx, rt, _) = host.parts()?;
            rt.block_on(ctx.banks_client.get_account(key))
                .map_err(client_error)
        })?;
        Ok(account.map(|a| PlainAccount(a).into()))
    }

    /// Writes an account directly (fixtures such as oracle feeds).
    #[napi]
    pub fn set_account(&mut self, address: String, account: RuntimeAccount) -> Result<()> {
        let key = pubkey(&address)?;
        let account = Account {
            lamports: u64_of(&account.lamports, "lamports")?,
            data: account.data.to_vec(),
            owner: pubkey(&account.owner)?,
            executable: account.executable,
            rent_epoch: u64_of(&account.rent_epoch, "rentEpoch")?,
        };
        self.worker.call(move |host| {
            host.ctx()?
                .set_account(&key, &AccountSharedData::from(account));
            Ok(())
        })
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
        let feed = ovpp_host::switchboard::FeedResult {
            value: i128_of(&result.value, "value")?,
            std_dev: i128_of(&result.std_dev, "stdDev")?,
            num_samples: u8::try_from(result.num_samples)
                .map_err(|_| invalid("numSamples must be a u8"))?,
            slot: u64_of(&result.slot, "slot")?,
        };
        let account = ovpp_host::switchboard::feed_account(feed);
        self.worker.call(move |host| {
            host.ctx()?
                .set_account(&key, &AccountSharedData::from(account));
            Ok(())
        })
    }

    /// Funds an address from the payer with a system transfer.
    #[napi]
    pub fn airdrop(&mut self, address: String, lamports: BigInt) -> Result<TransactionOutcome> {
        let to = pubkey(&address)?;
        let lamports = u64_of(&lamports, "lamports")?;
        let outcome = self.worker.call(move |host| {
            let (ctx, rt, stdout) = host.parts()?;
            let blockhash = rt
                .block_on(ctx.banks_client.get_latest_blockhash())
                .map_err(client_error)?;
            ctx.last_blockhash = blockhash;
            let payer = &ctx.payer;
            let ix = solana_system_interface::instruction::transfer(&payer.pubkey(), &to, lamports);
            let tx = solana_sdk::transaction::Transaction::new_signed_with_payer(
                &[ix],
                Some(&payer.pubkey()),
                &[payer],
                blockhash,
            );
            let signature = tx.signatures[0].to_string();
            send_on(ctx, rt, stdout, tx.into(), signature)
        })?;
        Ok(outcome.into())
    }

    #[napi]
    pub fn get_clock(&mut self) -> Result<RuntimeClock> {
        let clock = self.worker.call(|host| {
            let (ctx, rt, _) = host.parts()?;
            rt.block_on(ctx.banks_client.get_sysvar::<Clock>())
                .map_err(client_error)
        })?;
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
        let clock = Clock {
            slot: u64_of(&clock.slot, "slot")?,
            epoch_start_timestamp: clock.epoch_start_timestamp,
            epoch: u64_of(&clock.epoch, "epoch")?,
            leader_schedule_epoch: u64_of(&clock.leader_schedule_epoch, "leaderScheduleEpoch")?,
            unix_timestamp: clock.unix_timestamp,
        };
        self.worker.call(move |host| {
            host.ctx()?.set_sysvar(&clock);
            Ok(())
        })
    }

    /// Sets the clock sysvar's slot (LiteSVM semantics) and expires the blockhash. Programs see
    /// the new slot; the bank does not replay the skipped slots. (`solana-program-test`'s own
    /// `warp_to_slot` recomputes the full accounts hash on every warp, which is slow and opens
    /// one cache file per chunk of storages.)
    #[napi]
    pub fn warp_to_slot(&mut self, slot: BigInt) -> Result<()> {
        let slot = u64_of(&slot, "slot")?;
        self.worker.call(move |host| {
            let (ctx, rt, _) = host.parts()?;
            let mut clock: Clock = rt
                .block_on(ctx.banks_client.get_sysvar())
                .map_err(client_error)?;
            if slot < clock.slot {
                return Err(invalid(format!(
                    "cannot warp back from slot {} to {slot}",
                    clock.slot
                )));
            }
            clock.slot = slot;
            ctx.set_sysvar(&clock);
            rt.block_on(ovpp_host::fresh_blockhash(ctx));
            Ok(())
        })
    }

    #[napi]
    pub fn minimum_balance_for_rent_exemption(&mut self, data_len: u32) -> Result<BigInt> {
        let lamports = self.worker.call(move |host| {
            let (ctx, rt, _) = host.parts()?;
            let rent: Rent = rt
                .block_on(ctx.banks_client.get_rent())
                .map_err(client_error)?;
            Ok(rent.minimum_balance(data_len as usize))
        })?;
        Ok(BigInt::from(lamports))
    }
}
