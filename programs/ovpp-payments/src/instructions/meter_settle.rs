use anchor_lang::prelude::*;
use anchor_lang::solana_program::sysvar;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{transfer_checked, Mint, TokenAccount, TransferChecked};
use ovpp_registry::state::{Device, DeviceStatus, Partner, PartnerStatus};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::ReadingSettled;
use crate::math::settlement_amount;
use crate::signature::{reading_message, verify_previous_ed25519, Reading};
use crate::state::{Meter, PaymentsConfig, Tariff};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct MeterSettleArgs {
    /// Strictly increasing per device.
    pub seq: u64,
    /// Start of the metering interval (unix seconds, UTC); selects the tariff interval.
    pub interval_start: i64,
    /// Energy imported in the interval, Wh.
    pub import_wh: u64,
    /// Energy exported in the interval, Wh.
    pub export_wh: u64,
}

#[derive(Accounts)]
pub struct MeterSettle<'info> {
    #[account(
        seeds = [SEED_PAYMENTS],
        bump = config.bump,
        has_one = usde_mint @ PaymentsError::ConfigMismatch,
        constraint = !config.paused @ PaymentsError::Paused,
    )]
    pub config: Box<Account<'info, PaymentsConfig>>,
    #[account(constraint = device.status == DeviceStatus::Active @ PaymentsError::DeviceNotActive)]
    pub device: Box<Account<'info, Device>>,
    #[account(
        mut,
        seeds = [SEED_METER, device.key().as_ref()],
        bump = meter.bump,
        has_one = device @ PaymentsError::ConfigMismatch,
    )]
    pub meter: Box<Account<'info, Meter>>,
    #[account(
        seeds = [SEED_TARIFF, tariff.utility.as_ref(), &tariff.tariff_id.to_le_bytes()],
        bump = tariff.bump,
        has_one = utility @ PaymentsError::ConfigMismatch,
    )]
    pub tariff: Box<Account<'info, Tariff>>,
    #[account(constraint = utility.status == PartnerStatus::Active @ PaymentsError::NotActiveUtility)]
    pub utility: Box<Account<'info, Partner>>,
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    /// The device owner's USDE account; it has approved the settlement delegate.
    #[account(mut, token::mint = usde_mint, token::authority = device.owner)]
    pub owner_usde: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = tariff.treasury @ PaymentsError::ConfigMismatch)]
    pub utility_treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: PDA `["settlement"]`, the delegate on owners' USDE accounts; signs only here.
    #[account(seeds = [SEED_SETTLEMENT], bump)]
    pub settlement_authority: UncheckedAccount<'info>,
    /// CHECK: the instructions sysvar, pinned by address.
    #[account(address = sysvar::instructions::ID)]
    pub instructions: UncheckedAccount<'info>,
    pub token_2022_program: Program<'info, Token2022>,
}

impl MeterSettle<'_> {
    fn validate(&self, args: &MeterSettleArgs) -> Result<()> {
        require!(
            args.seq > self.meter.last_seq,
            PaymentsError::ReplayedReading
        );
        let now = Clock::get()?.unix_timestamp;
        require!(
            args.interval_start <= now && args.interval_start >= self.tariff.effective_from,
            PaymentsError::InvalidReadingTime
        );
        let daily_max_wh = u64::from(self.device.capabilities.max_import_w).saturating_mul(24);
        require!(
            args.import_wh <= daily_max_wh,
            PaymentsError::ReadingExceedsCapability
        );
        let reading = Reading {
            seq: args.seq,
            interval_start: args.interval_start,
            import_wh: args.import_wh,
            export_wh: args.export_wh,
        };
        let message = reading_message(&self.device.device_key, &self.tariff.key(), &reading);
        verify_previous_ed25519(&self.instructions, &self.device.device_key, &message)
    }
}

/// Settles one device-signed meter reading: the owner's USDE pays the utility at the tariff
/// price of the reading's interval. Each sequence number settles once.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<MeterSettle>, args: MeterSettleArgs) -> Result<()> {
    let a = ctx.accounts;
    let price = a
        .tariff
        .interval_at(args.interval_start)
        .ok_or(PaymentsError::InvalidTariff)?
        .import_price;
    let amount = settlement_amount(args.import_wh, price).ok_or(PaymentsError::MathOverflow)?;

    if amount > 0 {
        let treasury_before = a.utility_treasury.amount;
        let bump = [ctx.bumps.settlement_authority];
        let seeds: &[&[u8]] = &[SEED_SETTLEMENT, &bump];
        transfer_checked(
            CpiContext::new_with_signer(
                a.token_2022_program.to_account_info(),
                TransferChecked {
                    from: a.owner_usde.to_account_info(),
                    mint: a.usde_mint.to_account_info(),
                    to: a.utility_treasury.to_account_info(),
                    authority: a.settlement_authority.to_account_info(),
                },
                &[seeds],
            ),
            amount,
            TOKEN_DECIMALS,
        )?;
        a.utility_treasury.reload()?;
        require!(
            Some(a.utility_treasury.amount) == treasury_before.checked_add(amount),
            PaymentsError::UnexpectedBalanceChange
        );
    }

    let meter = &mut a.meter;
    meter.last_seq = args.seq;
    meter.last_interval_start = args.interval_start;
    meter.total_import_wh = meter
        .total_import_wh
        .checked_add(args.import_wh)
        .ok_or(PaymentsError::MathOverflow)?;
    meter.total_export_wh = meter
        .total_export_wh
        .checked_add(args.export_wh)
        .ok_or(PaymentsError::MathOverflow)?;
    meter.total_paid = meter
        .total_paid
        .checked_add(amount)
        .ok_or(PaymentsError::MathOverflow)?;
    emit!(ReadingSettled {
        device: a.device.key(),
        tariff: a.tariff.key(),
        revision: a.tariff.revision,
        seq: args.seq,
        interval_start: args.interval_start,
        import_wh: args.import_wh,
        export_wh: args.export_wh,
        amount,
    });
    Ok(())
}
