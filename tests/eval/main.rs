//! The policy evaluator (`bucketfence::policy::eval`): a table of cases, each citing the AWS rule it
//! checks, the explanations `check` will print, and property tests tying the evaluator to the
//! canonical form and the wildcard matcher.
//!
//! Rule tags are the source keys of ../shared/docs/AWS-FACTS.md ([OP] condition operators, [PR]
//! Principal, [NP] NotPrincipal, [MV] multiple values, [VAR] variables, [CK] condition keys, ...),
//! plus [EV] for the IAM User Guide's policy evaluation logic page
//! (reference_policies_evaluation-logic.md).

mod cases;
mod explain;
mod fixtures;
mod props;
