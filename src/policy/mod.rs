//! Bucket policies: the lossless document, its canonical form, and IAM-style wildcard matching.
pub mod canonical;
pub mod document;
pub mod wildcard;
