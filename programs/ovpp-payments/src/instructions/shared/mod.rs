//! Logic that twin instructions share, written once (as p-token's `processor/shared/`).
//!
//! The twins keep one flat `#[derive(Accounts)]` struct each: a composed struct would reach the
//! IDL as a nested account group, which changes how the official Anchor client is called
//! (`accounts({ group: { … } })`) and which the every-instruction compatibility test refuses.
//! The logic of a pair therefore lives here (or on its state account, as
//! [`DrEvent::require_ended`](crate::state::DrEvent::require_ended) and
//! [`pay_from_event_vault`](crate::state::pay_from_event_vault) for `dr_event_close` and
//! `dr_reward_pay`), and the config PDA signs through
//! [`PaymentsConfig::signer_seeds`](crate::state::PaymentsConfig::signer_seeds).
pub mod unit_trade;
