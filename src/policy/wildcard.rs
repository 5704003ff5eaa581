//! `*` / `?` matching as IAM's `StringLike` does it: case-sensitive, `*` any run of characters
//! (including none), `?` exactly one character. Also used for bucket include/exclude globs, so that
//! one rule holds everywhere a user writes a pattern.

/// Does `text` match `pattern`? Linear-time backtracking over the last `*`.
pub fn matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || (p[pi] != '*' && p[pi] == t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::matches;

    /// The obvious exponential definition, to check the fast one against.
    fn reference(p: &[char], t: &[char]) -> bool {
        match (p.first(), t.first()) {
            (None, _) => t.is_empty(),
            (Some('*'), _) => reference(&p[1..], t) || (!t.is_empty() && reference(p, &t[1..])),
            (Some(_), None) => false,
            (Some('?'), Some(_)) => reference(&p[1..], &t[1..]),
            (Some(a), Some(b)) => a == b && reference(&p[1..], &t[1..]),
        }
    }

    #[test]
    fn agrees_with_reference_on_all_short_strings() {
        let alphabet = ['a', 'b', '*', '?'];
        let mut words = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for w in &words {
                for c in alphabet {
                    next.push(format!("{w}{c}"));
                }
            }
            words.extend(next);
            words.sort();
            words.dedup();
        }
        let texts: Vec<&String> = words.iter().filter(|w| !w.contains(['*', '?'])).collect();
        for p in &words {
            let pc: Vec<char> = p.chars().collect();
            for t in &texts {
                let tc: Vec<char> = t.chars().collect();
                assert_eq!(
                    matches(p, t),
                    reference(&pc, &tc),
                    "pattern {p:?} text {t:?}"
                );
            }
        }
    }

    #[test]
    fn role_session_forms() {
        assert!(matches("AROAEXAMPLE:*", "AROAEXAMPLE:i-0abc"));
        assert!(!matches("AROAEXAMPLE", "AROAEXAMPLE:i-0abc"));
        assert!(!matches("aroaexample:*", "AROAEXAMPLE:i-0abc"));
        assert!(matches("111122223333*", "111122223333:federated"));
    }
}
