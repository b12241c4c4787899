pub mod attestation;
pub mod config;
pub mod device;
pub mod endpoint;
pub mod member;
pub mod name;
pub mod partner;
pub mod status;

pub use attestation::*;
pub use config::*;
pub use device::*;
pub use endpoint::*;
pub use member::*;
pub use name::*;
pub use partner::*;
pub use status::*;
