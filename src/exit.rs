//! The process exit status, one documented set for every command.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing to do, or everything done.
    Success,
    /// An error: bad input, or at least one bucket failed or was skipped.
    Failure,
    /// `plan` found changes to make (like `terraform plan -detailed-exitcode`).
    ChangesPending,
    /// Interrupted (Ctrl-C).
    Interrupted,
}

impl ExitStatus {
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::ChangesPending => 2,
            ExitStatus::Interrupted => 130,
        }
    }
}
