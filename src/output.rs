//! The one printer: data to stdout, progress, prompts and errors to stderr, each with its own
//! colour decision (stdout may be a pipe while stderr is a terminal).

use std::io::Write;

use crate::render::style::Style;

pub struct Printer<'a> {
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    pub style: Style,
    pub err_style: Style,
}

impl<'a> Printer<'a> {
    pub fn new(
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
        style: Style,
        err_style: Style,
    ) -> Self {
        Printer {
            out,
            err,
            style,
            err_style,
        }
    }

    /// Data: what a script would capture. Write errors (a closed pipe) are not worth a panic.
    pub fn data(&mut self, text: &str) {
        let _ = self.out.write_all(text.as_bytes());
        let _ = self.out.flush();
    }

    pub fn status(&mut self, text: &str) {
        let _ = writeln!(self.err, "{text}");
    }

    pub fn warning(&mut self, text: &str) {
        let label = self.err_style.warn("warning:");
        let _ = writeln!(self.err, "{label} {text}");
    }

    pub fn prompt(&mut self, text: &str) {
        let _ = write!(self.err, "{text}");
        let _ = self.err.flush();
    }

    /// `error: ...` and, when there is something to do about it, `hint: ...`.
    pub fn error(&mut self, message: &str, hint: Option<&str>) {
        let label = self.err_style.error("error:");
        let _ = writeln!(self.err, "{label} {message}");
        if let Some(hint) = hint {
            let label = self.err_style.bold("hint:");
            let _ = writeln!(self.err, "{label} {hint}");
        }
    }
}
