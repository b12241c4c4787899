#![allow(ambiguous_glob_reexports)]

pub mod enrollment_decide;
pub mod enrollment_request;
pub mod enrollment_revoke;
pub mod program_create;
pub mod program_status_set;
pub mod route_revoke;
pub mod route_set;

pub use enrollment_decide::*;
pub use enrollment_request::*;
pub use enrollment_revoke::*;
pub use program_create::*;
pub use program_status_set::*;
pub use route_revoke::*;
pub use route_set::*;
