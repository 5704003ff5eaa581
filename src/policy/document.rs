//! The lossless policy model.
//!
//! A stored bucket policy is kept as the JSON tree it was parsed from (object key order preserved), so
//! that every statement the tool does not own is written back exactly as it was. Parsing also checks
//! the grammar's shapes (string-or-list fields, a Principal map of lists, ...) so that everything
//! downstream (canonical form, merge, guards) can rely on them without re-checking.

use serde_json::{Map, Value};

/// Why a policy text is not a policy we can work with.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PolicyError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("the policy is a JSON {0}, not an object")]
    NotObject(&'static str),
    #[error(
        "the text is a GetBucketPolicy response wrapper ({{\"Policy\": \"...\"}}), not a policy document"
    )]
    ResponseWrapper,
    #[error("the text is {0} bytes: far larger than any bucket policy S3 accepts (20 KB)")]
    TooLarge(usize),
    #[error("`Statement` must be an object or a list of objects, found {0}")]
    BadStatement(&'static str),
    #[error("statement {at}: `{field}` {problem}")]
    BadField {
        at: String,
        field: &'static str,
        problem: String,
    },
}

/// A parsed policy document. The tree is the source of truth; accessors read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    root: Map<String, Value>,
}

/// Stored policies are at most 20 KB; anything far larger is not one, and is refused before parsing.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// Walks a JSON document and fails on the first object holding the same key twice.
struct NoDuplicateKeys;

impl<'de> serde::Deserialize<'de> for NoDuplicateKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NoDuplicateKeysVisitor)
    }
}

struct NoDuplicateKeysVisitor;

impl<'de> serde::de::Visitor<'de> for NoDuplicateKeysVisitor {
    type Value = NoDuplicateKeys;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<NoDuplicateKeys>()?;
            if !seen.insert(key.clone()) {
                return Err(serde::de::Error::custom(format!(
                    "the key `{key}` appears twice in one object (a parser would silently keep only one)"
                )));
            }
        }
        Ok(NoDuplicateKeys)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<NoDuplicateKeys>()?.is_some() {}
        Ok(NoDuplicateKeys)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
}

/// Fields of a statement that hold a string or a list of strings.
pub const STRING_OR_LIST_FIELDS: [&str; 4] = ["Action", "NotAction", "Resource", "NotResource"];
pub const PRINCIPAL_FIELDS: [&str; 2] = ["Principal", "NotPrincipal"];

impl Policy {
    /// Parse a policy text, checking the shapes of the elements the tool reads.
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        if text.len() > MAX_TEXT_BYTES {
            return Err(PolicyError::TooLarge(text.len()));
        }
        // serde_json keeps the last of two equal keys and drops the first without a word; a
        // policy with `"Effect"` twice would be written back with one of them gone.
        serde_json::from_str::<NoDuplicateKeys>(text)
            .map_err(|e| PolicyError::Json(e.to_string()))?;
        let value: Value =
            serde_json::from_str(text).map_err(|e| PolicyError::Json(e.to_string()))?;
        Policy::from_value(value)
    }

    pub fn from_value(value: Value) -> Result<Policy, PolicyError> {
        let root = match value {
            Value::Object(map) => map,
            other => return Err(PolicyError::NotObject(type_name(&other))),
        };
        // `aws s3api get-bucket-policy` output fed back in: a classic way to lose an afternoon.
        if root.len() == 1 && root.get("Policy").is_some_and(Value::is_string) {
            return Err(PolicyError::ResponseWrapper);
        }
        let policy = Policy { root };
        match policy.root.get("Statement") {
            None | Some(Value::Object(_)) => {}
            Some(Value::Array(items)) => {
                if let Some(bad) = items.iter().find(|v| !v.is_object()) {
                    return Err(PolicyError::BadStatement(type_name(bad)));
                }
            }
            Some(other) => return Err(PolicyError::BadStatement(type_name(other))),
        }
        for (index, statement) in policy.statements().iter().enumerate() {
            check_statement(index, statement)?;
        }
        Ok(policy)
    }

    pub fn new_empty(version: &str) -> Policy {
        let mut root = Map::new();
        root.insert("Version".into(), Value::String(version.into()));
        root.insert("Statement".into(), Value::Array(Vec::new()));
        Policy { root }
    }

    pub fn root(&self) -> &Map<String, Value> {
        &self.root
    }

    pub fn version(&self) -> Option<&str> {
        self.root.get("Version").and_then(Value::as_str)
    }

    /// The statements in document order, whether `Statement` is one object or a list.
    pub fn statements(&self) -> Vec<&Map<String, Value>> {
        match self.root.get("Statement") {
            Some(Value::Object(one)) => vec![one],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
            _ => Vec::new(),
        }
    }

    /// Replace the statement at `index` (document order).
    pub fn replace_statement(&mut self, index: usize, statement: Map<String, Value>) {
        match self.root.get_mut("Statement") {
            Some(Value::Object(one)) if index == 0 => *one = statement,
            Some(Value::Array(items)) => items[index] = Value::Object(statement),
            _ => panic!("replace_statement: no statement at index {index}"),
        }
    }

    /// Append a statement. A single-object `Statement` becomes a list holding the old object first.
    pub fn push_statement(&mut self, statement: Map<String, Value>) {
        match self.root.get_mut("Statement") {
            Some(Value::Array(items)) => items.push(Value::Object(statement)),
            Some(Value::Object(one)) => {
                let old = std::mem::take(one);
                self.root.insert(
                    "Statement".into(),
                    Value::Array(vec![Value::Object(old), Value::Object(statement)]),
                );
            }
            _ => {
                self.root.insert(
                    "Statement".into(),
                    Value::Array(vec![Value::Object(statement)]),
                );
            }
        }
    }

    /// Edit statements in place; those for which `f` returns false are removed.
    pub fn retain_statements(&mut self, mut f: impl FnMut(&mut Map<String, Value>) -> bool) {
        let keep_single = match self.root.get_mut("Statement") {
            Some(Value::Object(one)) => f(one),
            Some(Value::Array(items)) => {
                items.retain_mut(|item| match item {
                    Value::Object(statement) => f(statement),
                    _ => true,
                });
                true
            }
            _ => true,
        };
        if !keep_single {
            self.root
                .insert("Statement".into(), Value::Array(Vec::new()));
        }
    }

    /// Pretty-printed with a two-space indent, keys in document order: the form we write and diff.
    pub fn to_pretty(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.root).expect("a JSON tree serializes");
        text.push('\n');
        text
    }

    /// Compact, as AWS measures a policy's size.
    pub fn to_compact(&self) -> String {
        serde_json::to_string(&self.root).expect("a JSON tree serializes")
    }
}

/// A label for a statement in messages: its Sid when it has one, else its position.
pub fn statement_label(index: usize, statement: &Map<String, Value>) -> String {
    match statement.get("Sid").and_then(Value::as_str) {
        Some(sid) if !sid.is_empty() => format!("#{} (Sid `{}`)", index + 1, sid),
        _ => format!("#{}", index + 1),
    }
}

pub fn sid_of(statement: &Map<String, Value>) -> Option<&str> {
    statement.get("Sid").and_then(Value::as_str)
}

fn check_statement(index: usize, statement: &Map<String, Value>) -> Result<(), PolicyError> {
    let bad = |field: &'static str, problem: String| PolicyError::BadField {
        at: statement_label(index, statement),
        field,
        problem,
    };
    for field in ["Sid", "Effect"] {
        if let Some(v) = statement.get(field) {
            if !v.is_string() {
                return Err(bad(
                    field,
                    format!("must be a string, found {}", type_name(v)),
                ));
            }
        }
    }
    for field in STRING_OR_LIST_FIELDS {
        if let Some(v) = statement.get(field) {
            string_or_list(v).map_err(|problem| bad(field, problem))?;
        }
    }
    for field in PRINCIPAL_FIELDS {
        match statement.get(field) {
            None | Some(Value::String(_)) => {}
            Some(Value::Object(map)) => {
                for (kind, v) in map {
                    string_or_list(v)
                        .map_err(|problem| bad(field, format!("`{kind}` {problem}")))?;
                }
            }
            Some(other) => {
                return Err(bad(
                    field,
                    format!("must be \"*\" or an object, found {}", type_name(other)),
                ))
            }
        }
    }
    match statement.get("Condition") {
        None => {}
        Some(Value::Object(operators)) => {
            for (operator, keys) in operators {
                let Value::Object(keys) = keys else {
                    return Err(bad(
                        "Condition",
                        format!("operator `{operator}` must map keys to values"),
                    ));
                };
                for (key, values) in keys {
                    condition_values(values).map_err(|problem| {
                        bad("Condition", format!("`{operator}` `{key}` {problem}"))
                    })?;
                }
            }
        }
        Some(other) => {
            return Err(bad(
                "Condition",
                format!("must be an object, found {}", type_name(other)),
            ))
        }
    }
    Ok(())
}

/// A string-or-list element as its list of strings.
pub fn string_or_list(value: &Value) -> Result<Vec<&str>, String> {
    match value {
        Value::String(s) => Ok(vec![s.as_str()]),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| format!("must hold only strings, found {}", type_name(v)))
            })
            .collect(),
        other => Err(format!(
            "must be a string or a list of strings, found {}",
            type_name(other)
        )),
    }
}

/// Condition values as AWS reads them: strings, with JSON booleans and numbers as their text.
pub fn condition_values(value: &Value) -> Result<Vec<String>, String> {
    fn scalar(v: &Value) -> Result<String, String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Bool(b) => Ok(b.to_string()),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(format!(
                "values must be strings, numbers or booleans, found {}",
                type_name(other)
            )),
        }
    }
    match value {
        Value::Array(items) => items.iter().map(scalar).collect(),
        other => Ok(vec![scalar(other)?]),
    }
}

pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_object_statement_is_one_statement() {
        let p = Policy::parse(r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject"}}"#)
            .unwrap();
        assert_eq!(p.statements().len(), 1);
    }

    #[test]
    fn push_onto_single_object_keeps_it_first() {
        let mut p = Policy::parse(r#"{"Statement": {"Sid": "a"}}"#).unwrap();
        let mut s = Map::new();
        s.insert("Sid".into(), "b".into());
        p.push_statement(s);
        let sids: Vec<_> = p.statements().iter().map(|s| sid_of(s).unwrap()).collect();
        assert_eq!(sids, ["a", "b"]);
    }

    #[test]
    fn key_order_and_unknown_keys_survive_round_trip() {
        let text = r#"{"Id":"x","Statement":[{"Resource":"r","Zed":1,"Effect":"Allow"}],"Version":"2012-10-17","Extra":[1,2]}"#;
        assert_eq!(Policy::parse(text).unwrap().to_compact(), text);
    }

    #[test]
    fn wrapper_from_get_bucket_policy_is_named() {
        let err = Policy::parse(r#"{"Policy": "{\"Version\":\"2012-10-17\"}"}"#).unwrap_err();
        assert_eq!(err, PolicyError::ResponseWrapper);
    }

    #[test]
    fn duplicate_keys_are_rejected_not_silently_dropped() {
        for text in [
            r#"{"Statement":[{"Effect":"Deny","Effect":"Allow"}]}"#,
            r#"{"Statement":[],"Statement":[{"Sid":"a"}]}"#,
            r#"{"Statement":[{"Condition":{"Bool":{"k":"a","k":"b"}}}]}"#,
        ] {
            let err = Policy::parse(text).unwrap_err().to_string();
            assert!(err.contains("appears twice"), "{text}: {err}");
        }
    }

    #[test]
    fn numbers_are_kept_as_written() {
        let text = r#"{"Statement":[{"Condition":{"NumericLessThan":{"k":[12345678901234567890123,-0,1.20,7]}}}]}"#;
        assert_eq!(Policy::parse(text).unwrap().to_compact(), text);
        // The one rewrite serde_json makes: an exponent gets its sign.
        let exp = r#"{"Statement":[{"Condition":{"NumericLessThan":{"k":1e3}}}]}"#;
        assert!(Policy::parse(exp).unwrap().to_compact().contains("1e+3"));
    }

    #[test]
    fn bad_shapes_are_rejected_with_the_statement_named() {
        for (text, needle) in [
            (r#"{"Statement": 42}"#, "found number"),
            (r#"{"Statement": [{"Sid":"s","Resource": {}}]}"#, "Sid `s`"),
            (r#"{"Statement": [{"Action": [42]}]}"#, "only strings"),
            (r#"{"Statement": [{"Principal": 7}]}"#, "Principal"),
            (
                r#"{"Statement": [{"Condition": {"Bool": {"k": null}}}]}"#,
                "null",
            ),
            ("[]", "list"),
            ("", "JSON"),
        ] {
            let err = Policy::parse(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }
}
