pub mod config;
pub mod market;
pub mod tariff;

pub use config::*;
pub use market::*;
pub use tariff::*;
