pub mod config;
pub mod dr_event;
pub mod mandate;
pub mod market;
pub mod tariff;

pub use config::*;
pub use dr_event::*;
pub use mandate::*;
pub use market::*;
pub use tariff::*;
