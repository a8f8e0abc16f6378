//! Pure validation of request bodies, run by clients before sending and by the emulator on
//! receipt. Every error names the field path it is about (`resources[2].mount_path`).

use std::collections::HashSet;
use std::fmt;

use crate::agents::{
    AgentCreateParams, AgentUpdateParams, McpServer, ModelParam, ModelSpeed, Tool,
};
use crate::common::{Metadata, MetadataPatch};
use crate::environments::{
    CloudConfig, CloudConfigUpdate, EnvironmentConfig, EnvironmentConfigUpdate,
    EnvironmentCreateParams, EnvironmentScope, EnvironmentUpdateParams, Networking,
};
use crate::memory_stores::{MemoryStoreCreateParams, MemoryStoreUpdateParams};
use crate::patch::Patch;
use crate::resources::{Checkout, MemoryAccess, ResourceParams, SessionResourceUpdateParams};
use crate::sessions::{SessionCreateParams, SessionUpdateParams};
use crate::vaults::{VaultCreateParams, VaultUpdateParams};

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's path, such as `resources[2].mount_path`.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A request body that breaks one or more documented rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Every problem found, in field order.
    pub errors: Vec<FieldError>,
}

impl ValidationError {
    /// An error about a single field.
    pub fn field(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            errors: vec![FieldError {
                path: path.into(),
                message: message.into(),
            }],
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for error in &self.errors {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Limits that differ between servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// File resources per session: 999 in the original design, 500 in newer docs.
    pub max_file_resources: usize,
    /// Memory stores per session.
    pub max_memory_stores: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_resources: 999,
            max_memory_stores: 8,
        }
    }
}

/// A request body that can be checked against the documented rules.
pub trait Validate {
    /// Checks the body with the default [`Limits`].
    fn validate(&self) -> Result<(), ValidationError> {
        self.validate_with(&Limits::default())
    }

    /// Checks the body with the given limits.
    fn validate_with(&self, limits: &Limits) -> Result<(), ValidationError>;
}

/// Checks that a mount path is absolute and normalised: it starts with `/`, is not `/` itself,
/// and has no empty, `.` or `..` segment and no NUL.
pub fn check_mount_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!(
            "must be an absolute path starting with `/`, got `{path}`"
        ));
    }
    if path == "/" {
        return Err("must not be `/` itself".to_owned());
    }
    if path.contains('\0') {
        return Err("must not contain a NUL character".to_owned());
    }
    for segment in path[1..].split('/') {
        match segment {
            "" => {
                return Err(format!(
                    "must not contain empty segments (`//` or a trailing `/`), got `{path}`"
                ));
            }
            "." | ".." => {
                return Err(format!(
                    "must be normalised, without `.` or `..` segments, got `{path}`"
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Checks a content type: `type/subtype` made of token characters, optionally followed by
/// `;` parameters, with no control character (so it cannot break a multipart header).
pub fn check_mime_type(mime_type: &str) -> Result<(), String> {
    let message = || format!("must be a media type such as `text/csv`, got {mime_type:?}");
    if mime_type.chars().any(char::is_control) {
        return Err(message());
    }
    let essence = mime_type.split(';').next().unwrap_or("").trim();
    let is_token = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
    };
    match essence.split_once('/') {
        Some((kind, subtype)) if is_token(kind) && is_token(subtype) => Ok(()),
        _ => Err(message()),
    }
}

/// Checks a GitHub repository URL (`https://github.com/<owner>/<repo>`) and returns the
/// repository name.
/// The message never repeats credentials embedded in the URL (see [`mask_userinfo`]).
pub fn check_github_url(url: &str) -> Result<&str, String> {
    let message = || {
        let shown = mask_userinfo(url);
        if shown != url {
            return format!(
                "must look like `https://github.com/<owner>/<repo>` and carry no credentials \
                 (the token goes in `authorization_token`), got `{shown}`"
            );
        }
        format!("must look like `https://github.com/<owner>/<repo>`, got `{url}`")
    };
    let rest = url
        .strip_prefix("https://github.com/")
        .ok_or_else(message)?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (owner, repo) = rest.split_once('/').ok_or_else(message)?;
    let valid = |part: &str| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    if !valid(owner) || !valid(repo) {
        return Err(message());
    }
    Ok(repo.strip_suffix(".git").unwrap_or(repo))
}

/// The URL with the user-info part of its authority (`user:password@` before the host)
/// replaced by `***@`, so that it can be shown in a message; other URLs come back unchanged.
/// Without a `scheme://`, the text up to the first `/` is taken as the authority.
pub fn mask_userinfo(url: &str) -> std::borrow::Cow<'_, str> {
    let start = url.find("://").map_or(0, |index| index + 3);
    let rest = &url[start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &url[..start], &rest[at..]).into(),
        None => url.into(),
    }
}

/// Collects field errors while a body is walked.
#[derive(Default)]
pub(crate) struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub(crate) fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            path: path.into(),
            message: message.into(),
        });
    }

    pub(crate) fn finish(self) -> Result<(), ValidationError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                errors: self.errors,
            })
        }
    }

    fn length(&mut self, path: &str, value: &str, min: usize, max: usize) {
        let count = value.chars().count();
        if count < min || count > max {
            let message = if min == 0 {
                format!("must be at most {max} characters, got {count}")
            } else {
                format!("must be {min} to {max} characters, got {count}")
            };
            self.fail(path, message);
        }
    }

    fn optional_length(&mut self, path: &str, value: Option<&str>, max: usize) {
        if let Some(value) = value {
            self.length(path, value, 0, max);
        }
    }

    fn metadata(&mut self, path: &str, metadata: &Metadata) {
        self.metadata_entries(
            path,
            metadata
                .iter()
                .map(|(key, value)| (key.as_str(), Some(value.as_str()))),
        );
    }

    fn metadata_patch(&mut self, path: &str, patch: &MetadataPatch) {
        self.metadata_entries(
            path,
            patch
                .iter()
                .map(|(key, value)| (key.as_str(), value.as_deref())),
        );
    }

    fn metadata_entries<'a>(
        &mut self,
        path: &str,
        entries: impl Iterator<Item = (&'a str, Option<&'a str>)>,
    ) {
        let mut count = 0;
        for (key, value) in entries {
            count += 1;
            if key.is_empty() || key.chars().count() > 64 {
                self.fail(
                    format!("{path}.{key}"),
                    "metadata keys must be 1 to 64 characters",
                );
            }
            if let Some(value) = value {
                self.length(&format!("{path}.{key}"), value, 0, 512);
            }
        }
        if count > 16 {
            self.fail(path, format!("must have at most 16 pairs, got {count}"));
        }
    }

    fn id(&mut self, path: &str, well_formed: bool, value: &str, prefix: &str) {
        if !well_formed {
            self.fail(
                path,
                format!("must be an ID starting with `{prefix}`, got `{value}`"),
            );
        }
    }
}

macro_rules! check_id {
    ($checker:expr, $path:expr, $id:expr) => {
        $checker.id(&$path, $id.is_well_formed(), $id.as_str(), $id.prefix())
    };
}

trait Prefixed {
    fn prefix(&self) -> &'static str;
}

macro_rules! prefixed {
    ($($id:ty),+) => {
        $(impl Prefixed for $id {
            fn prefix(&self) -> &'static str {
                <$id>::PREFIX
            }
        })+
    };
}
prefixed!(
    crate::ids::AgentId,
    crate::ids::EnvironmentId,
    crate::ids::FileId,
    crate::ids::MemoryStoreId,
    crate::ids::SessionId,
    crate::ids::VaultId
);

pub(crate) fn check_limit(limit: Option<u32>, max: u32) -> Result<(), ValidationError> {
    match limit {
        Some(limit) if limit == 0 || limit > max => Err(ValidationError::field(
            "limit",
            format!("must be between 1 and {max}, got {limit}"),
        )),
        _ => Ok(()),
    }
}

pub(crate) fn check_session_id(
    path: &str,
    id: &crate::ids::SessionId,
) -> Result<(), ValidationError> {
    let mut checker = Checker::default();
    check_id!(checker, path, id);
    checker.finish()
}

fn check_networking(
    checker: &mut Checker,
    path: &str,
    networking: &Networking,
    packages: Option<&crate::environments::Packages>,
) {
    if let Networking::Limited(limited) = networking {
        let has_packages = packages.is_some_and(|packages| !packages.is_empty());
        if has_packages && limited.allow_package_managers != Some(true) {
            checker.fail(
                format!("{path}.allow_package_managers"),
                "must be true when packages are listed under `limited` networking",
            );
        }
    }
    if let Networking::Unknown(_) = networking {
        checker.fail(
            format!("{path}.type"),
            format!("unknown networking type `{}`", networking.type_name()),
        );
    }
}

fn check_cloud_config(checker: &mut Checker, path: &str, cloud: &CloudConfig) {
    if let Some(networking) = &cloud.networking {
        check_networking(
            checker,
            &format!("{path}.networking"),
            networking,
            cloud.packages.as_ref(),
        );
    }
}

fn check_cloud_update(checker: &mut Checker, path: &str, cloud: &CloudConfigUpdate) {
    if let Patch::Value(networking) = &cloud.networking {
        check_networking(
            checker,
            &format!("{path}.networking"),
            networking,
            cloud.packages.value(),
        );
    }
}

/// A request's `scope` must be one the spec lists; an unknown value is kept only in responses.
fn check_scope(checker: &mut Checker, scope: Option<&EnvironmentScope>) {
    if let Some(scope @ EnvironmentScope::Other(_)) = scope {
        checker.fail(
            "scope",
            format!(
                "must be one of {}, got `{scope}`",
                known_list(EnvironmentScope::KNOWN)
            ),
        );
    }
}

/// `` `a`, `b` or `c` `` for an error message.
fn known_list(known: &[&str]) -> String {
    let quoted: Vec<String> = known.iter().map(|value| format!("`{value}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl Validate for EnvironmentCreateParams {
    fn validate_with(&self, _: &Limits) -> Result<(), ValidationError> {
        let mut checker = Checker::default();
        checker.length("name", &self.name, 1, 256);
        checker.optional_length("description", self.description.as_deref(), 1024);
        if let Some(metadata) = &self.metadata {
            checker.metadata("metadata", metadata);
        }
        check_scope(&mut checker, self.scope.as_ref());
        match &self.config {
            Some(EnvironmentConfig::Cloud(cloud)) => {
                check_cloud_config(&mut checker, "config", cloud)
            }
            Some(config @ EnvironmentConfig::Unknown(_)) => checker.fail(
                "config.type",
                format!("unknown config type `{}`", config.type_name()),
            ),
            _ => {}
        }
        checker.finish()
    }
}

impl Validate for EnvironmentUpdateParams {
    fn validate_with(&self, _: &Limits) -> Result<(), ValidationError> {
        let mut checker = Checker::default();
        if let Some(name) = &self.name {
            checker.length("name", name, 1, 256);
        }
        checker.optional_length(
            "description",
            self.description.value().map(String::as_str),
            1024,
        );
        if let Some(metadata) = &self.metadata {
            checker.metadata_patch("metadata", metadata);
        }
        check_scope(&mut checker, self.scope.value());
        match &self.config {
            Some(EnvironmentConfigUpdate::Cloud(cloud)) => {
                check_cloud_update(&mut checker, "config", cloud)
            }
            Some(config @ EnvironmentConfigUpdate::Unknown(_)) => checker.fail(
                "config.type",
                format!("unknown config type `{}`", config.type_name()),
            ),
            _ => {}
        }
        checker.finish()
    }
}

fn check_agent_parts(
    checker: &mut Checker,
    mcp_servers: Option<&Vec<McpServer>>,
    tools: Option<&Vec<Tool>>,
) {
    let servers = mcp_servers.map(Vec::as_slice).unwrap_or_default();
    let tools = tools.map(Vec::as_slice).unwrap_or_default();
    if servers.len() > 20 {
        checker.fail(
            "mcp_servers",
            format!("must have at most 20 entries, got {}", servers.len()),
        );
    }
    if tools.len() > 128 {
        checker.fail(
            "tools",
            format!("must have at most 128 entries, got {}", tools.len()),
        );
    }
    for (index, server) in servers.iter().enumerate() {
        if let McpServer::Unknown(_) = server {
            checker.fail(
                format!("mcp_servers[{index}].type"),
                format!(
                    "unknown MCP server type `{}`; must be {}",
                    server.type_name(),
                    known_list(McpServer::KNOWN)
                ),
            );
        }
    }
    for (index, tool) in tools.iter().enumerate() {
        if let Tool::Unknown(_) = tool {
            checker.fail(
                format!("tools[{index}].type"),
                format!(
                    "unknown tool type `{}`; must be {}",
                    tool.type_name(),
                    known_list(Tool::KNOWN)
                ),
            );
        }
    }
    let mut names = HashSet::new();
    for (index, server) in servers.iter().enumerate() {
        if let McpServer::Url(server) = server {
            if !names.insert(server.name.as_str()) {
                checker.fail(
                    format!("mcp_servers[{index}].name"),
                    format!("`{}` is used twice", server.name),
                );
            }
        }
    }
    let used: HashSet<&str> = tools
        .iter()
        .filter_map(|tool| match tool {
            Tool::McpToolset(toolset) => Some(toolset.mcp_server_name.as_str()),
            _ => None,
        })
        .collect();
    for (index, tool) in tools.iter().enumerate() {
        if let Tool::McpToolset(toolset) = tool {
            if !names.contains(toolset.mcp_server_name.as_str()) {
                checker.fail(
                    format!("tools[{index}].mcp_server_name"),
                    format!("no MCP server is named `{}`", toolset.mcp_server_name),
                );
            }
        }
    }
    for (index, server) in servers.iter().enumerate() {
        if let McpServer::Url(server) = server {
            if !used.contains(server.name.as_str()) {
                checker.fail(
                    format!("mcp_servers[{index}]"),
                    format!("`{}` is not used by any `mcp_toolset` tool", server.name),
                );
            }
        }
    }
}

fn check_model(checker: &mut Checker, model: &ModelParam) {
    let (name, speed) = match model {
        ModelParam::Name(name) => (name.as_str(), None),
        ModelParam::Config(config) => (config.id.as_str(), config.speed.as_ref()),
    };
    if name.trim().is_empty() {
        checker.fail("model", "must name a model, such as `claude-opus-4-7`");
    }
    if let Some(speed @ ModelSpeed::Other(_)) = speed {
        checker.fail(
            "model.speed",
            format!("must be {}, got `{speed}`", known_list(ModelSpeed::KNOWN)),
        );
    }
}

impl Validate for AgentCreateParams {
    fn validate_with(&self, _: &Limits) -> Result<(), ValidationError> {
        let mut checker = Checker::default();
        checker.length("name", &self.name, 1, 256);
        check_model(&mut checker, &self.model);
        checker.optional_length("system", self.system.as_deref(), 100_000);
        checker.optional_length("description", self.description.as_deref(), 2048);
        check_agent_parts(&mut checker, self.mcp_servers.as_ref(), self.tools.as_ref());
        if let Some(metadata) = &self.metadata {
            checker.metadata("metadata", metadata);
        }
        checker.finish()
    }
}

impl Validate for AgentUpdateParams {
    fn validate_with(&self, _: &Limits) -> Result<(), ValidationError> {
        let mut checker = Checker::default();
        if let Some(name) = &self.name {
            checker.length("name", name, 1, 256);
        }
        if let Some(model) = &self.model {
            check_model(&mut checker, model);
        }
        checker.optional_length("system", self.system.value().map(String::as_str), 100_000);
        checker.optional_length(
            "description",
            self.description.value().map(String::as_str),
            2048,
        );
        if self.mcp_servers.is_some() || self.tools.is_some() {
            check_agent_parts(&mut checker, self.mcp_servers.as_ref(), self.tools.as_ref());
        }
        if let Some(metadata) = &self.metadata {
            checker.metadata_patch("metadata", metadata);
        }
        checker.finish()
    }
}

impl Validate for VaultCreateParams {
    fn validate_with(&self, _: &Limits) -> Result<(), ValidationError> {
        let mut checker = Checker::default();
        checker.length("display_name", &self.display_name, 1, 255);
        if let Some(metadata) = &self.metadata {
            checker.metadata("metadata", metadata);
        }
        checker.finish()
    }
}

impl Validate for VaultUpdateParams {
    fn validate_with(&self, _: &Limits) -> Result<(), ValidationError> {
        let mut checker = Checker::default();
        if let Some(name) = &self.display_name {
            checker.length("display_name", name, 1, 255);
        }
        if let Some(metadata) = &self.metadata {
            checker.metadata_patch("metadata", metadata);
        }
        checker.finish()
    }
}

impl Validate for MemoryStoreCreateParams {
    fn validate_with(&self, _: &Limits) -> Result<(), ValidationError> {
        let mut checker = Checker::default();
        checker.length("name", &self.name, 1, 255);
        checker.optional_length("description", self.description.as_deref(), 1024);
        if let Some(metadata) = &self.metadata {
            checker.metadata("metadata", metadata);
        }
        checker.finish()
    }
}

impl Validate for MemoryStoreUpdateParams {
    fn validate_with(&self, _: &Limits) -> Result<(), ValidationError> {
        let mut checker = Checker::default();
        if let Some(name) = &self.name {
            checker.length("name", name, 1, 255);
        }
        checker.optional_length(
            "description",
            self.description.value().map(String::as_str),
            1024,
        );
        if let Some(metadata) = &self.metadata {
            checker.metadata_patch("metadata", metadata);
        }
        checker.finish()
    }
}

/// Checks one resource of a session create body or of the session resources API.
pub(crate) fn check_resource(checker: &mut Checker, path: &str, resource: &ResourceParams) {
    match resource {
        ResourceParams::File(file) => {
            check_id!(checker, format!("{path}.file_id"), file.file_id);
            if let Some(mount_path) = &file.mount_path {
                if let Err(message) = check_mount_path(mount_path) {
                    checker.fail(format!("{path}.mount_path"), message);
                }
            }
        }
        ResourceParams::GithubRepository(repository) => {
            if let Err(message) = check_github_url(&repository.url) {
                checker.fail(format!("{path}.url"), message);
            }
            if repository.authorization_token.is_empty() {
                checker.fail(format!("{path}.authorization_token"), "must not be empty");
            }
            if let Some(mount_path) = &repository.mount_path {
                if let Err(message) = check_mount_path(mount_path) {
                    checker.fail(format!("{path}.mount_path"), message);
                }
            }
            match &repository.checkout {
                Some(Checkout::Commit(commit))
                    if commit.sha.len() != 40
                        || !commit.sha.chars().all(|c| c.is_ascii_hexdigit()) =>
                {
                    checker.fail(
                        format!("{path}.checkout.sha"),
                        "must be a full 40-character hexadecimal SHA",
                    )
                }
                Some(Checkout::Branch(branch)) if branch.name.is_empty() => {
                    checker.fail(format!("{path}.checkout.name"), "must not be empty")
                }
                Some(checkout @ Checkout::Unknown(_)) => checker.fail(
                    format!("{path}.checkout.type"),
                    format!("unknown checkout type `{}`", checkout.type_name()),
                ),
                _ => {}
            }
        }
        ResourceParams::MemoryStore(store) => {
            check_id!(
                checker,
                format!("{path}.memory_store_id"),
                store.memory_store_id
            );
            if let Some(access @ MemoryAccess::Other(_)) = &store.access {
                checker.fail(
                    format!("{path}.access"),
                    format!(
                        "must be {}, got `{access}`",
                        known_list(MemoryAccess::KNOWN)
                    ),
                );
            }
            checker.optional_length(
                &format!("{path}.instructions"),
                store.instructions.as_deref(),
                4096,
            );
        }
        ResourceParams::Unknown(_) => checker.fail(
            format!("{path}.type"),
            format!("unknown resource type `{}`", resource.type_name()),
        ),
    }
}

impl Validate for SessionCreateParams {
    fn validate_with(&self, limits: &Limits) -> Result<(), ValidationError> {
        let mut checker = Checker::default();
        check_id!(checker, "agent", self.agent.id());
        check_id!(checker, "environment_id", self.environment_id);
        let resources = self.resources.as_deref().unwrap_or_default();
        let mut files = 0;
        let mut stores = HashSet::new();
        for (index, resource) in resources.iter().enumerate() {
            let path = format!("resources[{index}]");
            check_resource(&mut checker, &path, resource);
            match resource {
                ResourceParams::File(_) => files += 1,
                ResourceParams::MemoryStore(store)
                    if !stores.insert(store.memory_store_id.as_str()) =>
                {
                    checker.fail(
                        format!("{path}.memory_store_id"),
                        format!("memory store `{}` is attached twice", store.memory_store_id),
                    );
                }
                _ => {}
            }
        }
        if files > limits.max_file_resources {
            checker.fail(
                "resources",
                format!(
                    "at most {} file resources per session, got {files}",
                    limits.max_file_resources
                ),
            );
        }
        if stores.len() > limits.max_memory_stores {
            checker.fail(
                "resources",
                format!(
                    "at most {} memory stores per session, got {}",
                    limits.max_memory_stores,
                    stores.len()
                ),
            );
        }
        for (index, vault) in self.vault_ids.iter().flatten().enumerate() {
            check_id!(checker, format!("vault_ids[{index}]"), vault);
        }
        if let Some(metadata) = &self.metadata {
            checker.metadata("metadata", metadata);
        }
        checker.finish()
    }
}

impl Validate for SessionUpdateParams {
    fn validate_with(&self, _: &Limits) -> Result<(), ValidationError> {
        let mut checker = Checker::default();
        if let Some(metadata) = &self.metadata {
            checker.metadata_patch("metadata", metadata);
        }
        checker.finish()
    }
}

/// Checks a resource given to `POST /v1/sessions/{session_id}/resources`: only files.
pub fn check_added_resource(resource: &ResourceParams) -> Result<(), ValidationError> {
    let mut checker = Checker::default();
    if !matches!(resource, ResourceParams::File(_)) {
        checker.fail(
            "type",
            format!(
                "only `file` resources can be added to a session, got `{}`",
                resource.type_name()
            ),
        );
    } else {
        check_resource(&mut checker, "", resource);
    }
    let mut result = checker.finish();
    if let Err(error) = &mut result {
        for field in &mut error.errors {
            field.path = field.path.trim_start_matches('.').to_owned();
        }
    }
    result
}

impl Validate for SessionResourceUpdateParams {
    fn validate_with(&self, _: &Limits) -> Result<(), ValidationError> {
        let mut checker = Checker::default();
        if self.authorization_token.is_empty() {
            checker.fail("authorization_token", "must not be empty");
        }
        checker.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_paths() {
        for good in ["/workspace/data.csv", "/a", "/mnt/session/uploads/file_1"] {
            assert!(check_mount_path(good).is_ok(), "{good}");
        }
        for bad in [
            "relative/x",
            "/",
            "/a//b",
            "/a/",
            "/a/../b",
            "/./a",
            "/a\0b",
            "",
        ] {
            assert!(check_mount_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn models_must_be_named_with_a_known_speed() {
        let agent = |model: serde_json::Value| {
            let body = serde_json::json!({ "name": "a", "model": model });
            serde_json::from_value::<AgentCreateParams>(body)
                .unwrap()
                .validate()
        };
        assert!(agent(serde_json::json!("claude-opus-4-7")).is_ok());
        assert!(agent(serde_json::json!({ "id": "claude-opus-4-7", "speed": "fast" })).is_ok());
        assert_eq!(
            agent(serde_json::json!("")).unwrap_err().errors[0].path,
            "model"
        );
        let warp = agent(serde_json::json!({ "id": "x", "speed": "warp" })).unwrap_err();
        assert_eq!(warp.errors[0].path, "model.speed");
    }

    #[test]
    fn mime_types() {
        for good in [
            "text/csv",
            "application/vnd.api+json",
            "text/plain; charset=utf-8",
        ] {
            assert!(check_mime_type(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "text",
            "text/plain\r\n\r\nINJECTED",
            "a/b\nX: 1",
            "/x",
            "te xt/plain",
        ] {
            assert!(check_mime_type(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn github_urls() {
        assert_eq!(
            check_github_url("https://github.com/owner/repo").unwrap(),
            "repo"
        );
        assert_eq!(
            check_github_url("https://github.com/owner/repo.git").unwrap(),
            "repo"
        );
        for bad in [
            "http://github.com/a/b",
            "https://github.com/a",
            "https://github.com/a/b/c",
            "https://gitlab.com/a/b",
        ] {
            assert!(check_github_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn credentials_in_urls_are_never_repeated() {
        let secret = "ghp_SECRET0123";
        for url in [
            format!("https://x-access-token:{secret}@github.com/owner/repo"),
            format!("https://{secret}@github.com/owner/repo"),
            format!("https://user:{secret}@github.com/owner/repo@main"),
            format!("https://a@b:{secret}@github.com"),
            format!("x-access-token:{secret}@github.com/owner/repo"),
        ] {
            let message = check_github_url(&url).unwrap_err();
            assert!(!message.contains(secret), "{message}");
            assert!(message.contains("***@github.com"), "{message}");
        }
        assert_eq!(
            mask_userinfo("https://u:p@github.com/o/r?x=a@b"),
            "https://***@github.com/o/r?x=a@b"
        );
        assert_eq!(
            mask_userinfo("https://github.com/o/r@main"),
            "https://github.com/o/r@main"
        );
    }
}
