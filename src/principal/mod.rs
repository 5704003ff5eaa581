//! The allowlist: what the user wrote (`spec`) and what goes into the policy (`resolve`).
pub mod resolve;
pub mod spec;
