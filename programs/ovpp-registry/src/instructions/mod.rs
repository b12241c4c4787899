#![allow(ambiguous_glob_reexports)]

pub mod attestation_issue;
pub mod attestation_revoke;
pub mod config_authority_set;
pub mod config_init;
pub mod device_capabilities_update;
pub mod device_owner_transfer;
pub mod device_register;
pub mod device_status_set;
pub mod member_register;
pub mod member_status_set;
pub mod name_register;
pub mod name_release;
pub mod partner_ca_add;
pub mod partner_ca_remove;
pub mod partner_register;
pub mod partner_status_set;

pub use attestation_issue::*;
pub use attestation_revoke::*;
pub use config_authority_set::*;
pub use config_init::*;
pub use device_capabilities_update::*;
pub use device_owner_transfer::*;
pub use device_register::*;
pub use device_status_set::*;
pub use member_register::*;
pub use member_status_set::*;
pub use name_register::*;
pub use name_release::*;
pub use partner_ca_add::*;
pub use partner_ca_remove::*;
pub use partner_register::*;
pub use partner_status_set::*;
