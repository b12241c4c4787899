#![allow(ambiguous_glob_reexports)]

pub mod execute;
pub mod meta_list_init;

pub use execute::*;
pub use meta_list_init::*;
