//! Hosts the natively compiled OpenVPP Anchor programs inside a real Solana runtime
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
use std::cell::Cell;
use std::sync::Once;

use solana_program_runtime::invoke_context::InvokeContext;
use solana_program_runtime::stable_log;
use solana_program_test::{BanksClient, ProgramTest, ProgramTestContext};
use solana_sdk::account_info::AccountInfo;
use solana_sdk::entrypoint::ProgramResult;
use solana_sdk::instruction::Instruction;
use solana_sdk::program_stubs::{set_syscall_stubs, SyscallStubs};
use solana_sdk::pubkey::Pubkey;

pub use solana_program_test;
use solana_program_test::tokio;

thread_local! {
    /// The `InvokeContext` of the instruction a native program is executing on this thread.
    static CURRENT_CONTEXT: Cell<usize> = const { Cell::new(0) };
}

/// Records the invoke context for [`LogDataStubs`]; called by [`processor`] on every entry.
#[doc(hidden)]
pub fn set_current_context(context: *mut InvokeContext) {
    CURRENT_CONTEXT.with(|c| c.set(context as usize));
}

/// `processor!` plus a record of the invoke context, so `sol_log_data` can reach the log.
#[macro_export]
macro_rules! processor {
    ($builtin_function:expr) => {
        Some(|vm, _arg0, _arg1, _arg2, _arg3, _arg4| {
            use $crate::solana_program_test as pt;
            let vm = unsafe {
                &mut *((vm as *mut u64).offset(-(pt::get_runtime_environment_key() as isize))
                    as *mut pt::EbpfVm<pt::InvokeContext>)
            };
            $crate::set_current_context(vm.context_object_pointer as *mut pt::InvokeContext);
            vm.program_result =
                pt::invoke_builtin_function($builtin_function, vm.context_object_pointer)
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
    account_info::AccountInfo as __AccountInfo, entrypoint::ProgramResult as __ProgramResult,
    pubkey::Pubkey as __Pubkey,
};

entry_wrapper!(registry_entry, ovpp_registry::entry);
entry_wrapper!(payments_entry, ovpp_payments::entry);
entry_wrapper!(routing_entry, ovpp_routing::entry);
entry_wrapper!(hook_entry, ovpp_hook::entry);

/// Every OpenVPP program: (name, program id, native entrypoint).
pub fn programs() -> Vec<(&'static str, Pubkey)> {
    vec![
        ("ovpp_registry", ovpp_registry::ID),
        ("ovpp_payments", ovpp_payments::ID),
        ("ovpp_routing", ovpp_routing::ID),
        ("ovpp_hook", ovpp_hook::ID),
    ]
}

/// A `ProgramTest` with every OpenVPP program registered natively. SPL Token, Token-2022,
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
        self.inner().sol_log(message)
    }
    fn sol_log_compute_units(&self) {
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
        self.inner()
            .sol_invoke_signed(instruction, account_infos, signers_seeds)
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
        let ptr = CURRENT_CONTEXT.with(|c| c.get());
        if ptr == 0 {
            return self.inner().sol_log_data(fields);
        }
        // SAFETY: set by `processor!` from the live VM context of the running instruction;
        // the pointer is only read on the same thread while that instruction executes.
        let context = unsafe { &mut *(ptr as *mut InvokeContext) };
        stable_log::program_data(&context.get_log_collector(), fields);
    }
    fn sol_get_processed_sibling_instruction(&self, index: usize) -> Option<Instruction> {
        self.inner().sol_get_processed_sibling_instruction(index)
    }
    fn sol_get_stack_height(&self) -> u64 {
        self.inner().sol_get_stack_height()
    }
}

pub mod fixtures;
pub mod fuzz;
pub mod harness;
pub mod payments;
pub mod registry;
pub mod routing;
pub mod switchboard;
