#![allow(ambiguous_glob_reexports)]

pub mod payments_init;
pub mod payments_pause_set;
pub mod unit_buy;
pub mod unit_market_create;
pub mod unit_sell;
pub mod usde_unwrap;
pub mod usde_wrap;

pub use payments_init::*;
pub use payments_pause_set::*;
pub use unit_buy::*;
pub use unit_market_create::*;
pub use unit_sell::*;
pub use usde_unwrap::*;
pub use usde_wrap::*;
