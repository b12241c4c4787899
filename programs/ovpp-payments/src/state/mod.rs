pub mod binding;
pub mod config;
pub mod dr_event;
pub mod mandate;
pub mod market;
pub mod meter;
pub mod tariff;

pub use binding::*;
pub use config::*;
pub use dr_event::*;
pub use mandate::*;
pub use market::*;
pub use meter::*;
pub use tariff::*;

use anchor_lang::prelude::*;

/// Reads the `T` at `info`, owned by `owner`, or fails with `err` when it is missing, closed,
/// another program's or another type: for the accounts settlement loads by hand (only when it
/// needs them, or to refuse with a named error instead of Anchor's generic one).
pub fn load_account<T: AccountDeserialize>(
    info: &AccountInfo,
    owner: &Pubkey,
    err: crate::errors::PaymentsError,
) -> Result<T> {
    require_keys_eq!(*info.owner, *owner, err);
    let data = info.try_borrow_data()?;
    T::try_deserialize(&mut &data[..]).map_err(|_| error!(err))
}

/// Writes `value` back to the account at `info` it was loaded from by [`load_account`].
pub fn store_account<T: AccountSerialize>(info: &AccountInfo, value: &T) -> Result<()> {
    let mut data = info.try_borrow_mut_data()?;
    value.try_serialize(&mut &mut data[..])
}
