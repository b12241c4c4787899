//! Test conveniences over a started runtime: send with fresh blockhashes, typed failures,
//! account fetch/decode, clock control.
use anchor_lang::{AccountDeserialize, InstructionData, ToAccountMetas};
use solana_program_test::ProgramTestContext;
use solana_sdk::account::Account;
use solana_sdk::clock::Clock;
use solana_sdk::instruction::{Instruction, InstructionError};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::{Transaction, TransactionError};

/// Outcome of a transaction that executed (successfully or not).
#[derive(Debug)]
pub struct TxOutcome {
    pub logs: Vec<String>,
    pub compute_units: u64,
}

/// Why a transaction failed, reduced to what tests assert on.
#[derive(Debug, PartialEq, Eq)]
pub enum TxFailure {
    /// A program returned `Custom(code)` (Anchor errors are 6000+ / 2000-range constraints).
    Custom { index: u8, code: u32 },
    /// Any other instruction error.
    Instruction { index: u8, error: InstructionError },
    /// A transaction-level error (signature, fee, account in use...).
    Transaction(TransactionError),
    /// The banks client itself failed.
    Client(String),
}

impl TxFailure {
    pub fn custom_code(&self) -> Option<u32> {
        match self {
            TxFailure::Custom { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// Builds an Anchor instruction from its generated `accounts::X` and `instruction::X`.
pub fn anchor_ix(
    program_id: Pubkey,
    accounts: impl ToAccountMetas,
    data: impl InstructionData,
) -> Instruction {
    Instruction {
        program_id,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

pub struct Env {
    pub ctx: ProgramTestContext,
}

/// 2026-11-20 00:00 UTC: every `Env` starts its clock here, so tests do not depend on the
/// machine's date (registrations, claims and tariffs precede the intervals tests meter).
pub const TEST_EPOCH: i64 = 1_795_132_800;

impl Env {
    pub async fn new() -> Self {
        let ctx = ovpp_host::start(ovpp_host::program_test()).await;
        let mut env = Env { ctx };
        env.set_unix_timestamp(TEST_EPOCH).await;
        env
    }

    pub fn payer(&self) -> Keypair {
        self.ctx.payer.insecure_clone()
    }

    /// Signs with the payer plus `signers` and executes. A transaction identical to one
    /// already processed (same instructions, same blockhash) is re-signed on a fresh blockhash,
    /// so sending the same instruction twice executes it twice, as a client retry would.
    pub async fn send(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<TxOutcome, TxFailure> {
        let payer = self.payer();
        let mut all: Vec<&Keypair> = vec![&payer];
        all.extend_from_slice(signers);
        loop {
            let blockhash = self
                .ctx
                .banks_client
                .get_latest_blockhash()
                .await
                .map_err(|e| TxFailure::Client(e.to_string()))?;
            self.ctx.last_blockhash = blockhash;
            let tx =
                Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), &all, blockhash);
            let result = self
                .ctx
                .banks_client
                .process_transaction_with_metadata(tx)
                .await
                .map_err(|e| TxFailure::Client(e.to_string()))?;
            let (logs, compute_units) = result
                .metadata
                .map(|m| (m.log_messages, m.compute_units_consumed))
                .unwrap_or_default();
            return match result.result {
                Ok(()) => Ok(TxOutcome {
                    logs,
                    compute_units,
                }),
                Err(TransactionError::AlreadyProcessed) => {
                    self.ctx.last_blockhash = ovpp_host::fresh_blockhash(&mut self.ctx).await;
                    continue;
                }
                Err(TransactionError::InstructionError(index, InstructionError::Custom(code))) => {
                    Err(TxFailure::Custom { index, code })
                }
                Err(TransactionError::InstructionError(index, error)) => {
                    Err(TxFailure::Instruction { index, error })
                }
                Err(e) => Err(TxFailure::Transaction(e)),
            };
        }
    }

    pub async fn account(&mut self, key: Pubkey) -> Option<Account> {
        self.ctx.banks_client.get_account(key).await.unwrap()
    }

    /// Fetches and decodes an Anchor account (checks the discriminator).
    pub async fn fetch<T: AccountDeserialize>(&mut self, key: Pubkey) -> T {
        let account = self
            .account(key)
            .await
            .unwrap_or_else(|| panic!("{key} missing"));
        T::try_deserialize(&mut account.data.as_slice()).expect("decode")
    }

    pub async fn clock(&mut self) -> Clock {
        self.ctx.banks_client.get_sysvar::<Clock>().await.unwrap()
    }

    pub async fn set_unix_timestamp(&mut self, unix_timestamp: i64) {
        let mut clock = self.clock().await;
        clock.unix_timestamp = unix_timestamp;
        self.ctx.set_sysvar(&clock);
    }

    pub async fn airdrop(&mut self, to: Pubkey, lamports: u64) {
        let ix =
            solana_system_interface::instruction::transfer(&self.ctx.payer.pubkey(), &to, lamports);
        self.send(&[ix], &[]).await.expect("airdrop");
    }
}

/// Anchor error code of a failure, or panics with the failure.
pub fn anchor_code<T: std::fmt::Debug>(result: Result<T, TxFailure>) -> u32 {
    match result {
        Err(TxFailure::Custom { code, .. }) => code,
        other => panic!("expected a custom program error, got {other:?}"),
    }
}

/// The name and number of an Anchor error, program-defined (`#[error_code]`, offset by
/// `ERROR_CODE_OFFSET`) or framework (`anchor_lang::error::ErrorCode`, numbers as they are).
pub fn anchor_err_name_and_code(e: impl Into<anchor_lang::error::Error>) -> (String, u32) {
    match e.into() {
        anchor_lang::error::Error::AnchorError(ae) => (ae.error_name, ae.error_code_number),
        other => panic!("not an Anchor error code: {other:?}"),
    }
}

/// Backs [`assert_anchor_err!`]: panics unless `result` failed with exactly `expected_code`,
/// naming both the expected and the actual error.
#[track_caller]
pub fn check_anchor_err<T: std::fmt::Debug>(
    result: Result<T, TxFailure>,
    expected: &str,
    expected_name: &str,
    expected_code: u32,
    context: Option<std::fmt::Arguments>,
) {
    let context = context.map(|c| format!(" ({c})")).unwrap_or_default();
    match result {
        Err(TxFailure::Custom { code, .. }) if code == expected_code => {}
        Err(TxFailure::Custom { index, code }) => {
            let actual = if code >= anchor_lang::error::ERROR_CODE_OFFSET {
                format!(
                    "program error {code} (variant #{})",
                    code - anchor_lang::error::ERROR_CODE_OFFSET
                )
            } else {
                format!("error {code}")
            };
            panic!(
                "expected {expected} ({expected_name} = {expected_code}), \
                 got {actual} from instruction {index}{context}"
            )
        }
        other => panic!(
            "expected {expected} ({expected_name} = {expected_code}), got {other:?}{context}"
        ),
    }
}

/// Asserts that a transaction result failed with a given Anchor error:
/// `assert_anchor_err!(result, RegistryError::Unauthorized)` for program errors (code
/// `as u32 + ERROR_CODE_OFFSET`), `assert_anchor_err!(result, ErrorCode::ConstraintSeeds)` for
/// Anchor framework errors (code as is). Extra arguments are a `format!` context for the
/// panic message. On mismatch it panics with both the expected and the actual name/code.
#[macro_export]
macro_rules! assert_anchor_err {
    ($result:expr, $expected:expr $(,)?) => {{
        let (name, code) = $crate::harness::anchor_err_name_and_code($expected);
        $crate::harness::check_anchor_err($result, stringify!($expected), &name, code, None)
    }};
    ($result:expr, $expected:expr, $($context:tt)+) => {{
        let (name, code) = $crate::harness::anchor_err_name_and_code($expected);
        $crate::harness::check_anchor_err(
            $result,
            stringify!($expected),
            &name,
            code,
            Some(format_args!($($context)+)),
        )
    }};
}

/// Sends `ixs` (signed by the payer and `signers`) and asserts it fails with `expected`, as
/// `assert_anchor_err!` does: `assert_send_err!(w.env, &[ix], &[&signer], RegistryError::X)`.
#[macro_export]
macro_rules! assert_send_err {
    ($env:expr, $ixs:expr, $signers:expr, $expected:expr $(,)?) => {{
        let result = $env.send($ixs, $signers).await;
        $crate::assert_anchor_err!(result, $expected)
    }};
    ($env:expr, $ixs:expr, $signers:expr, $expected:expr, $($context:tt)+) => {{
        let result = $env.send($ixs, $signers).await;
        $crate::assert_anchor_err!(result, $expected, $($context)+)
    }};
}

/// `Program data:` payloads in the log, base64-decoded, for event assertions.
pub fn event_payloads(logs: &[String]) -> Vec<Vec<u8>> {
    use base64::Engine;
    logs.iter()
        .filter_map(|l| l.strip_prefix("Program data: "))
        .filter_map(|b64| {
            let first = b64.split(' ').next().unwrap_or_default();
            base64::engine::general_purpose::STANDARD.decode(first).ok()
        })
        .collect()
}

/// Decodes an Anchor event of type `E` from `Program data:` payloads, if present.
pub fn find_event<E: anchor_lang::Event + anchor_lang::AnchorDeserialize>(
    logs: &[String],
) -> Option<E> {
    event_payloads(logs).into_iter().find_map(|data| {
        let disc = E::DISCRIMINATOR;
        if data.len() >= disc.len() && &data[..disc.len()] == disc {
            E::try_from_slice(&data[disc.len()..]).ok()
        } else {
            None
        }
    })
}
