use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::transfer_hook::TransferHookAccount;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::Account as SplTokenAccount;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::constants::*;
use crate::errors::HookError;
use crate::instructions::meta_list_init::payments_config;
use crate::participant::is_participant;

#[derive(Accounts)]
pub struct Execute<'info> {
    #[account(token::mint = mint)]
    pub source: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        constraint = mint.mint_authority == Some(payments_config()).into() @ HookError::ForeignMint,
    )]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(token::mint = mint)]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: the transfer authority (owner or delegate); Token-2022 already checked it.
    pub owner: UncheckedAccount<'info>,
    /// CHECK: the validation account, pinned by seeds; Token-2022 resolved the extras from it.
    #[account(seeds = [SEED_EXTRA_ACCOUNT_METAS, mint.key().as_ref()], bump)]
    pub extra_account_meta_list: UncheckedAccount<'info>,
    /// CHECK: the registry program id, pinned by address.
    #[account(address = ovpp_registry::ID)]
    pub registry_program: UncheckedAccount<'info>,
    /// CHECK: sender's `["partner", wallet]`; verified by `is_participant`.
    pub source_partner: UncheckedAccount<'info>,
    /// CHECK: sender's `["member", wallet]`; verified by `is_participant`.
    pub source_member: UncheckedAccount<'info>,
    /// CHECK: recipient's `["partner", wallet]`; verified by `is_participant`.
    pub destination_partner: UncheckedAccount<'info>,
    /// CHECK: recipient's `["member", wallet]`; verified by `is_participant`.
    pub destination_member: UncheckedAccount<'info>,
}

/// Fails unless the source account is mid-transfer (set by Token-2022 only while it runs the
/// hook), so the hook cannot be invoked directly to fake an approval.
fn require_transferring(source: &AccountInfo) -> Result<()> {
    let data = source.try_borrow_data()?;
    let account = StateWithExtensions::<SplTokenAccount>::unpack(&data)?;
    let hook = account.get_extension::<TransferHookAccount>()?;
    require!(bool::from(hook.transferring), HookError::NotTransferring);
    Ok(())
}

impl Execute<'_> {
    /// The whole hook: the source is mid-transfer (so this is Token-2022 calling) and both the
    /// sender and the recipient wallet are active registry participants.
    fn validate(&self) -> Result<()> {
        require_transferring(&self.source.to_account_info())?;
        require!(
            is_participant(
                &self.source.owner,
                &self.source_partner,
                &self.source_member
            )?,
            HookError::SenderNotParticipant
        );
        require!(
            is_participant(
                &self.destination.owner,
                &self.destination_partner,
                &self.destination_member
            )?,
            HookError::RecipientNotParticipant
        );
        Ok(())
    }
}

/// Token-2022 transfer hook: approves the transfer when `validate` passes; changes nothing.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<Execute>, _amount: u64) -> Result<()> {
    Ok(())
}
