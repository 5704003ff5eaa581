//! Turning plans and outcomes into text. Pure: every function returns a String; the `Printer`
//! in `output` is the only thing that writes, and `Style` is the only thing that knows about colour.
pub mod diff;
pub mod sanitize;
pub mod style;
pub mod text;
