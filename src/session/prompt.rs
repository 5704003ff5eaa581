//! The questions the interactive session asks, behind a small trait: dialoguer on a terminal,
//! a scripted list of answers in tests.

use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, MultiSelect, Select};

/// The user pressed Ctrl-C (or the terminal went away) at a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

pub trait Prompter {
    /// `None` when the user backs out (Esc or q).
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> Result<Option<usize>, Interrupted>;
    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        defaults: &[bool],
    ) -> Result<Option<Vec<usize>>, Interrupted>;
    fn input(&mut self, prompt: &str) -> Result<String, Interrupted>;
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Interrupted>;
}

/// dialoguer on stderr. Colour follows the run's decision for stderr.
pub struct TerminalPrompter {
    color: bool,
    term: dialoguer::console::Term,
}

impl TerminalPrompter {
    pub fn new(color: bool) -> Self {
        TerminalPrompter {
            color,
            term: dialoguer::console::Term::stderr(),
        }
    }

    fn theme(&self) -> Box<dyn Theme> {
        if self.color {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        }
    }

    /// dialoguer leaves the cursor hidden when a prompt is interrupted.
    fn interrupted(&self) -> Interrupted {
        let _ = self.term.show_cursor();
        let _ = self.term.write_line("");
        Interrupted
    }
}

impl Prompter for TerminalPrompter {
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> Result<Option<usize>, Interrupted> {
        let theme = self.theme();
        Select::with_theme(theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .max_length(12)
            .interact_on_opt(&self.term)
            .map_err(|_| self.interrupted())
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        defaults: &[bool],
    ) -> Result<Option<Vec<usize>>, Interrupted> {
        let theme = self.theme();
        MultiSelect::with_theme(theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .defaults(defaults)
            .max_length(12)
            // The session reports the choice itself: the full item lines would wrap badly.
            .report(false)
            .interact_on_opt(&self.term)
            .map_err(|_| self.interrupted())
    }

    fn input(&mut self, prompt: &str) -> Result<String, Interrupted> {
        let theme = self.theme();
        Input::<String>::with_theme(theme.as_ref())
            .with_prompt(prompt)
            .allow_empty(true)
            .interact_text_on(&self.term)
            .map_err(|_| self.interrupted())
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Interrupted> {
        let theme = self.theme();
        Confirm::with_theme(theme.as_ref())
            .with_prompt(prompt)
            .default(default)
            .interact_on(&self.term)
            .map_err(|_| self.interrupted())
    }
}

/// Answers given in advance, for tests of the session's flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scripted {
    Pick(Option<usize>),
    Picks(Option<Vec<usize>>),
    Text(String),
    Yes(bool),
    CtrlC,
}

pub struct ScriptedPrompter {
    pub answers: std::collections::VecDeque<Scripted>,
    /// Every prompt asked, in order, for assertions.
    pub asked: Vec<String>,
}

impl ScriptedPrompter {
    pub fn new(answers: Vec<Scripted>) -> Self {
        ScriptedPrompter {
            answers: answers.into(),
            asked: Vec::new(),
        }
    }

    fn next(&mut self, prompt: &str) -> Scripted {
        self.asked.push(prompt.to_string());
        self.answers
            .pop_front()
            .unwrap_or_else(|| panic!("no scripted answer for {prompt:?}"))
    }
}

impl Prompter for ScriptedPrompter {
    fn select(
        &mut self,
        prompt: &str,
        _items: &[String],
        _default: usize,
    ) -> Result<Option<usize>, Interrupted> {
        match self.next(prompt) {
            Scripted::Pick(p) => Ok(p),
            Scripted::CtrlC => Err(Interrupted),
            other => panic!("{prompt:?}: expected a pick, scripted {other:?}"),
        }
    }
    fn multi_select(
        &mut self,
        prompt: &str,
        _items: &[String],
        _defaults: &[bool],
    ) -> Result<Option<Vec<usize>>, Interrupted> {
        match self.next(prompt) {
            Scripted::Picks(p) => Ok(p),
            Scripted::CtrlC => Err(Interrupted),
            other => panic!("{prompt:?}: expected picks, scripted {other:?}"),
        }
    }
    fn input(&mut self, prompt: &str) -> Result<String, Interrupted> {
        match self.next(prompt) {
            Scripted::Text(t) => Ok(t),
            Scripted::CtrlC => Err(Interrupted),
            other => panic!("{prompt:?}: expected text, scripted {other:?}"),
        }
    }
    fn confirm(&mut self, prompt: &str, _default: bool) -> Result<bool, Interrupted> {
        match self.next(prompt) {
            Scripted::Yes(y) => Ok(y),
            Scripted::CtrlC => Err(Interrupted),
            other => panic!("{prompt:?}: expected yes/no, scripted {other:?}"),
        }
    }
}
