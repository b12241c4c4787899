use anchor_lang::prelude::*;
use anchor_spl::token_interface::Mint;
use spl_tlv_account_resolution::account::ExtraAccountMeta;
use spl_tlv_account_resolution::seeds::Seed;
use spl_tlv_account_resolution::state::ExtraAccountMetaList;
use spl_transfer_hook_interface::instruction::ExecuteInstruction;

use crate::constants::*;
use crate::errors::HookError;

/// The extra accounts Token-2022 resolves for every transfer, after the interface's
/// source(0), mint(1), destination(2), owner(3) and validation(4) accounts:
/// 5 registry program, 6/7 sender's partner/member PDAs, 8/9 recipient's partner/member PDAs
/// (wallets read from the token accounts' owner field).
pub fn extra_account_metas() -> Result<Vec<ExtraAccountMeta>> {
    let owner_of = |account_index: u8| Seed::AccountData {
        account_index,
        data_index: TOKEN_ACCOUNT_OWNER_OFFSET,
        length: 32,
    };
    let pda = |seed: &[u8], account_index: u8| {
        ExtraAccountMeta::new_external_pda_with_seeds(
            5,
            &[
                Seed::Literal {
                    bytes: seed.to_vec(),
                },
                owner_of(account_index),
            ],
            false,
            false,
        )
    };
    Ok(vec![
        ExtraAccountMeta::new_with_pubkey(&ovpp_registry::ID, false, false)?,
        pda(ovpp_registry::constants::SEED_PARTNER, 0)?,
        pda(ovpp_registry::constants::SEED_MEMBER, 0)?,
        pda(ovpp_registry::constants::SEED_PARTNER, 2)?,
        pda(ovpp_registry::constants::SEED_MEMBER, 2)?,
    ])
}

/// The payments configuration PDA, mint authority of every unit mint.
pub fn payments_config() -> Pubkey {
    Pubkey::find_program_address(&[PAYMENTS_CONFIG_SEED], &PAYMENTS_PROGRAM_ID).0
}

#[derive(Accounts)]
pub struct MetaListInit<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    /// Only OpenVPP unit mints (minted by the payments configuration) get a list.
    #[account(
        constraint = mint.mint_authority == Some(payments_config()).into() @ HookError::ForeignMint,
    )]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// CHECK: created here at `["extra-account-metas", mint]` and written with the interface's
    /// TLV layout; the seeds constraint pins its address. It may already hold lamports (anyone
    /// can fund a predictable address); creation adopts them instead of failing.
    #[account(mut, seeds = [SEED_EXTRA_ACCOUNT_METAS, mint.key().as_ref()], bump)]
    pub extra_account_meta_list: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// Creates the validation account of a unit mint (once; the payments program calls it when
/// it creates the mint).
pub fn handler(ctx: Context<MetaListInit>) -> Result<()> {
    let metas = extra_account_metas()?;
    let size = ExtraAccountMetaList::size_of(metas.len())?;
    let mint = ctx.accounts.mint.key();
    let bump = [ctx.bumps.extra_account_meta_list];
    let seeds: &[&[u8]] = &[SEED_EXTRA_ACCOUNT_METAS, mint.as_ref(), &bump];
    ovpp_registry::pda::create_pda_account(
        &ctx.accounts.payer.to_account_info(),
        &ctx.accounts.extra_account_meta_list.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        size,
        &crate::ID,
        &[seeds],
    )?;
    let info = ctx.accounts.extra_account_meta_list.to_account_info();
    let mut data = info.try_borrow_mut_data()?;
    ExtraAccountMetaList::init::<ExecuteInstruction>(&mut data, &metas)?;
    Ok(())
}
