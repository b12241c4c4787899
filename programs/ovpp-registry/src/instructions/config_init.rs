use anchor_lang::prelude::*;

use crate::constants::SEED_CONFIG;
use crate::deployer::require_deployer;
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
    /// The program's deployer: its upgrade authority (or, natively hosted only, the
    /// localnet admin key). It picks the protocol authority.
    pub deployer: Signer<'info>,
    /// CHECK: this program's own account; `require_deployer` checks its address and owner.
    pub program: UncheckedAccount<'info>,
    /// CHECK: the program's ProgramData account; `require_deployer` checks it is the one the
    /// program account points at (unused when the program is natively hosted).
    pub program_data: UncheckedAccount<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl ConfigInit<'_> {
    fn validate(&self) -> Result<()> {
        require_deployer(
            &crate::ID,
            &self.program.to_account_info(),
            &self.program_data.to_account_info(),
            self.deployer.key,
        )
    }
}

/// Creates the config once; only the program's deployer may, so nobody can front-run it.
#[access_control(ctx.accounts.validate())]
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
