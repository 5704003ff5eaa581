//! Bucket policies: the lossless document, its canonical form, an evaluator, and IAM-style wildcard
//! matching.
pub mod canonical;
pub mod document;
pub mod eval;
pub mod wildcard;
