//! Fault injection: a plan of rules, each matching requests by method and path, answering an
//! error status, waiting, or dropping the connection; reproducible from a seed.

use std::collections::BTreeMap;
use std::sync::Mutex;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// A list of fault rules, the body of `PUT /_emulator/faults` and of `--faults <file>`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultPlan {
    /// The seed of the random draws of rules with a `probability`; the emulator's seed when
    /// unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The rules, tried in order; the first that matches decides.
    #[serde(default)]
    pub rules: Vec<FaultRule>,
}

/// One rule: which requests it hits, how often, and what happens to them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// The HTTP method to match, in any letter case (the plan shows it upper-cased); any
    /// method when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The path to match, starting with `/`, without a query, outside `/_emulator/`; any path
    /// when unset. A `*` at the end matches any rest (`/v1/*`), a `*` elsewhere one or more
    /// characters within one path segment (`/v1/files/*/content`, `/v1/files/file_*/content`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// How many matching requests the rule hits; every one when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// The chance, from 0 to 1, that a matching request is hit; always when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// What happens to a request the rule hits.
    pub fault: Fault,
}

/// What happens to a request a rule hits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// Answer this status with the API's error envelope.
    Status {
        /// The status code, such as 429, 500, 503 or 529.
        status: u16,
        /// Headers to add, such as `retry-after-ms` or `x-should-retry`.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        headers: BTreeMap<String, String>,
        /// Read and discard the request body before answering.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        read_body: bool,
    },
    /// Wait this many milliseconds, then answer normally.
    Delay {
        /// The wait in milliseconds.
        ms: u64,
    },
    /// Close the connection without answering.
    Drop {
        /// Whether the request body is read first.
        when: DropWhen,
    },
}

/// When a dropped connection is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropWhen {
    /// Before the request body is read.
    BeforeBody,
    /// After the request body has been read in full.
    AfterBody,
}

impl FaultPlan {
    /// Checks the plan's values: methods and header names and values that HTTP allows, paths
    /// that a request can have, statuses from 400 to 599, probabilities from 0 to 1. A rule
    /// that could never match is refused rather than kept silently.
    pub fn check(&self) -> Result<(), String> {
        for (index, rule) in self.rules.iter().enumerate() {
            if let Some(method) = &rule.method
                && axum::http::Method::from_bytes(method.as_bytes()).is_err()
            {
                return Err(format!(
                    "rules[{index}].method must be an HTTP method such as `GET`, got {method:?}"
                ));
            }
            if let Some(path) = &rule.path {
                check_rule_path(path)
                    .map_err(|message| format!("rules[{index}].path {message}"))?;
            }
            if let Some(probability) = rule.probability
                && !(0.0..=1.0).contains(&probability)
            {
                return Err(format!("rules[{index}].probability must be from 0 to 1"));
            }
            if let Fault::Status {
                status, headers, ..
            } = &rule.fault
            {
                if !(400..=599).contains(status) {
                    return Err(format!("rules[{index}].fault.status must be 400 to 599"));
                }
                for (name, value) in headers {
                    let valid = axum::http::HeaderName::try_from(name.as_str()).is_ok()
                        && axum::http::HeaderValue::try_from(value.as_str()).is_ok();
                    if !valid {
                        return Err(format!("rules[{index}].fault.headers.{name} is not valid"));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Why a rule's path could never match a request path, if it could not.
fn check_rule_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!("must start with `/`, got {path:?}"));
    }
    if path.contains(['?', '#']) {
        return Err(format!(
            "is matched against the path alone, so it must not contain `?` or `#`, got {path:?}"
        ));
    }
    if path.starts_with("/_emulator/") || path == "/_emulator" {
        return Err(format!(
            "must not name a `/_emulator/` endpoint, which faults never hit, got {path:?}"
        ));
    }
    Ok(())
}

/// One rule and how often it can still fire.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RuleState {
    #[serde(flatten)]
    rule: FaultRule,
    /// Hits left; unlimited when `None`.
    remaining: Option<u32>,
    /// Requests hit so far.
    hits: u64,
}

/// The current plan as `GET /_emulator/faults` shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlanView {
    seed: u64,
    rules: Vec<RuleState>,
}

#[derive(Debug)]
struct Active {
    seed: u64,
    rules: Vec<RuleState>,
    rng: StdRng,
}

/// The plan in force and its random number generator.
#[derive(Debug)]
pub(crate) struct FaultState {
    default_seed: u64,
    active: Mutex<Active>,
}

impl FaultState {
    pub(crate) fn new(plan: FaultPlan, default_seed: u64) -> Self {
        Self {
            default_seed,
            active: Mutex::new(Self::activate(plan, default_seed)),
        }
    }

    fn activate(plan: FaultPlan, default_seed: u64) -> Active {
        let seed = plan.seed.unwrap_or(default_seed);
        let rules = plan
            .rules
            .into_iter()
            .map(|mut rule| {
                if let Some(method) = &mut rule.method {
                    method.make_ascii_uppercase();
                }
                RuleState {
                    remaining: rule.times,
                    rule,
                    hits: 0,
                }
            })
            .collect();
        Active {
            seed,
            rules,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// Replaces the plan; its counters and random draws start afresh.
    pub(crate) fn replace(&self, plan: FaultPlan) {
        *self.lock() = Self::activate(plan, self.default_seed);
    }

    pub(crate) fn view(&self) -> PlanView {
        let active = self.lock();
        PlanView {
            seed: active.seed,
            rules: active.rules.clone(),
        }
    }

    /// The fault for a request, if a rule hits it; counts the hit.
    pub(crate) fn pick(&self, method: &str, path: &str) -> Option<Fault> {
        let mut active = self.lock();
        let Active { rules, rng, .. } = &mut *active;
        for state in rules.iter_mut() {
            if state.remaining == Some(0) || !matches(&state.rule, method, path) {
                continue;
            }
            if let Some(probability) = state.rule.probability
                && !rng.random_bool(probability)
            {
                continue;
            }
            if let Some(remaining) = &mut state.remaining {
                *remaining -= 1;
            }
            state.hits += 1;
            return Some(state.rule.fault.clone());
        }
        None
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Active> {
        self.active
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn matches(rule: &FaultRule, method: &str, path: &str) -> bool {
    let method_matches = rule
        .method
        .as_deref()
        .is_none_or(|wanted| wanted.eq_ignore_ascii_case(method));
    let path_matches = rule
        .path
        .as_deref()
        .is_none_or(|pattern| path_matches(pattern, path));
    method_matches && path_matches
}

/// Whether a request path matches a rule's path pattern: a `*` at the very end stands for any
/// rest (`/v1/*`), a `*` anywhere else for one or more characters within one path segment
/// (`/v1/files/*/content`), and everything else for itself.
fn path_matches(pattern: &str, path: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == path,
        Some((prefix, "")) => path.starts_with(prefix),
        Some((prefix, after)) => {
            let Some(rest) = path.strip_prefix(prefix) else {
                return false;
            };
            let segment = &rest[..rest.find('/').unwrap_or(rest.len())];
            segment
                .char_indices()
                .map(|(start, character)| start + character.len_utf8())
                .any(|taken| path_matches(after, &rest[taken..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(json: &str) -> FaultPlan {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn rules_match_in_order_and_count_down() {
        let state = FaultState::new(
            plan(
                r#"{"rules":[
                {"method":"POST","path":"/v1/files","times":1,
                 "fault":{"type":"status","status":529}},
                {"path":"/v1/*","fault":{"type":"delay","ms":5}}]}"#,
            ),
            0,
        );
        assert!(matches!(
            state.pick("POST", "/v1/files"),
            Some(Fault::Status { status: 529, .. })
        ));
        assert_eq!(
            state.pick("POST", "/v1/files"),
            Some(Fault::Delay { ms: 5 })
        );
        assert_eq!(state.pick("GET", "/_emulator/faults"), None);
    }

    #[test]
    fn a_star_is_within_one_segment_in_the_middle_and_any_rest_at_the_end() {
        let content = "/v1/files/*/content";
        assert!(path_matches(content, "/v1/files/file_011Cabc/content"));
        assert!(!path_matches(content, "/v1/files//content"));
        assert!(!path_matches(content, "/v1/files/a/b/content"));
        assert!(!path_matches(content, "/v1/files/file_1"));
        assert!(!path_matches(content, "/v1/files/file_1/content/more"));
        assert!(path_matches(
            "/v1/sessions/*/resources/*",
            "/v1/sessions/sesn_1/resources/sesrsc_2/x"
        ));
        assert!(path_matches(
            "/v1/files/file_*/content",
            "/v1/files/file_1/content"
        ));
        assert!(!path_matches(
            "/v1/files/file_*/content",
            "/v1/files/f/content"
        ));
        assert!(path_matches("/v1/fi*es", "/v1/files"));
        assert!(!path_matches("/v1/fi*es", "/v1/fi/es"));
        assert!(path_matches("/v1/*", "/v1/files/a/content"));
        assert!(path_matches("/v1/files*", "/v1/files"));
        assert!(!path_matches("/v1/files", "/v1/files/a"));
    }

    #[test]
    fn draws_repeat_with_the_same_seed() {
        let json = r#"{"seed":7,"rules":[{"probability":0.5,"fault":{"type":"delay","ms":1}}]}"#;
        let draws = |state: FaultState| {
            (0..64)
                .map(|_| state.pick("GET", "/v1/files").is_some())
                .collect::<Vec<_>>()
        };
        let first = draws(FaultState::new(plan(json), 0));
        assert_eq!(first, draws(FaultState::new(plan(json), 99)));
        assert!(first.contains(&true) && first.contains(&false));
    }

    #[test]
    fn bad_plans_are_refused() {
        let bad = plan(r#"{"rules":[{"probability":2,"fault":{"type":"delay","ms":1}}]}"#);
        assert!(bad.check().is_err());
        for (rule, field) in [
            (r#""path":"v1/files""#, "rules[0].path"),
            (r#""path":"/v1/files?beta=true""#, "rules[0].path"),
            (r#""path":"/_emulator/faults""#, "rules[0].path"),
            (r#""method":"GE T""#, "rules[0].method"),
            (r#""method":"""#, "rules[0].method"),
        ] {
            let json = format!(r#"{{"rules":[{{{rule},"fault":{{"type":"delay","ms":1}}}}]}}"#);
            let message = plan(&json).check().unwrap_err();
            assert!(message.starts_with(field), "{rule}: {message}");
        }
        assert!(
            serde_json::from_str::<FaultPlan>(r#"{"rules":[{"fault":{"type":"x"}}]}"#).is_err()
        );
    }
}
