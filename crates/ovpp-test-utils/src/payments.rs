//! Rust instruction builders and PDA helpers for `ovpp_payments` (mirrors
//! `sdk/src/payments`).
use anchor_lang::system_program;
use anchor_spl::token::spl_token;
use ovpp_payments::accounts as acc;
use ovpp_payments::constants::*;
use ovpp_payments::instruction as ix;
use ovpp_payments::instructions::*;
use ovpp_payments::state::UnitKind;
use ovpp_payments::ID;
use solana_sdk::instruction::Instruction;
use solana_sdk::pubkey::Pubkey;

use crate::harness::anchor_ix;

pub const TOKEN_2022: Pubkey = anchor_spl::token_2022::ID;
pub const TOKEN: Pubkey = spl_token::ID;

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &ID).0
}
pub fn config_pda() -> Pubkey {
    pda(&[SEED_PAYMENTS])
}
pub fn usde_mint_pda() -> Pubkey {
    pda(&[SEED_USDE_MINT])
}
pub fn vault_pda() -> Pubkey {
    pda(&[SEED_VAULT])
}
pub fn treasury_pda() -> Pubkey {
    pda(&[SEED_TREASURY])
}
pub fn market_pda(kind: UnitKind) -> Pubkey {
    pda(&[SEED_MARKET, kind.seed()])
}
pub fn unit_mint_pda(kind: UnitKind) -> Pubkey {
    pda(&[SEED_UNIT_MINT, kind.seed()])
}

pub fn tariff_pda(utility: &Pubkey, tariff_id: u32) -> Pubkey {
    pda(&[SEED_TARIFF, utility.as_ref(), &tariff_id.to_le_bytes()])
}
pub fn meter_pda(device: &Pubkey) -> Pubkey {
    pda(&[SEED_METER, device.as_ref()])
}
pub fn settlement_pda() -> Pubkey {
    pda(&[SEED_SETTLEMENT])
}
pub fn mandate_pda(owner: &Pubkey, device: &Pubkey) -> Pubkey {
    pda(&[SEED_MANDATE, owner.as_ref(), device.as_ref()])
}
pub fn tariff_revision_pda(tariff: &Pubkey, revision: u32) -> Pubkey {
    pda(&[
        SEED_TARIFF_REVISION,
        tariff.as_ref(),
        &revision.to_le_bytes(),
    ])
}
pub fn binding_pda(tariff: &Pubkey, device: &Pubkey) -> Pubkey {
    pda(&[SEED_BINDING, tariff.as_ref(), device.as_ref()])
}
pub fn export_vault_pda(tariff: &Pubkey) -> Pubkey {
    pda(&[SEED_EXPORT_VAULT, tariff.as_ref()])
}

pub fn dr_event_pda(utility: &Pubkey, event_id: u32) -> Pubkey {
    pda(&[SEED_DR_EVENT, utility.as_ref(), &event_id.to_le_bytes()])
}
pub fn dr_vault_pda(event: &Pubkey) -> Pubkey {
    pda(&[SEED_DR_VAULT, event.as_ref()])
}
pub fn dr_reward_pda(event: &Pubkey, device: &Pubkey) -> Pubkey {
    pda(&[SEED_DR_REWARD, event.as_ref(), device.as_ref()])
}

/// The unit mint's transfer-hook validation account.
pub fn meta_list_pda(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(
        &[
            ovpp_hook::constants::SEED_EXTRA_ACCOUNT_METAS,
            mint.as_ref(),
        ],
        &ovpp_hook::ID,
    )
    .0
}

/// `transfer_checked` of unit tokens with the hook's extra accounts (what
/// `add_extra_account_metas_for_execute` resolves): registry program, both wallets'
/// partner and member PDAs, the hook program and its validation account.
pub fn unit_transfer(
    kind: UnitKind,
    source: Pubkey,
    destination: Pubkey,
    owner: Pubkey,
    source_wallet: Pubkey,
    destination_wallet: Pubkey,
    amount: u64,
) -> Instruction {
    use solana_sdk::instruction::AccountMeta;
    let mint = unit_mint_pda(kind);
    let mut ix = anchor_spl::token_2022::spl_token_2022::instruction::transfer_checked(
        &TOKEN_2022,
        &source,
        &mint,
        &destination,
        &owner,
        &[],
        amount,
        TOKEN_DECIMALS,
    )
    .expect("transfer_checked");
    let ro = |k: Pubkey| AccountMeta::new_readonly(k, false);
    ix.accounts.extend([
        ro(ovpp_registry::ID),
        ro(crate::registry::partner_pda(&source_wallet)),
        ro(crate::registry::member_pda(&source_wallet)),
        ro(crate::registry::partner_pda(&destination_wallet)),
        ro(crate::registry::member_pda(&destination_wallet)),
        ro(ovpp_hook::ID),
        ro(meta_list_pda(&mint)),
    ]);
    ix
}

/// `payments_init` signed by the localnet deployer (`keys::localnet_admin()` must sign).
pub fn payments_init(
    payer: Pubkey,
    authority: Pubkey,
    usdc_mint: Pubkey,
    usdc_program: Pubkey,
) -> Instruction {
    payments_init_as(
        ovpp_registry::deployer::LOCALNET_ADMIN,
        payer,
        authority,
        usdc_mint,
        usdc_program,
    )
}

/// `payments_init` with a chosen deployer signer (for the front-running tests).
pub fn payments_init_as(
    deployer: Pubkey,
    payer: Pubkey,
    authority: Pubkey,
    usdc_mint: Pubkey,
    usdc_program: Pubkey,
) -> Instruction {
    anchor_ix(
        ID,
        acc::PaymentsInit {
            config: config_pda(),
            usdc_mint,
            usde_mint: usde_mint_pda(),
            usdc_vault: vault_pda(),
            usde_treasury: treasury_pda(),
            deployer,
            program: ID,
            program_data: crate::registry::program_data_address(&ID),
            payer,
            usdc_token_program: usdc_program,
            token_2022_program: TOKEN_2022,
            system_program: system_program::ID,
        },
        ix::PaymentsInit {
            args: PaymentsInitArgs { authority },
        },
    )
}

pub fn payments_pause_set(authority: Pubkey, paused: bool) -> Instruction {
    anchor_ix(
        ID,
        acc::PaymentsPauseSet {
            config: config_pda(),
            authority,
        },
        ix::PaymentsPauseSet {
            args: PaymentsPauseSetArgs { paused },
        },
    )
}

pub fn usde_wrap(
    user: Pubkey,
    usdc_mint: Pubkey,
    user_usdc: Pubkey,
    user_usde: Pubkey,
    usdc_program: Pubkey,
    amount: u64,
) -> Instruction {
    anchor_ix(
        ID,
        acc::UsdeWrap {
            config: config_pda(),
            user,
            usdc_mint,
            usde_mint: usde_mint_pda(),
            user_usdc,
            user_usde,
            usdc_vault: vault_pda(),
            usdc_token_program: usdc_program,
            token_2022_program: TOKEN_2022,
        },
        ix::UsdeWrap {
            args: UsdeWrapArgs { amount },
        },
    )
}

pub fn usde_unwrap(
    user: Pubkey,
    usdc_mint: Pubkey,
    user_usde: Pubkey,
    user_usdc: Pubkey,
    usdc_program: Pubkey,
    amount: u64,
) -> Instruction {
    anchor_ix(
        ID,
        acc::UsdeUnwrap {
            config: config_pda(),
            user,
            usdc_mint,
            usde_mint: usde_mint_pda(),
            user_usde,
            user_usdc,
            usdc_vault: vault_pda(),
            usdc_token_program: usdc_program,
            token_2022_program: TOKEN_2022,
        },
        ix::UsdeUnwrap {
            args: UsdeUnwrapArgs { amount },
        },
    )
}

pub fn unit_market_create(
    authority: Pubkey,
    payer: Pubkey,
    feed: Pubkey,
    args: UnitMarketCreateArgs,
) -> Instruction {
    anchor_ix(
        ID,
        acc::UnitMarketCreate {
            config: config_pda(),
            authority,
            market: market_pda(args.kind),
            unit_mint: unit_mint_pda(args.kind),
            extra_account_meta_list: meta_list_pda(&unit_mint_pda(args.kind)),
            hook_program: ovpp_hook::ID,
            feed,
            payer,
            token_2022_program: TOKEN_2022,
            system_program: system_program::ID,
        },
        ix::UnitMarketCreate { args },
    )
}

/// Buys units for `user_units`, whose owner is `recipient` (a participant).
#[allow(clippy::too_many_arguments)]
pub fn unit_buy(
    kind: UnitKind,
    feed: Pubkey,
    user: Pubkey,
    user_usde: Pubkey,
    user_units: Pubkey,
    recipient: Pubkey,
    usde_amount: u64,
    min_units_out: u64,
) -> Instruction {
    anchor_ix(
        ID,
        acc::UnitBuy {
            config: config_pda(),
            market: market_pda(kind),
            feed,
            user,
            usde_mint: usde_mint_pda(),
            unit_mint: unit_mint_pda(kind),
            user_usde,
            usde_treasury: treasury_pda(),
            user_units,
            recipient_partner: crate::registry::partner_pda(&recipient),
            recipient_member: crate::registry::member_pda(&recipient),
            token_2022_program: TOKEN_2022,
        },
        ix::UnitBuy {
            args: UnitBuyArgs {
                usde_amount,
                min_units_out,
            },
        },
    )
}

pub fn unit_sell(
    kind: UnitKind,
    feed: Pubkey,
    user: Pubkey,
    user_units: Pubkey,
    user_usde: Pubkey,
    unit_amount: u64,
    min_usde_out: u64,
) -> Instruction {
    anchor_ix(
        ID,
        acc::UnitSell {
            config: config_pda(),
            market: market_pda(kind),
            feed,
            user,
            usde_mint: usde_mint_pda(),
            unit_mint: unit_mint_pda(kind),
            user_units,
            usde_treasury: treasury_pda(),
            user_usde,
            user_partner: crate::registry::partner_pda(&user),
            user_member: crate::registry::member_pda(&user),
            token_2022_program: TOKEN_2022,
        },
        ix::UnitSell {
            args: UnitSellArgs {
                unit_amount,
                min_usde_out,
            },
        },
    )
}

pub fn tariff_create(
    utility: Pubkey,
    authority: Pubkey,
    treasury: Pubkey,
    payer: Pubkey,
    args: TariffCreateArgs,
) -> Instruction {
    let tariff = tariff_pda(&utility, args.tariff_id);
    anchor_ix(
        ID,
        acc::TariffCreate {
            config: config_pda(),
            utility,
            authority,
            tariff,
            revision: tariff_revision_pda(&tariff, 1),
            treasury,
            export_vault: export_vault_pda(&tariff),
            usde_mint: usde_mint_pda(),
            payer,
            token_2022_program: TOKEN_2022,
            system_program: system_program::ID,
        },
        ix::TariffCreate { args },
    )
}

/// Publishes revision `latest + 1` of `tariff` (whose latest revision is `latest`); `payer`
/// pays for the revision account.
pub fn tariff_update(
    tariff: Pubkey,
    utility: Pubkey,
    authority: Pubkey,
    payer: Pubkey,
    latest: u32,
    args: TariffUpdateArgs,
) -> Instruction {
    anchor_ix(
        ID,
        acc::TariffUpdate {
            tariff,
            utility,
            authority,
            latest: tariff_revision_pda(&tariff, latest),
            revision: tariff_revision_pda(&tariff, latest + 1),
            payer,
            system_program: system_program::ID,
        },
        ix::TariffUpdate { args },
    )
}

/// The tariff's `authority` binds `device` to `tariff` through its enrollment in `program`.
pub fn tariff_bind(
    tariff: Pubkey,
    authority: Pubkey,
    device: Pubkey,
    program: Pubkey,
    payer: Pubkey,
) -> Instruction {
    anchor_ix(
        ID,
        acc::TariffBind {
            tariff,
            authority,
            device,
            program,
            enrollment: crate::routing::enrollment_pda(&program, &device),
            binding: binding_pda(&tariff, &device),
            payer,
            system_program: system_program::ID,
        },
        ix::TariffBind {},
    )
}

pub fn tariff_export_withdraw_request(
    tariff: Pubkey,
    authority: Pubkey,
    amount: u64,
) -> Instruction {
    anchor_ix(
        ID,
        acc::TariffExportWithdrawRequest { tariff, authority },
        ix::TariffExportWithdrawRequest {
            args: TariffExportWithdrawRequestArgs { amount },
        },
    )
}

pub fn tariff_export_withdraw(tariff: Pubkey, authority: Pubkey, treasury: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::TariffExportWithdraw {
            config: config_pda(),
            tariff,
            authority,
            export_vault: export_vault_pda(&tariff),
            treasury,
            usde_mint: usde_mint_pda(),
            token_2022_program: TOKEN_2022,
        },
        ix::TariffExportWithdraw {},
    )
}

pub fn tariff_export_fund(
    tariff: Pubkey,
    funding: Pubkey,
    funder: Pubkey,
    amount: u64,
) -> Instruction {
    anchor_ix(
        ID,
        acc::TariffExportFund {
            config: config_pda(),
            tariff,
            export_vault: export_vault_pda(&tariff),
            usde_mint: usde_mint_pda(),
            funding,
            funder,
            token_2022_program: TOKEN_2022,
        },
        ix::TariffExportFund {
            args: TariffExportFundArgs { amount },
        },
    )
}

pub fn meter_export_claim(device: Pubkey, tariff: Pubkey, owner_usde: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::MeterExportClaim {
            config: config_pda(),
            tariff,
            binding: binding_pda(&tariff, &device),
            export_vault: export_vault_pda(&tariff),
            usde_mint: usde_mint_pda(),
            owner_usde,
            token_2022_program: TOKEN_2022,
        },
        ix::MeterExportClaim {},
    )
}

pub fn mandate_create(
    device: Pubkey,
    owner: Pubkey,
    utility: Pubkey,
    payer: Pubkey,
    args: MandateCreateArgs,
) -> Instruction {
    anchor_ix(
        ID,
        acc::MandateCreate {
            device,
            owner,
            utility,
            mandate: mandate_pda(&owner, &device),
            payer,
            system_program: system_program::ID,
        },
        ix::MandateCreate { args },
    )
}

pub fn mandate_revoke(owner: Pubkey, device: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::MandateRevoke {
            mandate: mandate_pda(&owner, &device),
            owner,
        },
        ix::MandateRevoke {},
    )
}

pub fn usde_surplus_sweep(
    authority: Pubkey,
    usdc_mint: Pubkey,
    destination: Pubkey,
    usdc_program: Pubkey,
) -> Instruction {
    anchor_ix(
        ID,
        acc::UsdeSurplusSweep {
            config: config_pda(),
            authority,
            usdc_mint,
            usde_mint: usde_mint_pda(),
            usdc_vault: vault_pda(),
            destination,
            usdc_token_program: usdc_program,
        },
        ix::UsdeSurplusSweep {},
    )
}

pub fn meter_open(device: Pubkey, payer: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::MeterOpen {
            device,
            meter: meter_pda(&device),
            payer,
            system_program: system_program::ID,
        },
        ix::MeterOpen {},
    )
}

/// Accounts of a settlement: which device (and the owner billed and paid), tariff, utility
/// program the device is enrolled in, and token accounts are involved.
#[derive(Clone)]
pub struct SettleAccounts {
    pub device: Pubkey,
    pub owner: Pubkey,
    pub tariff: Pubkey,
    pub utility: Pubkey,
    pub program: Pubkey,
    pub owner_usde: Pubkey,
    pub utility_treasury: Pubkey,
}

pub fn meter_settle(a: &SettleAccounts, args: MeterSettleArgs) -> Instruction {
    anchor_ix(
        ID,
        acc::MeterSettle {
            config: config_pda(),
            device: a.device,
            meter: meter_pda(&a.device),
            tariff: a.tariff,
            revision: tariff_revision_pda(&a.tariff, args.revision),
            binding: binding_pda(&a.tariff, &a.device),
            enrollment: crate::routing::enrollment_pda(&a.program, &a.device),
            utility: a.utility,
            usde_mint: usde_mint_pda(),
            owner_usde: a.owner_usde,
            utility_treasury: a.utility_treasury,
            export_vault: export_vault_pda(&a.tariff),
            mandate: mandate_pda(&a.owner, &a.device),
            settlement_authority: settlement_pda(),
            instructions: solana_sdk::sysvar::instructions::ID,
            token_2022_program: TOKEN_2022,
        },
        ix::MeterSettle { args },
    )
}

/// The bytes the device `device_key` signs for `args` against `tariff`.
pub fn reading_message_for(
    device_key: &Pubkey,
    tariff: &Pubkey,
    args: &MeterSettleArgs,
) -> Vec<u8> {
    ovpp_payments::signature::reading_message(device_key, tariff, &args.into())
}

/// One `meter_settle_batch` over `readings` (consecutive, in order).
pub fn meter_settle_batch(a: &SettleAccounts, readings: Vec<MeterSettleArgs>) -> Instruction {
    let mut ix = meter_settle(a, readings[0].clone());
    ix.data = anchor_lang::InstructionData::data(&ix::MeterSettleBatch {
        args: MeterSettleBatchArgs { readings },
    });
    ix
}

/// The ed25519 precompile instruction carrying one signature by `device_key` per message, all
/// sharing one inline public key (what a batch settlement sends).
pub fn ed25519_verify_many(
    device_key: &solana_sdk::signature::Keypair,
    messages: &[Vec<u8>],
) -> Instruction {
    use solana_sdk::signature::Signer;
    let n = messages.len();
    let header = 2 + 14 * n;
    let mut data = vec![0u8; header];
    data[0] = n as u8;
    data.extend_from_slice(&device_key.pubkey().to_bytes());
    let pk_off = header as u16;
    for (i, message) in messages.iter().enumerate() {
        let sig_off = data.len() as u16;
        let sig: [u8; 64] = device_key.sign_message(message).into();
        data.extend_from_slice(&sig);
        let msg_off = data.len() as u16;
        data.extend_from_slice(message);
        let at = 2 + 14 * i;
        for (j, v) in [
            sig_off,
            u16::MAX,
            pk_off,
            u16::MAX,
            msg_off,
            message.len() as u16,
            u16::MAX,
        ]
        .into_iter()
        .enumerate()
        {
            data[at + 2 * j..at + 2 * j + 2].copy_from_slice(&v.to_le_bytes());
        }
    }
    Instruction {
        program_id: solana_sdk::pubkey!("Ed25519SigVerify111111111111111111111111111"),
        accounts: vec![],
        data,
    }
}

/// The ed25519 precompile instruction carrying `device_key`'s signature over `message`.
pub fn ed25519_verify(device_key: &solana_sdk::signature::Keypair, message: &[u8]) -> Instruction {
    use solana_sdk::signature::Signer;
    let signature = device_key.sign_message(message);
    let sig: [u8; 64] = signature.into();
    solana_ed25519_program::new_ed25519_instruction_with_signature(
        message,
        &sig,
        &device_key.pubkey().to_bytes(),
    )
}

pub fn dr_event_create(
    utility: Pubkey,
    authority: Pubkey,
    funding: Pubkey,
    payer: Pubkey,
    args: DrEventCreateArgs,
) -> Instruction {
    let event = dr_event_pda(&utility, args.event_id);
    anchor_ix(
        ID,
        acc::DrEventCreate {
            config: config_pda(),
            utility,
            authority,
            event,
            vault: dr_vault_pda(&event),
            usde_mint: usde_mint_pda(),
            funding,
            payer,
            token_2022_program: TOKEN_2022,
            system_program: system_program::ID,
        },
        ix::DrEventCreate { args },
    )
}

#[allow(clippy::too_many_arguments)]
pub fn dr_reward_pay(
    event: Pubkey,
    authority: Pubkey,
    utility: Pubkey,
    device: Pubkey,
    owner_usde: Pubkey,
    payer: Pubkey,
    flex_wh: u64,
) -> Instruction {
    anchor_ix(
        ID,
        acc::DrRewardPay {
            event,
            authority,
            utility,
            vault: dr_vault_pda(&event),
            device,
            reward: dr_reward_pda(&event, &device),
            usde_mint: usde_mint_pda(),
            owner_usde,
            payer,
            token_2022_program: TOKEN_2022,
            system_program: system_program::ID,
        },
        ix::DrRewardPay {
            args: DrRewardPayArgs { flex_wh },
        },
    )
}

pub fn dr_event_close(event: Pubkey, authority: Pubkey, refund: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::DrEventClose {
            event,
            authority,
            vault: dr_vault_pda(&event),
            usde_mint: usde_mint_pda(),
            refund,
            token_2022_program: TOKEN_2022,
        },
        ix::DrEventClose {},
    )
}

/// `meter_gap` voiding `from_seq..to_seq`, preceded by the device's ed25519 signature over
/// the gap message.
pub fn meter_gap_signed(
    device_key: &solana_sdk::signature::Keypair,
    from_seq: u64,
    to_seq: u64,
) -> Vec<Instruction> {
    use solana_sdk::signer::Signer;
    let device = crate::registry::device_pda(&device_key.pubkey());
    let message = ovpp_payments::signature::gap_message(&device_key.pubkey(), from_seq, to_seq);
    vec![
        ed25519_verify(device_key, &message),
        anchor_ix(
            ID,
            acc::MeterGap {
                device,
                meter: meter_pda(&device),
                instructions: solana_sdk::sysvar::instructions::ID,
            },
            ix::MeterGap {
                args: MeterGapArgs { from_seq, to_seq },
            },
        ),
    ]
}
