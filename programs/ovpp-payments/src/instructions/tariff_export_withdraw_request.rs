use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::ExportWithdrawalRequested;
use crate::state::Tariff;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct TariffExportWithdrawRequestArgs {
    /// USDE (raw) to take back from the export escrow after the notice; 0 cancels.
    pub amount: u64,
}

#[derive(Accounts)]
pub struct TariffExportWithdrawRequest<'info> {
    #[account(
        mut,
        seeds = [SEED_TARIFF, tariff.utility.as_ref(), &tariff.tariff_id.to_le_bytes()],
        bump = tariff.bump,
        has_one = authority @ PaymentsError::Unauthorized,
    )]
    pub tariff: Box<Account<'info, Tariff>>,
    pub authority: Signer<'info>,
}

/// The utility announces a withdrawal of unused export escrow. It can execute only after
/// `EXPORT_WITHDRAW_NOTICE_SECS`, so owners are paid what they are owed first; a new request
/// restarts the notice.
pub fn handler(
    ctx: Context<TariffExportWithdrawRequest>,
    args: TariffExportWithdrawRequestArgs,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let tariff = &mut ctx.accounts.tariff;
    tariff.withdraw_amount = args.amount;
    tariff.withdraw_ready_at = if args.amount == 0 {
        0
    } else {
        now.checked_add(EXPORT_WITHDRAW_NOTICE_SECS)
            .ok_or(PaymentsError::MathOverflow)?
    };
    emit!(ExportWithdrawalRequested {
        tariff: tariff.key(),
        amount: tariff.withdraw_amount,
        ready_at: tariff.withdraw_ready_at,
    });
    Ok(())
}
