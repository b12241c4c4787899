//! The native host: the natively compiled OpenVPP Anchor programs inside a real Solana runtime
//! (`solana-program-test` 2.3: bank, banks server, sysvars, CPI, rent, signature checks)
//! next to the SBF builds of SPL Token, Token-2022, ATA and Memo that `solana-program-test`
//! ships and executes in its SBF VM.
//!
//! Two small additions over a plain `processor!` registration:
//! * Anchor's `entry` takes `&'info [AccountInfo<'info>]`, which `processor!`'s plain
//!   `fn(&Pubkey, &[AccountInfo], &[u8])` cannot express; [`entry_wrapper!`] leaks the slice
//!   for the duration of the instruction (the known lifetime wrapper).
//! * Off-chain, `sol_log_data` (Anchor's `emit!`) goes to stdout by default. [`processor`]
//!   records the current `InvokeContext` and [`start`] installs syscall stubs that delegate to
//!   `solana-program-test`'s own and write `Program data: ...` into the transaction log, so
//!   events reach clients exactly as they do on a validator.
//! * The transaction log reads like a validator's: `solana-program-test`'s builtin wrapper and
//!   its CPI stub log `invoke`/`success` a second time (the invoke context already does), which
//!   [`run_builtin`] and the stubs remove; [`run_builtin`] adds the `consumed` and
//!   `Program return:` lines the SBF loader prints. `msg!` in a native program is a `println!`
//!   (`solana-msg` off-chain); a host that captures stdout registers a drain with
//!   [`set_program_output_drain`] and the captured lines become `Program log:` lines at the
//!   point they were printed (before each CPI, event and the end of the instruction).
//!
//! This crate is what `@openvpp/runtime` (crates/ovpp-runtime) runs; the Rust instruction
//! builders, fixtures, fuzzer and integration tests are in `ovpp-test-utils`, which builds on it.
use std::cell::Cell;
use std::sync::Once;

use solana_program_runtime::invoke_context::InvokeContext;
use solana_program_runtime::solana_sbpf::vm::ContextObject;
use solana_program_runtime::stable_log;
use solana_program_test::{BanksClient, ProgramTest, ProgramTestContext};
use solana_sdk::account_info::AccountInfo;
use solana_sdk::entrypoint::ProgramResult;
use solana_sdk::instruction::Instruction;
use solana_sdk::program_stubs::{set_syscall_stubs, SyscallStubs};
use solana_sdk::pubkey::Pubkey;

pub use solana_program_test;
use solana_program_test::tokio;

/// Returns (and forgets) the lines native programs printed since its last call.
pub type OutputDrain = fn() -> Vec<String>;

thread_local! {
    /// The `InvokeContext` of the instruction a native program is executing on this thread.
    static CURRENT_CONTEXT: Cell<usize> = const { Cell::new(0) };
    /// Returns (and forgets) what native programs printed on this thread since the last call.
    static OUTPUT_DRAIN: Cell<Option<OutputDrain>> = const { Cell::new(None) };
}

/// Registers (or, with `None`, removes) the source of native programs' `msg!` output on this
/// thread: a function returning the lines printed since its last call. While one is set, those
/// lines are written into the transaction log as `Program log: <line>` at each boundary (CPI,
/// `sol_log_data`, end of instruction). Without one, `msg!` output stays on stdout.
pub fn set_program_output_drain(drain: Option<OutputDrain>) {
    OUTPUT_DRAIN.with(|d| d.set(drain));
}

/// Moves what the running native program printed so far into the log as `Program log:` lines.
fn flush_program_output(context: &InvokeContext) {
    if let Some(drain) = OUTPUT_DRAIN.with(|d| d.get()) {
        let log_collector = context.get_log_collector();
        for line in drain() {
            stable_log::program_log(&log_collector, &line);
        }
    }
}

/// The invoke context recorded by [`run_builtin`], if a native program is running.
fn current_context<'a>() -> Option<&'a mut InvokeContext<'static>> {
    let ptr = CURRENT_CONTEXT.with(|c| c.get());
    // SAFETY: set by `run_builtin` from the live VM context of the running instruction; only
    // read on the same thread while a native program of that transaction executes.
    (ptr != 0).then(|| unsafe { &mut *(ptr as *mut InvokeContext<'static>) })
}

/// Removes the log line at `index` if it is `expected` (keeping the byte count honest).
fn remove_line_if(context: &InvokeContext, index: usize, expected: impl Fn(&str) -> bool) {
    let Some(collector) = context.get_log_collector() else {
        return;
    };
    let mut collector = collector.borrow_mut();
    if collector
        .messages
        .get(index)
        .is_some_and(|line| expected(line))
    {
        let line = collector.messages.remove(index);
        collector.bytes_written = collector.bytes_written.saturating_sub(line.len());
    }
}

fn log_len(context: &InvokeContext) -> usize {
    context
        .get_log_collector()
        .map_or(0, |c| c.borrow().messages.len())
}

/// Runs a native program through `solana-program-test`'s `invoke_builtin_function` and makes the
/// log read as a validator's: the invoke context already logs `invoke [depth]` and
/// `success`/`failed`, so the wrapper's second copies are removed; what the program printed
/// becomes `Program log:` lines (see [`set_program_output_drain`]); and, like the SBF loader,
/// `Program <id> consumed <n> of <m> compute units` and `Program return: <id> <base64>` are
/// logged before the invoke context's `success`/`failed` line. Native programs are not metered:
/// `n` is the 1 unit the wrapper charges plus what its CPIs into SBF programs consumed.
///
/// # Safety
/// `context` must be the live `InvokeContext` of the executing instruction (the VM's context
/// object, as `processor!` passes it).
#[doc(hidden)]
pub unsafe fn run_builtin(
    builtin_function: solana_sdk::entrypoint::ProcessInstruction,
    context: *mut InvokeContext,
) -> Result<u64, Box<dyn std::error::Error>> {
    let outer = CURRENT_CONTEXT.with(|c| c.replace(context as usize));
    // SAFETY: the VM's context object, live for this instruction.
    let invoke_context = unsafe { &mut *context };
    let program_id = {
        let tx = &invoke_context.transaction_context;
        tx.get_current_instruction_context()
            .and_then(|ix| ix.get_last_program_key(tx).copied())
            .unwrap_or_default()
    };
    let invoke_line = format!(
        "Program {program_id} invoke [{}]",
        invoke_context.get_stack_height()
    );
    let start = log_len(invoke_context);
    let remaining_before = invoke_context.get_remaining();

    let result = solana_program_test::invoke_builtin_function(builtin_function, invoke_context);

    let invoke_context = unsafe { &mut *context };
    remove_line_if(invoke_context, start, |line| line == invoke_line);
    let success = format!("Program {program_id} success");
    let failed = format!("Program {program_id} failed: ");
    let last = log_len(invoke_context).saturating_sub(1);
    if last >= start {
        remove_line_if(invoke_context, last, |line| {
            line == success || line.starts_with(&failed)
        });
    }
    flush_program_output(invoke_context);
    let log_collector = invoke_context.get_log_collector();
    let consumed = remaining_before.saturating_sub(invoke_context.get_remaining());
    if let Some(collector) = &log_collector {
        collector.borrow_mut().log(&format!(
            "Program {program_id} consumed {consumed} of {remaining_before} compute units"
        ));
    }
    // As the SBF loader does: whatever return data is set now, under this program's id.
    let (_, return_data) = invoke_context.transaction_context.get_return_data();
    if !return_data.is_empty() {
        stable_log::program_return(&log_collector, &program_id, return_data);
    }
    // Back to the caller's context (a native caller of this CPI), or none at the top level.
    CURRENT_CONTEXT.with(|c| c.set(outer));
    result
}

/// Records the invoke context for [`LogDataStubs`]; called by [`processor`] on every entry.
#[doc(hidden)]
pub fn set_current_context(context: *mut InvokeContext) {
    CURRENT_CONTEXT.with(|c| c.set(context as usize));
}

/// `processor!` through [`run_builtin`]: records the invoke context (so `sol_log_data` and `msg!`
/// reach the log) and logs each invocation once, as a validator does.
#[macro_export]
macro_rules! processor {
    ($builtin_function:expr) => {
        Some(|vm, _arg0, _arg1, _arg2, _arg3, _arg4| {
            use $crate::solana_program_test as pt;
            let vm = unsafe {
                &mut *((vm as *mut u64).offset(-(pt::get_runtime_environment_key() as isize))
                    as *mut pt::EbpfVm<pt::InvokeContext>)
            };
            let builtin: $crate::__ProcessInstruction = $builtin_function;
            let context: *mut pt::InvokeContext = &mut *vm.context_object_pointer;
            // SAFETY: the VM's context object is the live invoke context of this instruction.
            vm.program_result = unsafe { $crate::run_builtin(builtin, context) }
                .map_err(|err| pt::EbpfError::SyscallError(err))
                .into();
        })
    };
}

/// Adapts an Anchor `entry` (which ties the account slice to `'info`) to the plain
/// `ProcessInstruction` signature.
#[macro_export]
macro_rules! entry_wrapper {
    ($name:ident, $entry:path) => {
        fn $name(
            program_id: &$crate::__Pubkey,
            accounts: &[$crate::__AccountInfo],
            data: &[u8],
        ) -> $crate::__ProgramResult {
            // The runtime keeps these accounts alive for the whole instruction; the leaked
            // Vec is a few pointers per instruction and is freed when the process exits.
            let accounts = Box::leak(Box::new(accounts.to_vec()));
            $entry(program_id, accounts, data)
        }
    };
}

#[doc(hidden)]
pub use solana_sdk::{
    account_info::AccountInfo as __AccountInfo,
    entrypoint::ProcessInstruction as __ProcessInstruction,
    entrypoint::ProgramResult as __ProgramResult, pubkey::Pubkey as __Pubkey,
};

entry_wrapper!(registry_entry, ovpp_registry::entry);
entry_wrapper!(payments_entry, ovpp_payments::entry);
entry_wrapper!(routing_entry, ovpp_routing::entry);
entry_wrapper!(hook_entry, ovpp_hook::entry);
entry_wrapper!(compression_entry, spl_account_compression::entry);

/// Every OpenVPP program: (name, program id, native entrypoint).
pub fn programs() -> Vec<(&'static str, Pubkey)> {
    vec![
        ("ovpp_registry", ovpp_registry::ID),
        ("ovpp_payments", ovpp_payments::ID),
        ("ovpp_routing", ovpp_routing::ID),
        ("ovpp_hook", ovpp_hook::ID),
    ]
}

/// The programs compressed devices use, hosted natively like the OpenVPP programs (same
/// addresses as on every cluster): `spl-account-compression` 1.0.0 and `spl-noop` 1.0.0.
pub fn compression_programs() -> Vec<(&'static str, Pubkey)> {
    vec![
        ("spl_account_compression", spl_account_compression::ID),
        ("spl_noop", spl_noop::ID),
    ]
}

/// A `ProgramTest` with every OpenVPP program registered natively, and the account-compression
/// and noop programs compressed devices use ([`compression_programs`]). SPL Token, Token-2022,
/// ATA and Memo are present as the SBF binaries bundled with `solana-program-test`.
/// `solana-program-test` logs every instruction at debug level unless `RUST_LOG` says
/// otherwise; keep test and demo output readable by default.
pub fn program_test() -> ProgramTest {
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    let mut pt = ProgramTest::default();
    pt.prefer_bpf(false);
    pt.add_program(
        "ovpp_registry",
        ovpp_registry::ID,
        processor!(registry_entry),
    );
    pt.add_program(
        "ovpp_payments",
        ovpp_payments::ID,
        processor!(payments_entry),
    );
    pt.add_program("ovpp_routing", ovpp_routing::ID, processor!(routing_entry));
    pt.add_program("ovpp_hook", ovpp_hook::ID, processor!(hook_entry));
    pt.add_program(
        "spl_account_compression",
        spl_account_compression::ID,
        processor!(compression_entry),
    );
    pt.add_program("spl_noop", spl_noop::ID, processor!(spl_noop::noop));
    pt
}

/// Starts the runtime and installs the event-log stubs.
pub async fn start(pt: ProgramTest) -> ProgramTestContext {
    let context = pt.start_with_context().await;
    install_log_data_stubs();
    context
}

/// Convenience: a started runtime with all programs.
pub async fn start_default() -> (ProgramTestContext, BanksClient) {
    let context = start(program_test()).await;
    let client = context.banks_client.clone();
    (context, client)
}

/// Waits for the simulated PoH (one blockhash per ~6.4 ms slot) to register a blockhash other
/// than the context's last one, polling at slot pace rather than the stock 200 ms.
pub async fn fresh_blockhash(context: &mut ProgramTestContext) -> solana_sdk::hash::Hash {
    let previous = context.last_blockhash;
    for _ in 0..2_000 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        let latest = context
            .banks_client
            .get_latest_blockhash()
            .await
            .expect("banks server alive");
        if latest != previous {
            context.last_blockhash = latest;
            return latest;
        }
    }
    panic!("no new blockhash after 4 s");
}

fn install_log_data_stubs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // `solana-program-test` installed its stubs during `start`; wrap them.
        let inner = set_syscall_stubs(Box::new(LogDataStubs { inner: None }));
        set_syscall_stubs(Box::new(LogDataStubs { inner: Some(inner) }));
    });
}

/// Delegates every syscall stub to `solana-program-test`'s, except `sol_log_data`, which it
/// writes into the transaction log as `Program data: <base64>...` like the SBF syscall does.
struct LogDataStubs {
    inner: Option<Box<dyn SyscallStubs>>,
}

impl LogDataStubs {
    fn inner(&self) -> &dyn SyscallStubs {
        self.inner.as_deref().expect("stubs installed")
    }
}

impl SyscallStubs for LogDataStubs {
    fn sol_log(&self, message: &str) {
        if let Some(context) = current_context() {
            flush_program_output(context);
        }
        self.inner().sol_log(message)
    }
    fn sol_log_compute_units(&self) {
        if let Some(context) = current_context() {
            flush_program_output(context);
        }
        self.inner().sol_log_compute_units()
    }
    fn sol_remaining_compute_units(&self) -> u64 {
        self.inner().sol_remaining_compute_units()
    }
    fn sol_invoke_signed(
        &self,
        instruction: &Instruction,
        account_infos: &[AccountInfo],
        signers_seeds: &[&[&[u8]]],
    ) -> ProgramResult {
        let Some(context) = current_context() else {
            return self
                .inner()
                .sol_invoke_signed(instruction, account_infos, signers_seeds);
        };
        // What the caller printed so far precedes the callee's `invoke` line.
        flush_program_output(context);
        // `solana-program-test`'s stub logs `invoke` at the caller's depth before the invoke
        // context logs it at the callee's, and `success` again after the invoke context's;
        // drop both copies.
        let stray = format!(
            "Program {} invoke [{}]",
            instruction.program_id,
            context.get_stack_height()
        );
        let start = log_len(context);
        let result = self
            .inner()
            .sol_invoke_signed(instruction, account_infos, signers_seeds);
        remove_line_if(context, start, |line| line == stray);
        if result.is_ok() {
            let success = format!("Program {} success", instruction.program_id);
            let last = log_len(context).saturating_sub(1);
            if last > start {
                remove_line_if(context, last, |line| line == success);
            }
        }
        result
    }
    fn sol_get_sysvar(&self, id: *const u8, var: *mut u8, offset: u64, length: u64) -> u64 {
        self.inner().sol_get_sysvar(id, var, offset, length)
    }
    fn sol_get_clock_sysvar(&self, var_addr: *mut u8) -> u64 {
        self.inner().sol_get_clock_sysvar(var_addr)
    }
    fn sol_get_epoch_schedule_sysvar(&self, var_addr: *mut u8) -> u64 {
        self.inner().sol_get_epoch_schedule_sysvar(var_addr)
    }
    fn sol_get_fees_sysvar(&self, var_addr: *mut u8) -> u64 {
        self.inner().sol_get_fees_sysvar(var_addr)
    }
    fn sol_get_rent_sysvar(&self, var_addr: *mut u8) -> u64 {
        self.inner().sol_get_rent_sysvar(var_addr)
    }
    fn sol_get_epoch_rewards_sysvar(&self, var_addr: *mut u8) -> u64 {
        self.inner().sol_get_epoch_rewards_sysvar(var_addr)
    }
    fn sol_get_last_restart_slot(&self, var_addr: *mut u8) -> u64 {
        self.inner().sol_get_last_restart_slot(var_addr)
    }
    fn sol_get_epoch_stake(&self, vote_address: *const u8) -> u64 {
        self.inner().sol_get_epoch_stake(vote_address)
    }
    unsafe fn sol_memcpy(&self, dst: *mut u8, src: *const u8, n: usize) {
        self.inner().sol_memcpy(dst, src, n)
    }
    unsafe fn sol_memmove(&self, dst: *mut u8, src: *const u8, n: usize) {
        self.inner().sol_memmove(dst, src, n)
    }
    unsafe fn sol_memcmp(&self, s1: *const u8, s2: *const u8, n: usize, result: *mut i32) {
        self.inner().sol_memcmp(s1, s2, n, result)
    }
    unsafe fn sol_memset(&self, s: *mut u8, c: u8, n: usize) {
        self.inner().sol_memset(s, c, n)
    }
    fn sol_get_return_data(&self) -> Option<(Pubkey, Vec<u8>)> {
        self.inner().sol_get_return_data()
    }
    fn sol_set_return_data(&self, data: &[u8]) {
        self.inner().sol_set_return_data(data)
    }
    fn sol_log_data(&self, fields: &[&[u8]]) {
        let Some(context) = current_context() else {
            return self.inner().sol_log_data(fields);
        };
        flush_program_output(context);
        stable_log::program_data(&context.get_log_collector(), fields);
    }
    fn sol_get_processed_sibling_instruction(&self, index: usize) -> Option<Instruction> {
        self.inner().sol_get_processed_sibling_instruction(index)
    }
    fn sol_get_stack_height(&self) -> u64 {
        self.inner().sol_get_stack_height()
    }
}

#[cfg(test)]
mod log_tests;
pub mod switchboard;
