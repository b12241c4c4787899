use anchor_lang::prelude::*;

use crate::constants::SEED_CONFIG;
use crate::events::ConfigInitialized;
use crate::state::Config;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct ConfigInitArgs {
    /// The protocol authority.
    pub authority: Pubkey,
}

#[derive(Accounts)]
pub struct ConfigInit<'info> {
    #[account(
        init,
        payer = payer,
        space = 8 + Config::INIT_SPACE,
        seeds = [SEED_CONFIG],
        bump,
    )]
    pub config: Box<Account<'info, Config>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

/// Creates the config once. Deploy and initialise in one step so nobody can front-run it.
pub fn handler(ctx: Context<ConfigInit>, args: ConfigInitArgs) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.version = 1;
    config.bump = ctx.bumps.config;
    config.authority = args.authority;
    config.reserved = [0; 64];
    emit!(ConfigInitialized {
        config: config.key(),
        authority: args.authority,
    });
    Ok(())
}
