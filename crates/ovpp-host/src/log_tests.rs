//! The transaction log of a natively hosted program reads as a validator prints it: one
//! `invoke`/`success` (or `failed`) per invocation at the right depth, printed output in place
//! around CPIs and events, then `consumed` and `Program return:`.
use std::cell::RefCell;

use solana_sdk::account_info::AccountInfo;
use solana_sdk::entrypoint::ProgramResult;
use solana_sdk::instruction::{AccountMeta, Instruction};
use solana_sdk::program::{invoke, set_return_data};
use solana_sdk::program_error::ProgramError;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;

thread_local! {
    /// What the test program "prints" (a stand-in for stdout, drained like the runtime's).
    static PRINTED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn print(line: &str) {
    PRINTED.with(|p| p.borrow_mut().push(line.to_string()));
}

fn drain() -> Vec<String> {
    PRINTED.with(|p| p.borrow_mut().drain(..).collect())
}

/// Prints, CPIs the system program, prints, emits an event, returns data; fails with
/// `Custom(7)` when the instruction data is `[1]`.
fn echo(_program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    print("before cpi");
    invoke(
        &solana_system_interface::instruction::transfer(accounts[0].key, accounts[1].key, 1),
        &accounts[..3],
    )?;
    print("after cpi");
    anchor_lang::solana_program::log::sol_log_data(&[b"event"]);
    set_return_data(b"ret");
    if data == [1] {
        return Err(ProgramError::Custom(7));
    }
    Ok(())
}

async fn logs_of(data: u8) -> Vec<String> {
    let echo_id = Pubkey::new_unique();
    let mut pt = crate::program_test();
    pt.add_program("echo", echo_id, crate::processor!(echo));
    let ctx = crate::start(pt).await;
    crate::set_program_output_drain(Some(drain));
    let to = Keypair::new().pubkey();
    let payer = ctx.payer.pubkey();
    let ix = Instruction {
        program_id: echo_id,
        accounts: vec![
            AccountMeta::new(payer, true),
            AccountMeta::new(to, false),
            AccountMeta::new_readonly(solana_system_interface::program::ID, false),
        ],
        data: vec![data],
    };
    let tx =
        Transaction::new_signed_with_payer(&[ix], Some(&payer), &[&ctx.payer], ctx.last_blockhash);
    let result = ctx
        .banks_client
        .process_transaction_with_metadata(tx)
        .await
        .unwrap();
    crate::set_program_output_drain(None);
    let logs = result.metadata.unwrap().log_messages;
    logs.into_iter()
        .map(|l| l.replace(&echo_id.to_string(), "ECHO"))
        .collect()
}

const SYSTEM: &str = "11111111111111111111111111111111";

#[tokio::test]
async fn native_program_logs_like_a_validator() {
    assert_eq!(
        logs_of(0).await,
        vec![
            "Program ECHO invoke [1]".to_string(),
            "Program log: before cpi".into(),
            format!("Program {SYSTEM} invoke [2]"),
            format!("Program {SYSTEM} success"),
            "Program log: after cpi".into(),
            "Program data: ZXZlbnQ=".into(),
            // 1 unit for the native entry, 150 for the system program.
            "Program ECHO consumed 151 of 200000 compute units".into(),
            "Program return: ECHO cmV0".into(),
            "Program ECHO success".into(),
        ]
    );
}

#[tokio::test]
async fn failing_native_program_logs_once() {
    let logs = logs_of(1).await;
    assert_eq!(logs.first().unwrap(), "Program ECHO invoke [1]");
    assert_eq!(
        &logs[logs.len() - 3..],
        &[
            "Program ECHO consumed 151 of 200000 compute units".to_string(),
            "Program return: ECHO cmV0".into(),
            "Program ECHO failed: custom program error: 0x7".into(),
        ]
    );
    assert_eq!(logs.iter().filter(|l| l.contains("invoke [1]")).count(), 1);
    assert_eq!(
        logs.iter()
            .filter(|l| l.starts_with("Program ECHO "))
            .count(),
        3
    );
}
