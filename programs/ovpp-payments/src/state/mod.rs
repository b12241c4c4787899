pub mod config;
pub mod market;

pub use config::*;
pub use market::*;
