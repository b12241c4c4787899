use anchor_lang::prelude::*;

use crate::constants::{SEED_NAME, SEED_REVERSE};
use crate::errors::RegistryError;
use crate::events::NameReleased;
use crate::identity::name_hash;
use crate::state::{NameRecord, ReverseRecord};

#[derive(Accounts)]
pub struct NameRelease<'info> {
    #[account(
        mut,
        close = authority,
        seeds = [SEED_NAME, name_hash(&name_record.name).as_ref()],
        bump = name_record.bump,
        has_one = authority @ RegistryError::Unauthorized,
    )]
    pub name_record: Box<Account<'info, NameRecord>>,
    #[account(
        mut,
        close = authority,
        seeds = [SEED_REVERSE, name_record.target.as_ref()],
        bump = reverse_record.bump,
    )]
    pub reverse_record: Box<Account<'info, ReverseRecord>>,
    /// Receives the rent of both records.
    #[account(mut)]
    pub authority: Signer<'info>,
}

/// Releases a name and its reverse record; the rent returns to the authority.
pub fn handler(ctx: Context<NameRelease>) -> Result<()> {
    emit!(NameReleased {
        name_record: ctx.accounts.name_record.key(),
        name: ctx.accounts.name_record.name.clone(),
        target: ctx.accounts.name_record.target,
    });
    Ok(())
}
