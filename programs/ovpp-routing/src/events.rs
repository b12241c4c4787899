use anchor_lang::prelude::*;

use crate::state::{EnrollmentStatus, ProgramKind, Protocol};

#[event]
pub struct ProgramCreated {
    pub program: Pubkey,
    pub utility: Pubkey,
    pub program_id: u32,
    pub kind: ProgramKind,
    pub name: String,
}

#[event]
pub struct ProgramStatusChanged {
    pub program: Pubkey,
    pub open: bool,
}

#[event]
pub struct EnrollmentChanged {
    pub enrollment: Pubkey,
    pub program: Pubkey,
    pub device: Pubkey,
    pub status: EnrollmentStatus,
    pub by: Pubkey,
    pub timestamp: i64,
}

#[event]
pub struct RouteUpdated {
    pub route: Pubkey,
    pub enrollment: Pubkey,
    pub protocol: Protocol,
    pub endpoint: String,
    pub version: u32,
    pub expires_at: i64,
}

#[event]
pub struct RouteRevoked {
    pub route: Pubkey,
    pub enrollment: Pubkey,
    pub version: u32,
}
