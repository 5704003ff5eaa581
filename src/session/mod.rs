//! The I/O around the pure core: reading buckets into plans, carrying plans out, keeping backups.
pub mod apply;
pub mod backup;
pub mod interactive;
pub mod plan;
pub mod prompt;
pub mod rollback;
pub mod saved;
