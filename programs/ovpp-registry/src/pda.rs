//! Creating a program-owned account at a predictable address (a PDA) without letting a
//! pre-funded address block it: `system_program::create_account` fails on any address that
//! already holds lamports, and anyone can send lamports to a PDA before it is created.
use anchor_lang::prelude::*;
use anchor_lang::system_program::{allocate, assign, create_account, transfer};
use anchor_lang::system_program::{Allocate, Assign, CreateAccount, Transfer};

/// Creates `target` (a system-owned PDA signed for by `signer_seeds`) with `space` bytes,
/// rent-exempt, owned by `owner`. An empty address gets `create_account`; an address that
/// already holds lamports gets the shortfall transferred, then `allocate` + `assign` (what
/// Anchor's `init` does), so pre-funding it cannot block creation.
pub fn create_pda_account<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    space: usize,
    owner: &Pubkey,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    let rent = Rent::get()?.minimum_balance(space);
    let current = target.lamports();
    if current == 0 {
        return create_account(
            CpiContext::new_with_signer(
                system_program.clone(),
                CreateAccount {
                    from: payer.clone(),
                    to: target.clone(),
                },
                signer_seeds,
            ),
            rent,
            space as u64,
            owner,
        );
    }
    let shortfall = rent.saturating_sub(current);
    if shortfall > 0 {
        transfer(
            CpiContext::new(
                system_program.clone(),
                Transfer {
                    from: payer.clone(),
                    to: target.clone(),
                },
            ),
            shortfall,
        )?;
    }
    allocate(
        CpiContext::new_with_signer(
            system_program.clone(),
            Allocate {
                account_to_allocate: target.clone(),
            },
            signer_seeds,
        ),
        space as u64,
    )?;
    assign(
        CpiContext::new_with_signer(
            system_program.clone(),
            Assign {
                account_to_assign: target.clone(),
            },
            signer_seeds,
        ),
        owner,
    )
}
