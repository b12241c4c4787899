use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};
use ovpp_registry::state::{Device, Partner, Status};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::DrRewardPaid;
use crate::math::reward_amount;
use crate::state::{pay_from_event_vault, DrEvent, DrReward};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct DrRewardPayArgs {
    /// Flexibility the utility verified for this device (baseline minus actual), Wh.
    pub flex_wh: u64,
}

#[derive(Accounts)]
pub struct DrRewardPay<'info> {
    #[account(
        mut,
        seeds = [SEED_DR_EVENT, event.utility.as_ref(), &event.event_id.to_le_bytes()],
        bump = event.bump,
        has_one = authority @ PaymentsError::Unauthorized,
        constraint = !event.closed @ PaymentsError::DrEventClosed,
    )]
    pub event: Box<Account<'info, DrEvent>>,
    /// The utility authority attests the flexibility it measured.
    pub authority: Signer<'info>,
    /// The event's utility, re-read on every payment: a suspended or revoked utility pays
    /// nothing more (its remaining budget is returned by `dr_event_close`).
    #[account(
        address = event.utility @ PaymentsError::ConfigMismatch,
        constraint = utility.is_active_utility() @ PaymentsError::NotActiveUtility,
    )]
    pub utility: Box<Account<'info, Partner>>,
    #[account(mut, seeds = [SEED_DR_VAULT, event.key().as_ref()], bump = event.vault_bump)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        constraint = device.status == Status::Active @ PaymentsError::DeviceNotActive,
        constraint = device.owner != Pubkey::default() @ PaymentsError::DeviceUnclaimed,
    )]
    pub device: Box<Account<'info, Device>>,
    /// Created here, so a device is paid at most once per event.
    #[account(
        init,
        payer = payer,
        space = 8 + DrReward::INIT_SPACE,
        seeds = [SEED_DR_REWARD, event.key().as_ref(), device.key().as_ref()],
        bump,
    )]
    pub reward: Box<Account<'info, DrReward>>,
    #[account(address = vault.mint @ PaymentsError::ConfigMismatch)]
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    /// The device owner's USDE account.
    #[account(mut, token::mint = usde_mint, token::authority = device.owner)]
    pub owner_usde: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub token_2022_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

impl DrRewardPay<'_> {
    /// The reward for `args.flex_wh` at the event's rate.
    fn amount(&self, args: &DrRewardPayArgs) -> Result<u64> {
        Ok(reward_amount(args.flex_wh, self.event.reward_per_kwh)
            .ok_or(PaymentsError::MathOverflow)?)
    }

    fn validate(&self, args: &DrRewardPayArgs) -> Result<()> {
        self.event.require_ended()?;
        let amount = self.amount(args)?;
        require!(amount > 0, PaymentsError::ZeroOutput);
        require!(
            self.vault.amount >= amount,
            PaymentsError::DrBudgetExhausted
        );
        Ok(())
    }
}

/// Pays a device owner for the flexibility delivered during an event, once per device.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<DrRewardPay>, args: DrRewardPayArgs) -> Result<()> {
    let a = ctx.accounts;
    let amount = a.amount(&args)?;

    pay_from_event_vault(
        &a.event,
        &mut a.vault,
        a.usde_mint.to_account_info(),
        a.owner_usde.to_account_info(),
        a.token_2022_program.to_account_info(),
        amount,
    )?;

    let now = Clock::get()?.unix_timestamp;
    let reward = &mut a.reward;
    reward.bump = ctx.bumps.reward;
    reward.event = a.event.key();
    reward.device = a.device.key();
    reward.flex_wh = args.flex_wh;
    reward.amount = amount;
    reward.paid_at = now;
    let event = &mut a.event;
    event.paid = event
        .paid
        .checked_add(amount)
        .ok_or(PaymentsError::MathOverflow)?;
    event.participants = event
        .participants
        .checked_add(1)
        .ok_or(PaymentsError::MathOverflow)?;
    emit!(DrRewardPaid {
        event: event.key(),
        device: reward.device,
        owner: a.device.owner,
        flex_wh: args.flex_wh,
        amount,
    });
    Ok(())
}
