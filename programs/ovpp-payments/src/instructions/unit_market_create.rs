use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::Mint;
use ovpp_hook::program::OvppHook;

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::UnitMarketCreated;
use crate::oracle::{read_current_result, SWITCHBOARD_ON_DEMAND_IDS};
use crate::state::{PaymentsConfig, UnitKind, UnitMarket};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct UnitMarketCreateArgs {
    pub kind: UnitKind,
    /// Oldest accepted oracle result, in slots.
    pub max_staleness_slots: u32,
    /// Fewest oracle samples accepted.
    pub min_samples: u8,
    /// Widest accepted standard deviation, basis points of the value.
    pub max_confidence_bps: u16,
    /// Spread on both sides, basis points.
    pub spread_bps: u16,
}

#[derive(Accounts)]
#[instruction(args: UnitMarketCreateArgs)]
pub struct UnitMarketCreate<'info> {
    #[account(
        seeds = [SEED_PAYMENTS],
        bump = config.bump,
        has_one = authority @ PaymentsError::Unauthorized,
    )]
    pub config: Box<Account<'info, PaymentsConfig>>,
    pub authority: Signer<'info>,
    #[account(
        init,
        payer = payer,
        space = 8 + UnitMarket::INIT_SPACE,
        seeds = [SEED_MARKET, args.kind.seed()],
        bump,
    )]
    pub market: Box<Account<'info, UnitMarket>>,
    #[account(
        init,
        payer = payer,
        seeds = [SEED_UNIT_MINT, args.kind.seed()],
        bump,
        mint::decimals = TOKEN_DECIMALS,
        mint::authority = config,
        mint::token_program = token_2022_program,
        extensions::transfer_hook::authority = config,
        extensions::transfer_hook::program_id = hook_program,
    )]
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    /// CHECK: the unit mint's transfer-hook validation account, created by the hook program
    /// (which pins it to `["extra-account-metas", mint]`).
    #[account(mut)]
    pub extra_account_meta_list: UncheckedAccount<'info>,
    pub hook_program: Program<'info, OvppHook>,
    /// CHECK: must be owned by the Switchboard on-demand program and parse as a pull feed;
    /// checked in `validate` so a market can never point at anything else.
    pub feed: UncheckedAccount<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub token_2022_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

impl UnitMarketCreate<'_> {
    fn validate(&self, args: &UnitMarketCreateArgs) -> Result<()> {
        require!(
            args.max_staleness_slots > 0
                && args.min_samples > 0
                && args.max_confidence_bps <= MAX_CONFIDENCE_BPS
                && args.spread_bps <= MAX_SPREAD_BPS,
            PaymentsError::InvalidMarketParams
        );
        require!(
            SWITCHBOARD_ON_DEMAND_IDS.contains(self.feed.owner),
            PaymentsError::InvalidOracleOwner
        );
        read_current_result(&self.feed.try_borrow_data()?)?;
        Ok(())
    }
}

/// Creates a unit token (kWh or kg CO2) priced by a Switchboard pull feed, with the
/// participants-only transfer hook and its validation account.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<UnitMarketCreate>, args: UnitMarketCreateArgs) -> Result<()> {
    ovpp_hook::cpi::meta_list_init(CpiContext::new(
        ctx.accounts.hook_program.to_account_info(),
        ovpp_hook::cpi::accounts::MetaListInit {
            payer: ctx.accounts.payer.to_account_info(),
            mint: ctx.accounts.unit_mint.to_account_info(),
            extra_account_meta_list: ctx.accounts.extra_account_meta_list.to_account_info(),
            system_program: ctx.accounts.system_program.to_account_info(),
        },
    ))?;
    let market = &mut ctx.accounts.market;
    market.version = 1;
    market.bump = ctx.bumps.market;
    market.mint_bump = ctx.bumps.unit_mint;
    market.kind = args.kind;
    market.mint = ctx.accounts.unit_mint.key();
    market.feed = ctx.accounts.feed.key();
    market.max_staleness_slots = args.max_staleness_slots;
    market.min_samples = args.min_samples;
    market.max_confidence_bps = args.max_confidence_bps;
    market.spread_bps = args.spread_bps;
    market.backing = 0;
    market.reserved = [0; 64];
    emit!(UnitMarketCreated {
        market: market.key(),
        kind: market.kind,
        mint: market.mint,
        feed: market.feed,
    });
    Ok(())
}
