//! The Rust test kit over the native host (`ovpp-host`): instruction builders and PDA helpers
//! per program, the shared fixtures, the world builder, the stateful fuzzer, and (in `tests/`)
//! the Rust integration tests. Dev/test only: nothing the runtime addon runs lives here.
//!
//! Modules depend downwards only, in this order (no cycle):
//! `keys` (localnet keypairs) and `harness` (a started host, sends, typed failures) at the
//! bottom; the builders `registry`, `routing` (uses `registry`) and `payments` (uses
//! `registry` and `routing`); `fixtures` (multi-step setups over the builders); `world` (the
//! world builder over the fixtures); `fuzz` on top.
pub mod compressed;
pub mod fixtures;
pub mod fuzz;
pub mod harness;
pub mod keys;
pub mod payments;
pub mod registry;
pub mod routing;
pub mod world;
