//! Colour, decided once per run from `--color`, NO_COLOR and whether stdout is a terminal.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// `NO_COLOR` (any non-empty value, https://no-color.org) wins over `auto`, not over `always`.
    pub fn decide(choice: ColorChoice, no_color_env: bool, is_terminal: bool) -> Style {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && !no_color_env,
        };
        Style { color }
    }

    pub fn plain() -> Style {
        Style { color: false }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn added(&self, t: &str) -> String {
        self.paint("32", t)
    }
    pub fn removed(&self, t: &str) -> String {
        self.paint("31", t)
    }
    pub fn hunk(&self, t: &str) -> String {
        self.paint("36", t)
    }
    pub fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
    pub fn warn(&self, t: &str) -> String {
        self.paint("33", t)
    }
    pub fn error(&self, t: &str) -> String {
        self.paint("1;31", t)
    }
    pub fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_table() {
        for (choice, no_color, tty, want) in [
            (ColorChoice::Auto, false, true, true),
            (ColorChoice::Auto, true, true, false),
            (ColorChoice::Auto, false, false, false),
            (ColorChoice::Always, true, false, true),
            (ColorChoice::Never, false, true, false),
        ] {
            assert_eq!(
                Style::decide(choice, no_color, tty).color,
                want,
                "{choice:?} {no_color} {tty}"
            );
        }
    }
}
