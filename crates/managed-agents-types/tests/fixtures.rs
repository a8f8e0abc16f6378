//! Every fixture under `tests/fixtures/<Type>/` round-trips through its Rust type unchanged and
//! validates against the type's generated JSON Schema; request fixtures are snapshotted as the
//! HTTP requests the endpoint builders make of them.

use std::path::{Path, PathBuf};

use managed_agents_types::agents::*;
use managed_agents_types::endpoints::{self, Body, Request};
use managed_agents_types::environments::*;
use managed_agents_types::memory_stores::*;
use managed_agents_types::resources::*;
use managed_agents_types::sessions::*;
use managed_agents_types::vaults::*;
use managed_agents_types::{EnvironmentId, Page, SessionId, SessionResourceId, schema};
use serde_json::Value;

/// Decodes `value` as the type registered under `name` and encodes it again.
macro_rules! round_trip_by_name {
    ({ $name:expr, $value:expr } { $($key:literal => $ty:ty,)+ }) => {
        match $name {
            $($key => serde_json::from_value::<$ty>($value)
                .map_err(|error| error.to_string())
                .and_then(|typed| {
                    serde_json::to_value(&typed).map_err(|error| error.to_string())
                }),)+
            other => Err(format!("no type is registered for the fixture folder `{other}`")),
        }
    };
}

fn round_trip(name: &str, value: Value) -> Result<Value, String> {
    managed_agents_types::with_wire_types!(round_trip_by_name, name, value)
}

struct Fixture {
    type_name: String,
    name: String,
    path: PathBuf,
    value: Value,
}

fn fixtures() -> Vec<Fixture> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut fixtures = Vec::new();
    for folder in std::fs::read_dir(&root).expect("fixtures folder") {
        let folder = folder.unwrap().path();
        let type_name = folder.file_name().unwrap().to_string_lossy().into_owned();
        for file in std::fs::read_dir(&folder).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let value = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            fixtures.push(Fixture {
                type_name: type_name.clone(),
                name,
                path,
                value,
            });
        }
    }
    fixtures.sort_by(|a, b| a.path.cmp(&b.path));
    fixtures
}

fn schema_value(name: &str) -> Value {
    schema::all()
        .into_iter()
        .find(|(schema_name, _)| *schema_name == name)
        .unwrap_or_else(|| panic!("no schema named {name}"))
        .1
        .to_value()
}

#[test]
fn every_fixture_round_trips_unchanged() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 50,
        "expected the fixture set, found {}",
        fixtures.len()
    );
    for fixture in fixtures {
        let again = round_trip(&fixture.type_name, fixture.value.clone())
            .unwrap_or_else(|error| panic!("{}: {error}", fixture.path.display()));
        assert_eq!(
            again,
            fixture.value,
            "{} changed in a round trip",
            fixture.path.display()
        );
    }
}

#[test]
fn every_fixture_validates_against_its_schema() {
    for fixture in fixtures() {
        let schema = schema_value(&fixture.type_name);
        let validator = jsonschema::validator_for(&schema)
            .unwrap_or_else(|error| panic!("schema {}: {error}", fixture.type_name));
        let errors: Vec<String> = validator
            .iter_errors(&fixture.value)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", fixture.path.display());
    }
}

#[test]
fn every_schema_has_a_fixture() {
    let fixtures = fixtures();
    for name in schema::NAMES {
        assert!(
            fixtures.iter().any(|fixture| fixture.type_name == *name),
            "no fixture for {name}"
        );
    }
}

#[test]
fn schemas_reject_wrong_shapes() {
    let cases = [
        (
            "Environment",
            "flow1_python_dev",
            "/name",
            serde_json::json!(5),
        ),
        (
            "SessionResource",
            "flow4_rotated_repository",
            "/mount_path",
            serde_json::json!(null),
        ),
        (
            "FilePage",
            "flow5_outputs_by_scope",
            "/data/0/size_bytes",
            serde_json::json!("big"),
        ),
        (
            "SessionCreateParams",
            "flow3_session",
            "/environment_id",
            serde_json::json!("x"),
        ),
    ];
    let fixtures = fixtures();
    for (type_name, name, pointer, bad) in cases {
        let fixture = fixtures
            .iter()
            .find(|fixture| fixture.type_name == type_name && fixture.name == name)
            .unwrap();
        let mut value = fixture.value.clone();
        *value.pointer_mut(pointer).unwrap() = bad;
        let validator = jsonschema::validator_for(&schema_value(type_name)).unwrap();
        assert!(
            !validator.is_valid(&value),
            "{type_name}/{name} with a bad {pointer} passed"
        );
    }
}

#[test]
fn unknown_kinds_are_kept_and_unknown_fields_ignored() {
    let fixtures = fixtures();
    let find = |type_name: &str, name: &str| {
        fixtures
            .iter()
            .find(|fixture| fixture.type_name == type_name && fixture.name == name)
            .unwrap()
            .value
            .clone()
    };

    let session: Session =
        serde_json::from_value(find("Session", "unknown_status_and_resource_kept")).unwrap();
    assert_eq!(session.status, SessionStatus::Other("hibernating".into()));
    assert!(matches!(
        session.resources.last(),
        Some(SessionResource::Unknown(raw)) if raw["bucket"] == "b"
    ));

    let page: Page<Environment> =
        serde_json::from_value(find("EnvironmentPage", "cursor_envelope_with_unknown_item"))
            .unwrap();
    assert_eq!(page.data.len(), 2);
    assert!(matches!(page.data[1].config, EnvironmentConfig::Unknown(_)));

    let mut environment = find("Environment", "flow1_python_dev");
    environment["added_in_2027"] = serde_json::json!({"nested": true});
    let decoded: Environment = serde_json::from_value(environment).unwrap();
    assert_eq!(decoded.name, "python-dev");
}

#[test]
fn null_and_omitted_stay_apart() {
    let fixtures = fixtures();
    let update = |name: &str| {
        let value = fixtures
            .iter()
            .find(|fixture| fixture.type_name == "EnvironmentUpdateParams" && fixture.name == name)
            .unwrap()
            .value
            .clone();
        serde_json::from_value::<EnvironmentUpdateParams>(value).unwrap()
    };
    use managed_agents_types::Patch;
    assert_eq!(update("null_clears_description").description, Patch::Null);
    assert_eq!(
        update("empty_string_description").description,
        Patch::Value(String::new())
    );
    assert_eq!(update("flow6_update").name, None);
    let reset = update("reset_networking_with_null");
    match reset.config {
        Some(EnvironmentConfigUpdate::Cloud(cloud)) => {
            assert_eq!(cloud.networking, Patch::Null);
            assert_eq!(cloud.packages, Patch::Omitted);
        }
        other => panic!("unexpected {other:?}"),
    }
}

fn request_for(fixture: &Fixture) -> Option<Request> {
    let environment = EnvironmentId::new("env_011CPythonDev000000000").unwrap();
    let session = SessionId::new("sesn_011CSession00000000000").unwrap();
    let resource = SessionResourceId::new("sesrsc_011CRepo0000000000000").unwrap();
    let agent = managed_agents_types::AgentId::new("agent_011CGithubAgent000000").unwrap();
    let vault = managed_agents_types::VaultId::new("vlt_011CVault00000000000000").unwrap();
    let store = managed_agents_types::MemoryStoreId::new("memstore_011CPrefs00000000000").unwrap();
    let value = fixture.value.clone();
    let from = |value: Value| value;
    macro_rules! build {
        ($ty:ty, $endpoint:expr) => {{
            let params: $ty = serde_json::from_value(from(value)).unwrap();
            #[allow(clippy::redundant_closure_call)]
            let endpoint = ($endpoint)(&params)
                .unwrap_or_else(|error| panic!("{}: {error}", fixture.path.display()));
            Some(endpoint.request)
        }};
    }
    match fixture.type_name.as_str() {
        "EnvironmentCreateParams" => {
            build!(EnvironmentCreateParams, endpoints::environments::create)
        }
        "EnvironmentUpdateParams" => build!(EnvironmentUpdateParams, |params| {
            endpoints::environments::update(&environment, params)
        }),
        "AgentCreateParams" => build!(AgentCreateParams, endpoints::agents::create),
        "AgentUpdateParams" => {
            build!(AgentUpdateParams, |params| endpoints::agents::update(
                &agent, params
            ))
        }
        "VaultCreateParams" => build!(VaultCreateParams, endpoints::vaults::create),
        "VaultUpdateParams" => {
            build!(VaultUpdateParams, |params| endpoints::vaults::update(
                &vault, params
            ))
        }
        "MemoryStoreCreateParams" => {
            build!(MemoryStoreCreateParams, endpoints::memory_stores::create)
        }
        "MemoryStoreUpdateParams" => build!(MemoryStoreUpdateParams, |params| {
            endpoints::memory_stores::update(&store, params)
        }),
        "SessionCreateParams" => build!(SessionCreateParams, endpoints::sessions::create),
        "SessionUpdateParams" => {
            build!(SessionUpdateParams, |params| endpoints::sessions::update(
                &session, params
            ))
        }
        "SessionResourceUpdateParams" => build!(SessionResourceUpdateParams, |params| {
            endpoints::session_resources::update(&session, &resource, params)
        }),
        "ResourceParams" => {
            build!(ResourceParams, |params| endpoints::session_resources::add(
                &session, params
            ))
        }
        _ => None,
    }
}

#[test]
fn request_bodies_match_their_snapshots() {
    let mut snapshotted = 0;
    for fixture in fixtures() {
        let Some(request) = request_for(&fixture) else {
            continue;
        };
        let body = match &request.body {
            Body::Json(bytes) => serde_json::from_slice::<Value>(bytes).unwrap(),
            Body::Empty => Value::Null,
            Body::Multipart(params) => serde_json::json!({ "multipart": params.filename }),
        };
        let described = serde_json::json!({
            "method": request.method.as_str(),
            "url": request.path_and_query(),
            "anthropic-beta": request.beta_header([]),
            "body": body,
        });
        assert_eq!(
            body, fixture.value,
            "{}: the body differs from the fixture",
            fixture.name
        );
        insta::assert_json_snapshot!(
            format!("{}__{}", fixture.type_name, fixture.name),
            described
        );
        snapshotted += 1;
    }
    assert!(
        snapshotted >= 15,
        "only {snapshotted} request fixtures were snapshotted"
    );
}

#[test]
fn secrets_never_show_in_debug_output() {
    let token = "ghp_exampletoken000000000000000000000";
    let fixture = fixtures()
        .into_iter()
        .find(|fixture| {
            fixture.type_name == "SessionCreateParams" && fixture.name == "flow3_session"
        })
        .unwrap();
    let session: SessionCreateParams = serde_json::from_value(fixture.value).unwrap();
    let repository = session
        .resources
        .iter()
        .flatten()
        .find_map(|resource| match resource {
            ResourceParams::GithubRepository(repository) => Some(repository.clone()),
            _ => None,
        })
        .unwrap();
    let rotation = SessionResourceUpdateParams {
        authorization_token: token.into(),
    };
    let resource = ResourceParams::GithubRepository(repository.clone());
    let endpoint = endpoints::sessions::create(&session).unwrap();
    let formatted = [
        format!("{session:?} {session:#?}"),
        format!("{repository:?} {repository:#?}"),
        format!("{resource:?} {resource:#?}"),
        format!("{rotation:?} {rotation:#?}"),
        format!("{endpoint:?} {endpoint:#?}"),
    ];
    for text in formatted {
        assert!(!text.contains(token), "the token leaked: {text}");
        assert!(
            text.contains("[redacted]") || text.contains("bytes"),
            "{text}"
        );
    }
    assert!(
        serde_json::to_string(&session).unwrap().contains(token),
        "the wire needs the token"
    );
}
