//! Token CPIs that prove their own effect.
//!
//! Every movement of USDE, USDC or unit tokens goes through one of these helpers: after the CPI
//! it re-reads the account the instruction controls and requires the exact delta. A fee-bearing
//! or hooked mint, a duplicated account (source == destination) or any other surprise fails with
//! `UnexpectedBalanceChange` instead of leaving the books out of step with the tokens.
//!
//! Invariants are checked as deltas, never as equalities against balances a third party can
//! change (a donation to a vault, a burn through Token-2022): such an equality would let one
//! raw unit freeze the instruction for everyone.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{
    burn, mint_to, transfer_checked, Burn, Mint, MintTo, TokenAccount, TransferChecked,
};

use crate::constants::TOKEN_DECIMALS;
use crate::errors::PaymentsError;

/// Accounts of one token movement: the token program, the mint and the signing authority
/// (a wallet, a delegate, or a PDA with `signer` seeds).
pub struct TokenCpi<'a, 'info> {
    pub token_program: AccountInfo<'info>,
    pub authority: AccountInfo<'info>,
    pub signer: &'a [&'a [&'a [u8]]],
}

impl<'info> TokenCpi<'_, 'info> {
    fn ctx<T: ToAccountMetas + ToAccountInfos<'info>>(
        &self,
        accounts: T,
    ) -> CpiContext<'_, '_, '_, 'info, T> {
        CpiContext::new_with_signer(self.token_program.clone(), accounts, self.signer)
    }

    /// `transfer_checked` of `amount`; `to` must grow by exactly `amount`.
    pub fn transfer_exact(
        &self,
        from: AccountInfo<'info>,
        mint: AccountInfo<'info>,
        to: &mut InterfaceAccount<'info, TokenAccount>,
        amount: u64,
    ) -> Result<()> {
        let before = to.amount;
        transfer_checked(
            self.ctx(TransferChecked {
                from,
                mint,
                to: to.to_account_info(),
                authority: self.authority.clone(),
            }),
            amount,
            TOKEN_DECIMALS,
        )?;
        to.reload()?;
        require_delta(before, to.amount, amount, true)
    }

    /// `transfer_checked` of `amount` out of an account this program controls; `from` must
    /// shrink by exactly `amount`.
    pub fn transfer_out_exact(
        &self,
        from: &mut InterfaceAccount<'info, TokenAccount>,
        mint: AccountInfo<'info>,
        to: AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        let before = from.amount;
        transfer_checked(
            self.ctx(TransferChecked {
                from: from.to_account_info(),
                mint,
                to,
                authority: self.authority.clone(),
            }),
            amount,
            TOKEN_DECIMALS,
        )?;
        from.reload()?;
        require_delta(before, from.amount, amount, false)
    }

    /// `mint_to` of `amount`; the supply must grow by exactly `amount`.
    pub fn mint_exact(
        &self,
        mint: &mut InterfaceAccount<'info, Mint>,
        to: AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        let before = mint.supply;
        mint_to(
            self.ctx(MintTo {
                mint: mint.to_account_info(),
                to,
                authority: self.authority.clone(),
            }),
            amount,
        )?;
        mint.reload()?;
        require_delta(before, mint.supply, amount, true)
    }

    /// `burn` of `amount`; the supply must shrink by exactly `amount`.
    pub fn burn_exact(
        &self,
        mint: &mut InterfaceAccount<'info, Mint>,
        from: AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        let before = mint.supply;
        burn(
            self.ctx(Burn {
                mint: mint.to_account_info(),
                from,
                authority: self.authority.clone(),
            }),
            amount,
        )?;
        mint.reload()?;
        require_delta(before, mint.supply, amount, false)
    }
}

/// `after == before ± amount`, checked.
pub fn require_delta(before: u64, after: u64, amount: u64, grows: bool) -> Result<()> {
    let expected = if grows {
        before.checked_add(amount)
    } else {
        before.checked_sub(amount)
    };
    require!(
        expected == Some(after),
        PaymentsError::UnexpectedBalanceChange
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas() {
        assert!(require_delta(10, 15, 5, true).is_ok());
        assert!(require_delta(10, 14, 5, true).is_err());
        assert!(require_delta(10, 5, 5, false).is_ok());
        assert!(require_delta(10, 10, 5, false).is_err());
        assert!(require_delta(u64::MAX, 0, 1, true).is_err());
        assert!(require_delta(0, 0, 1, false).is_err());
    }
}
