//! Rust instruction builders and PDA helpers for `ovpp_routing` (mirrors `sdk/src/routing`).
use anchor_lang::system_program;
use ovpp_routing::accounts as acc;
use ovpp_routing::constants::*;
use ovpp_routing::instruction as ix;
use ovpp_routing::instructions::*;
use ovpp_routing::ID;
use solana_sdk::instruction::Instruction;
use solana_sdk::pubkey::Pubkey;

use crate::harness::anchor_ix;

pub fn program_pda(utility: &Pubkey, program_id: u32) -> Pubkey {
    Pubkey::find_program_address(
        &[SEED_PROGRAM, utility.as_ref(), &program_id.to_le_bytes()],
        &ID,
    )
    .0
}
pub fn enrollment_pda(program: &Pubkey, device: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED_ENROLLMENT, program.as_ref(), device.as_ref()], &ID).0
}
pub fn route_pda(enrollment: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED_ROUTE, enrollment.as_ref()], &ID).0
}

pub fn program_create(
    utility: Pubkey,
    authority: Pubkey,
    payer: Pubkey,
    args: ProgramCreateArgs,
) -> Instruction {
    anchor_ix(
        ID,
        acc::ProgramCreate {
            utility,
            authority,
            program: program_pda(&utility, args.program_id),
            payer,
            system_program: system_program::ID,
        },
        ix::ProgramCreate { args },
    )
}

pub fn program_status_set(
    program: Pubkey,
    utility: Pubkey,
    authority: Pubkey,
    open: bool,
) -> Instruction {
    anchor_ix(
        ID,
        acc::ProgramStatusSet {
            program,
            utility,
            authority,
        },
        ix::ProgramStatusSet {
            args: ProgramStatusSetArgs { open },
        },
    )
}

pub fn enrollment_request(
    program: Pubkey,
    device: Pubkey,
    vendor: Pubkey,
    requester: Pubkey,
    payer: Pubkey,
) -> Instruction {
    anchor_ix(
        ID,
        acc::EnrollmentRequest {
            program,
            device,
            vendor,
            requester,
            enrollment: enrollment_pda(&program, &device),
            payer,
            system_program: system_program::ID,
        },
        ix::EnrollmentRequest {},
    )
}

pub fn enrollment_decide(
    program: Pubkey,
    utility: Pubkey,
    authority: Pubkey,
    device: Pubkey,
    approve: bool,
) -> Instruction {
    anchor_ix(
        ID,
        acc::EnrollmentDecide {
            program,
            utility,
            authority,
            enrollment: enrollment_pda(&program, &device),
            device,
        },
        ix::EnrollmentDecide {
            args: EnrollmentDecideArgs { approve },
        },
    )
}

pub fn enrollment_revoke(
    program: Pubkey,
    utility: Pubkey,
    device: Pubkey,
    authority: Pubkey,
) -> Instruction {
    anchor_ix(
        ID,
        acc::EnrollmentRevoke {
            program,
            utility,
            enrollment: enrollment_pda(&program, &device),
            device,
            authority,
        },
        ix::EnrollmentRevoke {},
    )
}

pub fn route_set(
    program: Pubkey,
    utility: Pubkey,
    authority: Pubkey,
    device: Pubkey,
    payer: Pubkey,
    args: RouteSetArgs,
) -> Instruction {
    let enrollment = enrollment_pda(&program, &device);
    anchor_ix(
        ID,
        acc::RouteSet {
            program,
            utility,
            authority,
            enrollment,
            device,
            route: route_pda(&enrollment),
            payer,
            system_program: system_program::ID,
            endpoint_attestation: crate::registry::endpoint_attestation_pda(&args.endpoint),
        },
        ix::RouteSet { args },
    )
}

pub fn route_revoke(
    program: Pubkey,
    utility: Pubkey,
    authority: Pubkey,
    device: Pubkey,
) -> Instruction {
    let enrollment = enrollment_pda(&program, &device);
    anchor_ix(
        ID,
        acc::RouteRevoke {
            program,
            utility,
            authority,
            route: route_pda(&enrollment),
        },
        ix::RouteRevoke {},
    )
}
