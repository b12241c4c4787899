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
