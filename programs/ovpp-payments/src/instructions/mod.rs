#![allow(ambiguous_glob_reexports)]

pub mod dr_event_close;
pub mod dr_event_create;
pub mod dr_reward_pay;
pub mod meter_open;
pub mod meter_settle;
pub mod payments_init;
pub mod payments_pause_set;
pub mod tariff_create;
pub mod tariff_update;
pub mod unit_buy;
pub mod unit_market_create;
pub mod unit_sell;
pub mod usde_unwrap;
pub mod usde_wrap;

pub use dr_event_close::*;
pub use dr_event_create::*;
pub use dr_reward_pay::*;
pub use meter_open::*;
pub use meter_settle::*;
pub use payments_init::*;
pub use payments_pause_set::*;
pub use tariff_create::*;
pub use tariff_update::*;
pub use unit_buy::*;
pub use unit_market_create::*;
pub use unit_sell::*;
pub use usde_unwrap::*;
pub use usde_wrap::*;
