use anchor_lang::prelude::*;

use crate::constants::SEED_CONFIG;
use crate::errors::RegistryError;
use crate::events::ConfigAuthorityChanged;
use crate::state::Config;

#[derive(Accounts)]
pub struct ConfigAuthoritySet<'info> {
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
    pub authority: Signer<'info>,
    /// The new authority signs too, so a mistyped key cannot lock the protocol.
    pub new_authority: Signer<'info>,
}

/// Hands the protocol authority to a new key (both keys sign).
pub fn handler(ctx: Context<ConfigAuthoritySet>) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let old_authority = config.authority;
    config.authority = ctx.accounts.new_authority.key();
    emit!(ConfigAuthorityChanged {
        config: config.key(),
        old_authority,
        new_authority: config.authority,
    });
    Ok(())
}
