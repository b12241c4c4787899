use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{transfer_checked, Mint, TokenAccount, TransferChecked};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::DrEventClosed;
use crate::state::DrEvent;

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

/// After the event, returns the unspent budget to the utility and closes the event.
pub fn handler(ctx: Context<DrEventClose>) -> Result<()> {
    let a = ctx.accounts;
    require!(
        Clock::get()?.unix_timestamp >= a.event.end,
        PaymentsError::DrEventNotEnded
    );
    let remaining = a.vault.amount;
    if remaining > 0 {
        let utility = a.event.utility;
        let id = a.event.event_id.to_le_bytes();
        let bump = [a.event.bump];
        let seeds: &[&[u8]] = &[SEED_DR_EVENT, utility.as_ref(), &id, &bump];
        transfer_checked(
            CpiContext::new_with_signer(
                a.token_2022_program.to_account_info(),
                TransferChecked {
                    from: a.vault.to_account_info(),
                    mint: a.usde_mint.to_account_info(),
                    to: a.refund.to_account_info(),
                    authority: a.event.to_account_info(),
                },
                &[seeds],
            ),
            remaining,
            TOKEN_DECIMALS,
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
