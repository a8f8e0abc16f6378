//! Turning command-line text into the types crate's values, with errors that say which flag
//! was wrong and why.

use std::io::BufRead;
use std::path::Path;
use std::str::FromStr;

use managed_agents_types::common::{Metadata, MetadataPatch};
use managed_agents_types::environments::{
    CloudConfig, CloudConfigUpdate, EnvironmentConfig, LimitedNetworking, Networking,
    PackageManagersAndCustomNetworking, Packages, SelfHostedConfig, UnrestrictedNetworking,
};
use managed_agents_types::resources::{
    BranchCheckout, Checkout, CommitCheckout, FileResourceParams, GithubRepositoryResourceParams,
    MemoryAccess, MemoryStoreResourceParams, ResourceParams,
};
use managed_agents_types::schema::extra_fields;
use managed_agents_types::{IdError, Patch, Secret};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

use crate::cli::{EnvironmentConfigArgs, MetadataArgs, NetworkingKind, TokenArgs};
use crate::error::CliError;

/// Parses a typed ID, naming the flag or argument on failure.
pub(crate) fn id<T: FromStr<Err = IdError>>(what: &str, value: &str) -> Result<T, CliError> {
    value
        .parse()
        .map_err(|error: IdError| CliError::usage(format!("{what}: {error}")))
}

/// Parses `KEY=VALUE` pairs for a create body; a key given twice is refused.
pub(crate) fn metadata(args: &MetadataArgs) -> Result<Option<Metadata>, CliError> {
    if args.metadata.is_empty() {
        return Ok(None);
    }
    let mut metadata = Metadata::new();
    for (key, value) in pairs(args)? {
        metadata.insert(key.to_owned(), value.to_owned());
    }
    Ok(Some(metadata))
}

/// Parses `KEY=VALUE` pairs for an update body: an empty value deletes the key; a key given
/// twice is refused.
pub(crate) fn metadata_patch(args: &MetadataArgs) -> Result<Option<MetadataPatch>, CliError> {
    if args.metadata.is_empty() {
        return Ok(None);
    }
    let mut patch = MetadataPatch::new();
    for (key, value) in pairs(args)? {
        let value = (!value.is_empty()).then(|| value.to_owned());
        patch.insert(key.to_owned(), value);
    }
    Ok(Some(patch))
}

/// Every `--metadata` pair split at its first `=`, refusing a key given twice: keeping the
/// last value silently would hide a mistake.
fn pairs(args: &MetadataArgs) -> Result<Vec<(&str, &str)>, CliError> {
    let mut seen = std::collections::HashSet::new();
    let mut pairs = Vec::with_capacity(args.metadata.len());
    for pair in &args.metadata {
        let (key, value) = split_pair(pair)?;
        if !seen.insert(key) {
            return Err(CliError::usage(format!(
                "--metadata: key `{key}` is given more than once"
            )));
        }
        pairs.push((key, value));
    }
    Ok(pairs)
}

fn split_pair(pair: &str) -> Result<(&str, &str), CliError> {
    pair.split_once('=')
        .filter(|(key, _)| !key.is_empty())
        .ok_or_else(|| CliError::usage(format!("--metadata `{pair}`: expected KEY=VALUE")))
}

/// Reads a JSON or YAML file (by its extension; JSON first otherwise) into `T`, naming the
/// field that does not fit, and refusing every field, at any depth, that `T`'s request schema
/// does not declare (the check the API and the emulator make).
pub(crate) fn from_file<T>(path: &Path) -> Result<T, CliError>
where
    T: DeserializeOwned + schemars::JsonSchema + 'static,
{
    let text = std::fs::read_to_string(path)
        .map_err(|error| CliError::input(format!("reading {}", path.display()), error))?;
    let is_yaml = matches!(
        path.extension().and_then(|extension| extension.to_str()),
        Some("yaml" | "yml")
    );
    let UniqueKeys(value) = if is_yaml {
        serde_norway::from_str(&text).map_err(|error| {
            CliError::usage(format!("{}: not valid YAML: {error}", path.display()))
        })?
    } else {
        serde_json::from_str(&text).map_err(|error| {
            CliError::usage(format!("{}: not valid JSON: {error}", path.display()))
        })?
    };
    let unknown = extra_fields::<T>(&value);
    if !unknown.is_empty() {
        return Err(CliError::usage(format!(
            "{}: unknown field{} {}",
            path.display(),
            if unknown.len() == 1 { "" } else { "s" },
            unknown
                .iter()
                .map(|field| format!("`{field}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    managed_agents_types::decode::decode_value(value).map_err(|error| {
        CliError::usage(format!(
            "{}: `{}`: {}",
            path.display(),
            error.path,
            error.message
        ))
    })
}

/// A JSON value read from an input file, refusing an object that has the same key twice:
/// both parsers would otherwise keep the last value silently.
struct UniqueKeys(serde_json::Value);

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(UniqueKeysVisitor)
            .map(UniqueKeys)
    }
}

/// Builds a [`serde_json::Value`] as serde_json's own visitor does, checking object keys.
struct UniqueKeysVisitor;

impl<'de> Visitor<'de> for UniqueKeysVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a JSON or YAML value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(serde_json::Value::Null, Into::into))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        UniqueKeys::deserialize(deserializer).map(|UniqueKeys(value)| value)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(UniqueKeys(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            let UniqueKeys(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(serde_json::Value::Object(object))
    }
}

/// The token for a repository: from the environment variable, or stdin's first line.
pub(crate) fn token(args: &TokenArgs) -> Result<Secret, CliError> {
    let token = if args.token_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|error| CliError::io("reading the token from stdin", error))?;
        line.trim().to_owned()
    } else {
        std::env::var(&args.token_env).map_err(|_| {
            CliError::usage(format!(
                "no repository token: set {} or pass --token-stdin (tokens are never taken from \
                 the command line)",
                args.token_env
            ))
        })?
    };
    if token.is_empty() {
        return Err(CliError::usage("the repository token is empty"));
    }
    Ok(Secret::new(token))
}

/// `FILE_ID` or `FILE_ID:/mount/path`.
pub(crate) fn file_resource(spec: &str) -> Result<ResourceParams, CliError> {
    let (file_id, mount_path) = match spec.split_once(':') {
        Some((file_id, path)) => (file_id, Some(path.to_owned())),
        None => (spec, None),
    };
    Ok(ResourceParams::File(FileResourceParams {
        file_id: id("--file", file_id)?,
        mount_path,
    }))
}

/// `URL`, `URL@BRANCH` or `URL#SHA`, optionally followed by `=/mount/path`. The suffixes are
/// looked for only in the URL's path, after its host. A URL that may carry credentials is
/// refused without repeating any of it: user info (`https://user:token@github.com/…`), a query
/// string (`?access_token=…`), or a `#` suffix that is not a hexadecimal commit SHA.
pub(crate) fn repository_resource(spec: &str, token: &Secret) -> Result<ResourceParams, CliError> {
    let path_start = url_path_start(spec);
    if spec[..path_start].contains('@') {
        return Err(CliError::usage(
            "--repo: the repository URL carries credentials (user info before the host); give \
             the bare URL and pass the token with --token-env or --token-stdin",
        ));
    }
    let (path, mount_path) = match spec[path_start..].split_once('=') {
        Some((path, mount_path)) => (path, Some(mount_path.to_owned())),
        None => (&spec[path_start..], None),
    };
    let reference = &spec[..path_start + path.len()];
    if spec.contains('?') {
        return Err(CliError::usage(
            "--repo: the repository URL has a query string (`?…`), which may carry credentials; \
             give the bare URL and pass the token with --token-env or --token-stdin",
        ));
    }
    let suffix = path.find(['#', '@']).map(|index| path_start + index);
    let (url, checkout) = match suffix {
        Some(index) if reference[index..].starts_with('#') => (
            &reference[..index],
            Some(Checkout::Commit(CommitCheckout {
                sha: commit_sha(&reference[index + 1..])?,
            })),
        ),
        Some(index) => (
            &reference[..index],
            Some(Checkout::Branch(BranchCheckout {
                name: branch_name(&reference[index + 1..])?,
            })),
        ),
        None => (reference, None),
    };
    if !url
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-/:".contains(c))
    {
        return Err(CliError::usage(
            "--repo: the repository URL must look like `https://github.com/<owner>/<repo>` \
             (letters, digits, `.`, `_`, `-` and `/` only)",
        ));
    }
    Ok(ResourceParams::GithubRepository(
        GithubRepositoryResourceParams {
            url: url.to_owned(),
            authorization_token: token.clone(),
            mount_path,
            checkout,
        },
    ))
}

/// The branch after `@` in a `--repo` URL: a name git accepts as a ref (no space, control
/// character, `#`, `:`, `;`, `~`, `^`, `*`, `[` or `\\`), refused without being repeated since a
/// misplaced secret may sit there.
fn branch_name(name: &str) -> Result<String, CliError> {
    let refused = |c: char| c.is_whitespace() || c.is_control() || "#:;~^*[\\".contains(c);
    if name.is_empty() || name.chars().any(refused) {
        return Err(CliError::usage(
            "--repo: `@` must be followed by a branch name that git accepts (no space, `#`, `:`, \
             `;`, `~`, `^`, `*`, `[` or `\\`); give a commit as `URL#SHA` instead of a branch",
        ));
    }
    Ok(name.to_owned())
}

/// The SHA after `#` in a `--repo` URL: hexadecimal digits only, so that a fragment such as
/// `#access_token=…` is refused (without repeating it) rather than sent.
fn commit_sha(sha: &str) -> Result<String, CliError> {
    if sha.is_empty() || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(CliError::usage(
            "--repo: `#` must be followed by a commit SHA (hexadecimal digits); a URL fragment \
             may carry credentials: give the bare URL and pass the token with --token-env or \
             --token-stdin",
        ));
    }
    Ok(sha.to_owned())
}

/// Where a URL's path begins: after `scheme://` and the authority (host, and user info when
/// present), or after the first segment when there is no scheme.
fn url_path_start(url: &str) -> usize {
    let authority_start = url.find("://").map_or(0, |index| index + 3);
    url[authority_start..]
        .find('/')
        .map_or(url.len(), |index| authority_start + index)
}

/// `ID` or `ID:read_only` / `ID:read_write`.
pub(crate) fn memory_store_resource(spec: &str) -> Result<ResourceParams, CliError> {
    let (store, access) = match spec.split_once(':') {
        Some((store, access @ ("read_only" | "read_write"))) => {
            (store, Some(MemoryAccess::from(access)))
        }
        Some((_, other)) => {
            return Err(CliError::usage(format!(
                "--memory-store `{spec}`: access must be read_only or read_write, not `{other}`"
            )));
        }
        None => (spec, None),
    };
    Ok(ResourceParams::MemoryStore(MemoryStoreResourceParams {
        memory_store_id: id("--memory-store", store)?,
        access,
        instructions: None,
    }))
}

fn packages(args: &EnvironmentConfigArgs) -> Option<Packages> {
    let lists = [
        &args.apt,
        &args.cargo,
        &args.gem,
        &args.go,
        &args.npm,
        &args.pip,
    ];
    if lists.iter().all(|list| list.is_empty()) {
        return None;
    }
    let some = |list: &Vec<String>| (!list.is_empty()).then(|| list.clone());
    Some(Packages {
        object_type: None,
        apt: some(&args.apt),
        cargo: some(&args.cargo),
        gem: some(&args.gem),
        go: some(&args.go),
        npm: some(&args.npm),
        pip: some(&args.pip),
    })
}

fn networking(args: &EnvironmentConfigArgs) -> Result<Option<Networking>, CliError> {
    let hosts = (!args.allowed_hosts.is_empty()).then(|| args.allowed_hosts.clone());
    let limited_only = args.allow_package_managers || args.allow_mcp_servers;
    let networking = match args.networking {
        None if hosts.is_none() && !limited_only => return Ok(None),
        None => {
            return Err(CliError::usage(
                "--allowed-host, --allow-package-managers and --allow-mcp-servers need \
                 --networking limited (or package-managers-and-custom for hosts)",
            ));
        }
        Some(NetworkingKind::Unrestricted) if hosts.is_some() || limited_only => {
            return Err(CliError::usage(
                "--networking unrestricted takes no --allowed-host or --allow-* flag",
            ));
        }
        Some(NetworkingKind::Unrestricted) => Networking::Unrestricted(UnrestrictedNetworking {}),
        Some(NetworkingKind::Limited) => Networking::Limited(LimitedNetworking {
            allowed_hosts: hosts,
            allow_package_managers: args.allow_package_managers.then_some(true),
            allow_mcp_servers: args.allow_mcp_servers.then_some(true),
        }),
        Some(NetworkingKind::PackageManagersAndCustom) if limited_only => {
            return Err(CliError::usage(
                "--allow-package-managers and --allow-mcp-servers go with --networking limited",
            ));
        }
        Some(NetworkingKind::PackageManagersAndCustom) => {
            Networking::PackageManagersAndCustom(PackageManagersAndCustomNetworking {
                allowed_hosts: hosts,
            })
        }
    };
    Ok(Some(networking))
}

/// The configuration the flags describe, if they describe one.
pub(crate) fn environment_config(
    args: &EnvironmentConfigArgs,
) -> Result<Option<EnvironmentConfig>, CliError> {
    if args.self_hosted {
        return Ok(Some(EnvironmentConfig::SelfHosted(SelfHostedConfig {})));
    }
    let networking = networking(args)?;
    let packages = packages(args);
    if networking.is_none() && packages.is_none() {
        return Ok(None);
    }
    Ok(Some(EnvironmentConfig::Cloud(CloudConfig {
        networking,
        packages,
    })))
}

/// The configuration change the flags describe, if any (cloud environments only).
pub(crate) fn environment_config_update(
    args: &EnvironmentConfigArgs,
) -> Result<Option<CloudConfigUpdate>, CliError> {
    if args.self_hosted {
        return Err(CliError::usage(
            "an environment's config type cannot change",
        ));
    }
    let networking = networking(args)?;
    let packages = packages(args);
    if networking.is_none() && packages.is_none() {
        return Ok(None);
    }
    Ok(Some(CloudConfigUpdate {
        networking: networking.map_or(Patch::Omitted, Patch::Value),
        packages: packages.map_or(Patch::Omitted, Patch::Value),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_specs() {
        let token = Secret::new("t");
        let parsed = repository_resource("https://github.com/o/r@main=/src/r", &token).unwrap();
        let ResourceParams::GithubRepository(repository) = parsed else {
            panic!()
        };
        assert_eq!(repository.url, "https://github.com/o/r");
        assert_eq!(repository.mount_path.as_deref(), Some("/src/r"));
        assert_eq!(
            repository.checkout,
            Some(Checkout::Branch(BranchCheckout {
                name: "main".into()
            }))
        );
    }

    #[test]
    fn repository_suffixes_are_read_after_the_host() {
        let token = Secret::new("t");
        let parse = |spec| {
            let ResourceParams::GithubRepository(repository) =
                repository_resource(spec, &token).unwrap()
            else {
                panic!()
            };
            repository
        };
        let commit = parse("https://github.com/o/r#abc123=/src");
        assert_eq!(commit.url, "https://github.com/o/r");
        assert_eq!(
            commit.checkout,
            Some(Checkout::Commit(CommitCheckout {
                sha: "abc123".into()
            }))
        );
        assert_eq!(commit.mount_path.as_deref(), Some("/src"));
        let branch = parse("https://github.com/o/r@feature/x@y");
        assert_eq!(branch.url, "https://github.com/o/r");
        assert_eq!(
            branch.checkout,
            Some(Checkout::Branch(BranchCheckout {
                name: "feature/x@y".into()
            }))
        );
        let bare = parse("https://github.com/o/r");
        assert_eq!(
            (bare.url.as_str(), bare.checkout),
            ("https://github.com/o/r", None)
        );

        for spec in [
            "https://x-access-token:ghp_SECRET@github.com/o/r",
            "https://x-access-token:ghp_SECRET@github.com/o/r@main",
            "https://ghp_SECRET@github.com",
            "ghp_SECRET@github.com/o/r",
            "https://github.com/o/r?access_token=ghp_SECRET",
            "https://github.com/o/r?access_token=ghp_SECRET=/src",
            "https://github.com?access_token=ghp_SECRET",
            "https://github.com/o/r@main?token=ghp_SECRET",
            "https://github.com/o/r#access_token=ghp_SECRET",
            "https://github.com/o/r#ghp_SECRET",
        ] {
            let error = repository_resource(spec, &token).unwrap_err().to_string();
            assert!(!error.contains("SECRET"), "{error}");
            assert!(error.contains("--token-env"), "{error}");
        }
        // Whatever else may hold a misplaced secret is refused unrepeated too.
        for spec in [
            "https://github.com/o/r@main#SECRET",
            "https://github.com/o/r@feature/x#0123abcd",
            "https://github.com/o/r@ma:SECRET",
            "https://github.com/o/r=path?SECRET",
            "https://github.com/o/r;SECRET",
            "https://github.com/o/r SECRET",
        ] {
            let error = repository_resource(spec, &token).unwrap_err().to_string();
            assert!(!error.contains("SECRET"), "{spec}: {error}");
            assert!(
                error.starts_with("--repo") || error.contains("--repo"),
                "{error}"
            );
        }
    }

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        let folder = tempfile::tempdir().unwrap();
        let cases = [
            ("a.yaml", "name: a\nname: b\n", "`name`"),
            (
                "b.yml",
                "name: a\nconfig:\n  type: cloud\n  type: self_hosted\n",
                "`type`",
            ),
            (
                "c.json",
                r#"{"name":"a","metadata":{"k":"1","k":"2"}}"#,
                "`k`",
            ),
            ("d.json", r#"[{"x":1},{"x":1,"x":2}]"#, "`x`"),
        ];
        for (name, text, key) in cases {
            let path = folder.path().join(name);
            std::fs::write(&path, text).unwrap();
            let error = from_file::<serde_json::Value>(&path).unwrap_err();
            assert_eq!(error.exit_code(), 2);
            let message = error.to_string();
            assert!(
                message.contains("duplicate key") && message.contains(key),
                "{message}"
            );
        }
        let path = folder.path().join("ok.yaml");
        std::fs::write(
            &path,
            "name: a\nlist: [1, 2.5, null, true]\nnested: {name: b}\n",
        )
        .unwrap();
        let value = from_file::<serde_json::Value>(&path).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"name": "a", "list": [1, 2.5, null, true], "nested": {"name": "b"}})
        );
    }

    #[test]
    fn bad_metadata_and_ids_are_named() {
        let args = MetadataArgs {
            metadata: vec!["novalue".into()],
        };
        assert!(
            metadata(&args)
                .unwrap_err()
                .to_string()
                .contains("--metadata")
        );
        let error = id::<managed_agents_types::EnvironmentId>("environment", "sesn_1").unwrap_err();
        assert!(error.to_string().contains("env_"));
    }
}
