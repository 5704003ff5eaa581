//! A unified diff of two policy texts, both pretty-printed the same way so that only real
//! differences show (a compact AWS-rewritten text against our indented one would differ everywhere).

use similar::{ChangeTag, TextDiff};

use super::sanitize::sanitize;
use super::style::Style;
use crate::policy::document::Policy;

/// The same pretty form for any policy text; text that does not parse is shown as it is.
pub fn normalise_for_diff(text: Option<&str>) -> String {
    match text {
        None => String::new(),
        Some(t) => match Policy::parse(t) {
            Ok(p) => p.to_pretty(),
            Err(_) => {
                let mut s = t.to_string();
                if !s.ends_with('\n') {
                    s.push('\n');
                }
                s
            }
        },
    }
}

pub fn unified(
    old: Option<&str>,
    new: Option<&str>,
    old_label: &str,
    new_label: &str,
    style: Style,
) -> String {
    let old = normalise_for_diff(old);
    let new = normalise_for_diff(new);
    let diff = TextDiff::from_lines(&old, &new);
    let mut out = String::new();
    out.push_str(&style.removed(&format!("--- {}", sanitize(old_label))));
    out.push('\n');
    out.push_str(&style.added(&format!("+++ {}", sanitize(new_label))));
    out.push('\n');
    for group in diff.grouped_ops(3) {
        let (first, last) = (&group[0], &group[group.len() - 1]);
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        out.push_str(&style.hunk(&format!(
            "@@ -{} +{} @@",
            range(old_range.start, old_range.len()),
            range(new_range.start, new_range.len())
        )));
        out.push('\n');
        for op in &group {
            for change in diff.iter_changes(op) {
                let line = sanitize(change.value().trim_end_matches('\n'));
                let text = match change.tag() {
                    ChangeTag::Delete => style.removed(&format!("-{line}")),
                    ChangeTag::Insert => style.added(&format!("+{line}")),
                    ChangeTag::Equal => format!(" {line}"),
                };
                out.push_str(&text);
                out.push('\n');
            }
        }
    }
    out
}

/// Unified-diff range notation: `start,len`, 1-based; an empty range starts before its line.
fn range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{}", start + 1, len),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reformatting_alone_shows_no_change_lines() {
        let out = unified(
            Some(r#"{"Statement":[{"Sid":"a"}]}"#),
            Some("{\n  \"Statement\": [ {\"Sid\": \"a\"} ]\n}"),
            "a",
            "b",
            Style::plain(),
        );
        assert_eq!(out, "--- a\n+++ b\n");
    }

    #[test]
    fn new_policy_is_all_additions() {
        let out = unified(
            None,
            Some(r#"{"Version":"2012-10-17"}"#),
            "a",
            "b",
            Style::plain(),
        );
        assert!(
            out.contains("@@ -0,0 +1,3 @@\n+{\n+  \"Version\": \"2012-10-17\"\n+}\n"),
            "{out}"
        );
    }
}
