//! The managed Deny ("the fence") and how it is merged into a stored policy.
pub mod merge;
pub mod statement;
