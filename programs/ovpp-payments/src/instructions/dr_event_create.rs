use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};
use ovpp_registry::state::Partner;

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::DrEventCreated;
use crate::state::{DrEvent, PaymentsConfig};
use crate::token_ops::TokenCpi;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct DrEventCreateArgs {
    pub event_id: u32,
    pub start: i64,
    pub end: i64,
    /// Raw USDE per kWh of verified flexibility.
    pub reward_per_kwh: u64,
    /// USDE escrowed now from the utility's account.
    pub budget: u64,
}

#[derive(Accounts)]
#[instruction(args: DrEventCreateArgs)]
pub struct DrEventCreate<'info> {
    #[account(seeds = [SEED_PAYMENTS], bump = config.bump, has_one = usde_mint @ PaymentsError::ConfigMismatch)]
    pub config: Box<Account<'info, PaymentsConfig>>,
    #[account(
        constraint = utility.authority == authority.key() @ PaymentsError::Unauthorized,
        constraint = utility.is_active_utility() @ PaymentsError::NotActiveUtility,
    )]
    pub utility: Box<Account<'info, Partner>>,
    pub authority: Signer<'info>,
    #[account(
        init,
        payer = payer,
        space = 8 + DrEvent::INIT_SPACE,
        seeds = [SEED_DR_EVENT, utility.key().as_ref(), &args.event_id.to_le_bytes()],
        bump,
    )]
    pub event: Box<Account<'info, DrEvent>>,
    #[account(
        init,
        payer = payer,
        seeds = [SEED_DR_VAULT, event.key().as_ref()],
        bump,
        token::mint = usde_mint,
        token::authority = event,
        token::token_program = token_2022_program,
    )]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    /// The utility's USDE account funding the budget.
    #[account(mut, token::mint = usde_mint, token::authority = authority)]
    pub funding: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub token_2022_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

impl DrEventCreate<'_> {
    fn validate(&self, args: &DrEventCreateArgs) -> Result<()> {
        require!(
            args.start < args.end && args.reward_per_kwh > 0 && args.budget > 0,
            PaymentsError::InvalidDrEvent
        );
        Ok(())
    }
}

/// Opens a demand-response event and escrows its reward budget.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<DrEventCreate>, args: DrEventCreateArgs) -> Result<()> {
    let a = ctx.accounts;
    TokenCpi {
        token_program: a.token_2022_program.to_account_info(),
        authority: a.authority.to_account_info(),
        signer: &[],
    }
    .transfer_exact(
        a.funding.to_account_info(),
        a.usde_mint.to_account_info(),
        &mut a.vault,
        args.budget,
    )?;

    let event = &mut a.event;
    event.version = 1;
    event.bump = ctx.bumps.event;
    event.vault_bump = ctx.bumps.vault;
    event.utility = a.utility.key();
    event.authority = a.authority.key();
    event.event_id = args.event_id;
    event.start = args.start;
    event.end = args.end;
    event.reward_per_kwh = args.reward_per_kwh;
    event.budget = args.budget;
    event.paid = 0;
    event.participants = 0;
    event.closed = false;
    event.reserved = [0; 64];
    emit!(DrEventCreated {
        event: event.key(),
        utility: event.utility,
        event_id: args.event_id,
        start: args.start,
        end: args.end,
        reward_per_kwh: args.reward_per_kwh,
        budget: args.budget,
    });
    Ok(())
}
