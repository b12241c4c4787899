use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::DrEventClosed;
use crate::state::{pay_from_event_vault, DrEvent};

#[derive(Accounts)]
pub struct DrEventClose<'info> {
    #[account(
        mut,
        seeds = [SEED_DR_EVENT, event.utility.as_ref(), &event.event_id.to_le_bytes()],
        bump = event.bump,
        has_one = authority @ PaymentsError::Unauthorized,
        constraint = !event.closed @ PaymentsError::DrEventClosed,
    )]
    pub event: Box<Account<'info, DrEvent>>,
    pub authority: Signer<'info>,
    #[account(mut, seeds = [SEED_DR_VAULT, event.key().as_ref()], bump = event.vault_bump)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = vault.mint @ PaymentsError::ConfigMismatch)]
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    /// Receives the unspent budget.
    #[account(mut, token::mint = usde_mint, token::authority = authority)]
    pub refund: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_2022_program: Program<'info, Token2022>,
}

impl DrEventClose<'_> {
    fn validate(&self) -> Result<()> {
        self.event.require_ended()
    }
}

/// After the event, returns the unspent budget to the utility and closes the event.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<DrEventClose>) -> Result<()> {
    let a = ctx.accounts;
    let remaining = a.vault.amount;
    if remaining > 0 {
        pay_from_event_vault(
            &a.event,
            &mut a.vault,
            a.usde_mint.to_account_info(),
            a.refund.to_account_info(),
            a.token_2022_program.to_account_info(),
            remaining,
        )?;
    }
    a.event.closed = true;
    emit!(DrEventClosed {
        event: a.event.key(),
        paid: a.event.paid,
        returned: remaining,
        participants: a.event.participants,
    });
    Ok(())
}
