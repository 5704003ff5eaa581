//! Strings that come from AWS or from files (bucket names, policy text) are shown escaped where they
//! hold control or bidirectional-formatting characters, so that a policy cannot move the cursor,
//! clear the screen, or reorder what the user reads (a "Trojan Source" style forgery).

pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_dangerous(c) {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Serialized JSON with the same characters written as `\uXXXX` escapes: still the same JSON
/// (they can only occur inside strings), but safe to show on a terminal.
pub fn sanitize_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_dangerous(c) && c != '\n' && c != '\t' {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn escapes_terminal_and_bidi_controls_only() {
        assert_eq!(sanitize("a\u{1b}[2Jb"), "a\\u{001b}[2Jb");
        assert_eq!(sanitize("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(sanitize("ok\tline\nnext é"), "ok\tline\nnext é");
        assert_eq!(sanitize("c1\u{9b}"), "c1\\u{009b}");
    }

    #[test]
    fn json_stays_the_same_json() {
        let text = serde_json::to_string(&serde_json::json!({"k": "a\u{202e}b\u{9b}"})).unwrap();
        let safe = super::sanitize_json(&text);
        assert!(!safe.contains('\u{202e}') && !safe.contains('\u{9b}'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["k"], "a\u{202e}b\u{9b}");
    }
}
