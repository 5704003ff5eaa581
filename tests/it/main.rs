//! The integration suite: the real binary against a local account directory and against moto
//! server (a real implementation of the S3, IAM and STS APIs, started by `scripts/test`).
//! The corpus checks that read ../shared live in tests/corpus.

mod check;
mod cli;
mod faults;
mod harness;
mod interactive;
mod local;
mod moto;
mod regression;
