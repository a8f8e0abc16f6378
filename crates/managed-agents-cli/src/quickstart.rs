//! `managed-agents quickstart`: the spec's worked flow (section 11) end to end, checked step by
//! step, against a fresh embedded emulator or, with `--base-url`, against another server.
//!
//! Each step prints one line of what happened. A step whose outcome differs from what the spec
//! says stops the run with an error naming the step; what was created is removed either way.

use std::time::{SystemTime, UNIX_EPOCH};

use managed_agents_client::NativeClient;
use managed_agents_emulator::EmulatorConfig;
use managed_agents_types::agents::{AgentCreateParams, McpServer, ModelParam, UrlMcpServer};
use managed_agents_types::environments::{
    CloudConfig, Environment, EnvironmentConfig, EnvironmentCreateParams, EnvironmentListParams,
    EnvironmentUpdateParams, LimitedNetworking, Networking, PackageManagersAndCustomNetworking,
    Packages, UnrestrictedNetworking,
};
use managed_agents_types::files::FileListParams;
use managed_agents_types::resources::{
    BranchCheckout, Checkout, FileResourceParams, GithubRepositoryResourceParams, ResourceParams,
    SessionResource, SessionResourceListParams, SessionResourceUpdateParams,
};
use managed_agents_types::sessions::{AgentRef, SessionCreateParams};
use managed_agents_types::vaults::VaultCreateParams;
use managed_agents_types::{AgentId, EnvironmentId, FileId, Patch, Secret, SessionId, VaultId};
use sha2::{Digest, Sha256};

use crate::cli::GlobalArgs;
use crate::commands::collect;
use crate::error::CliError;
use crate::output::Printer;
use crate::target::Target;

const STEPS: u8 = 6;

/// Everything the run created, removed at the end.
#[derive(Default)]
struct Created {
    environments: Vec<EnvironmentId>,
    files: Vec<FileId>,
    agent: Option<AgentId>,
    vault: Option<VaultId>,
    session: Option<SessionId>,
}

/// The run's state: the client, names, and what to clean up.
struct Run<'a> {
    client: &'a NativeClient,
    printer: Printer,
    /// Appended to names on a shared server, so that reruns do not collide.
    suffix: String,
    base_url: String,
    api_key: String,
    created: Created,
}

/// Runs the quickstart.
pub(crate) async fn run(global: &GlobalArgs, printer: Printer) -> Result<(), CliError> {
    let target = match &global.base_url {
        Some(_) => Target::connect(global).await?,
        None => Target::embedded(EmulatorConfig::default(), global).await?,
    };
    let (base_url, api_key, suffix) = match &target.emulator {
        Some(emulator) => (
            emulator.base_url(),
            emulator.api_key().to_owned(),
            String::new(),
        ),
        None => {
            let base_url = global.base_url.clone().unwrap_or_default();
            let api_key = std::env::var("ANTHROPIC_API_KEY").unwrap_or_default();
            (base_url, api_key, format!("-qs{}", unique_token(6)))
        }
    };
    printer.note(&format!("quickstart against {base_url}"));
    let mut run = Run {
        client: &target.client,
        printer,
        suffix,
        base_url,
        api_key,
        created: Created::default(),
    };
    let result = run.steps().await;
    run.clean_up().await;
    target.close().await;
    match &result {
        Ok(()) => printer.note("quickstart: every step behaved as the spec says"),
        Err(error) => printer.note(&format!("quickstart stopped: {error}")),
    }
    result
}

fn fail(step: u8, name: &'static str, message: impl Into<String>) -> CliError {
    CliError::Step {
        step,
        name,
        message: message.into(),
    }
}

/// Wraps a client error as the failure of a step.
trait StepResult<T> {
    fn at(self, step: u8, name: &'static str) -> Result<T, CliError>;
}

impl<T> StepResult<T> for Result<T, managed_agents_client::Error> {
    fn at(self, step: u8, name: &'static str) -> Result<T, CliError> {
        self.map_err(|error| fail(step, name, crate::error::CliError::from(error).report()))
    }
}

/// A short random token from the clock and the process ID; good enough for names and
/// throwaway demo tokens, never for real secrets.
fn unique_token(length: usize) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |time| time.as_nanos());
    let mut state = nanos ^ (u128::from(std::process::id()) << 64);
    let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..length)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            alphabet[((state >> 70) % alphabet.len() as u128) as usize] as char
        })
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A small PNG-like binary with every byte value, so any text mangling would show.
fn chart_png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..=255u8).cycle().take(4096));
    bytes
}

impl Run<'_> {
    fn say(&self, step: u8, text: &str) {
        self.printer.note(&format!("[{step}/{STEPS}] {text}"));
    }

    fn name(&self, base: &str) -> String {
        format!("{base}{}", self.suffix)
    }

    async fn steps(&mut self) -> Result<(), CliError> {
        let python_dev = self.step_environments().await?;
        let (file, agent) = self.step_upload_and_agent().await?;
        let (session, repository) = self.step_session(&python_dev, &file, &agent).await?;
        self.step_resources(&session, &repository).await?;
        self.step_outputs(&session).await?;
        self.step_archive(&python_dev, &agent).await
    }

    async fn create_environment(
        &mut self,
        name: &str,
        networking: Networking,
        packages: Option<Packages>,
    ) -> Result<Environment, managed_agents_client::Error> {
        let params = EnvironmentCreateParams {
            name: self.name(name),
            config: Some(EnvironmentConfig::Cloud(CloudConfig {
                networking: Some(networking),
                packages,
            })),
            ..Default::default()
        };
        let environment = self.client.environments().create(&params).await?;
        self.created.environments.push(environment.id.clone());
        Ok(environment)
    }

    async fn step_environments(&mut self) -> Result<EnvironmentId, CliError> {
        const NAME: &str = "environments";
        let unrestricted = || Networking::Unrestricted(UnrestrictedNetworking {});
        let python_dev = self
            .create_environment("python-dev", unrestricted(), None)
            .await
            .at(1, NAME)?;
        self.say(
            1,
            &format!(
                "created environment {} ({})",
                python_dev.name, python_dev.id
            ),
        );

        match self
            .create_environment("python-dev", unrestricted(), None)
            .await
        {
            Err(error) if error.status() == Some(409) => {
                let request_id = error
                    .api()
                    .and_then(|api| api.request_id.clone())
                    .unwrap_or_default();
                self.say(
                    1,
                    &format!(
                        "creating {} again: 409 conflict, as expected ({request_id})",
                        python_dev.name
                    ),
                );
            }
            Err(error) => {
                return Err(fail(
                    1,
                    NAME,
                    format!("a duplicate name gave {error}, not 409"),
                ));
            }
            Ok(duplicate) => {
                return Err(fail(
                    1,
                    NAME,
                    format!("a duplicate name was accepted as {}", duplicate.id),
                ));
            }
        }

        let locked = Networking::PackageManagersAndCustom(PackageManagersAndCustomNetworking {
            allowed_hosts: Some(vec!["api.example.com".to_owned()]),
        });
        let locked_down = self
            .create_environment("locked-down", locked, None)
            .await
            .at(1, NAME)?;
        self.say(
            1,
            &format!(
                "created environment {} ({}) allowing api.example.com",
                locked_down.name, locked_down.id
            ),
        );

        let limited = Networking::Limited(LimitedNetworking {
            allowed_hosts: None,
            allow_package_managers: Some(true),
            allow_mcp_servers: None,
        });
        let packages = Packages {
            pip: Some(vec!["pandas".into(), "numpy".into(), "scikit-learn".into()]),
            npm: Some(vec!["express".into()]),
            ..Default::default()
        };
        let analysis = self
            .create_environment("data-analysis", limited, Some(packages))
            .await
            .at(1, NAME)?;
        let stored_pip = match &analysis.config {
            EnvironmentConfig::Cloud(cloud) => cloud
                .packages
                .as_ref()
                .and_then(|packages| packages.pip.clone()),
            _ => None,
        };
        if stored_pip.as_deref().map(<[String]>::len) != Some(3) {
            return Err(fail(
                1,
                NAME,
                format!("data-analysis came back with pip packages {stored_pip:?}"),
            ));
        }
        self.say(
            1,
            &format!(
                "created environment {} ({}) with 4 packages",
                analysis.name, analysis.id
            ),
        );
        Ok(python_dev.id)
    }

    async fn step_upload_and_agent(&mut self) -> Result<(FileId, AgentId), CliError> {
        const NAME: &str = "upload and agent";
        let csv = b"city,temperature\nOslo,4\nLisbon,17\n".to_vec();
        let file = self
            .client
            .files()
            .upload_bytes("data.csv", csv.clone())
            .await
            .at(2, NAME)?;
        self.created.files.push(file.id.clone());
        if file.filename != "data.csv" || file.size_bytes != csv.len() as u64 {
            return Err(fail(
                2,
                NAME,
                format!(
                    "the upload came back as {} ({} bytes)",
                    file.filename, file.size_bytes
                ),
            ));
        }
        self.say(
            2,
            &format!(
                "uploaded data.csv as {} ({} bytes, {})",
                file.id, file.size_bytes, file.mime_type
            ),
        );

        let servers = vec![McpServer::Url(UrlMcpServer {
            name: "github".to_owned(),
            url: "https://api.githubcopilot.com/mcp/".to_owned(),
        })];
        let params = AgentCreateParams {
            name: self.name("GitHub Agent"),
            model: ModelParam::from(crate::commands::agents::DEFAULT_MODEL),
            system: None,
            description: None,
            tools: Some(crate::commands::agents::default_tools(&servers)),
            mcp_servers: Some(servers),
            metadata: None,
        };
        let agent = self.client.agents().create(&params).await.at(2, NAME)?;
        self.created.agent = Some(agent.id.clone());
        self.say(
            2,
            &format!(
                "created agent {} ({}, version {}) with the github MCP toolset",
                agent.name, agent.id, agent.version
            ),
        );
        Ok((file.id, agent.id))
    }

    async fn step_session(
        &mut self,
        environment: &EnvironmentId,
        file: &FileId,
        agent: &AgentId,
    ) -> Result<(SessionId, Secret), CliError> {
        const NAME: &str = "session";
        let vault = self
            .client
            .vaults()
            .create(&VaultCreateParams {
                display_name: self.name("quickstart vault"),
                metadata: None,
            })
            .await
            .at(3, NAME)?;
        self.created.vault = Some(vault.id.clone());
        let token = Secret::new(format!("ghp_quickstart{}", unique_token(24)));
        let params = SessionCreateParams {
            agent: AgentRef::Id(agent.clone()),
            environment_id: environment.clone(),
            resources: Some(vec![
                ResourceParams::File(FileResourceParams {
                    file_id: file.clone(),
                    mount_path: Some("/workspace/data.csv".to_owned()),
                }),
                ResourceParams::GithubRepository(GithubRepositoryResourceParams {
                    url: "https://github.com/owner/repo".to_owned(),
                    authorization_token: token.clone(),
                    mount_path: None,
                    checkout: Some(Checkout::Branch(BranchCheckout {
                        name: "main".to_owned(),
                    })),
                }),
            ]),
            vault_ids: Some(vec![vault.id.clone()]),
            metadata: None,
            title: Some("quickstart".to_owned()),
        };
        let session = self.client.sessions().create(&params).await.at(3, NAME)?;
        self.created.session = Some(session.id.clone());
        if session.resources.len() != 2 || session.vault_ids != vec![vault.id.clone()] {
            return Err(fail(
                3,
                NAME,
                "the session does not carry the file, the repository and the vault",
            ));
        }
        self.say(
            3,
            &format!(
                "created session {} ({}) with a file, a repository on main and vault {}",
                session.id, session.status, vault.id
            ),
        );
        Ok((session.id, token))
    }

    async fn list_resources(
        &self,
        session: &SessionId,
        secrets: &[&Secret],
    ) -> Result<Vec<SessionResource>, CliError> {
        const NAME: &str = "resources";
        let everything = crate::cli::ListArgs {
            max_items: None,
            page_size: None,
        };
        let stream = self
            .client
            .sessions()
            .resources()
            .list_stream(session, &SessionResourceListParams::default());
        let resources = collect(stream, &everything)
            .await
            .map_err(|error| fail(4, NAME, error.report()))?;
        let text = serde_json::to_string(&resources).unwrap_or_default();
        if secrets.iter().any(|secret| text.contains(secret.expose())) {
            return Err(fail(
                4,
                NAME,
                "a repository token came back in the resource list",
            ));
        }
        Ok(resources)
    }

    async fn step_resources(
        &mut self,
        session: &SessionId,
        token: &Secret,
    ) -> Result<(), CliError> {
        const NAME: &str = "resources";
        let resources = self.list_resources(session, &[token]).await?;
        let repository = resources
            .iter()
            .find_map(|resource| match resource {
                SessionResource::GithubRepository(repository) => Some(repository.clone()),
                _ => None,
            })
            .ok_or_else(|| fail(4, NAME, "the repository is missing from the resource list"))?;
        self.say(
            4,
            &format!(
                "listed {} resources; no token anywhere in them",
                resources.len()
            ),
        );

        let rotated = Secret::new(format!("ghp_rotated{}", unique_token(24)));
        let params = SessionResourceUpdateParams {
            authorization_token: rotated.clone(),
        };
        let updated = self
            .client
            .sessions()
            .resources()
            .update(session, &repository.id, &params)
            .await
            .at(4, NAME)?;
        if serde_json::to_string(&updated)
            .unwrap_or_default()
            .contains(rotated.expose())
        {
            return Err(fail(4, NAME, "the rotation answer carried the new token"));
        }
        let again = self.list_resources(session, &[token, &rotated]).await?;
        self.say(
            4,
            &format!(
                "rotated the token of {}; listed {} resources again, still no token",
                repository.id,
                again.len()
            ),
        );
        Ok(())
    }

    async fn write_output(
        &self,
        session: &SessionId,
        name: &str,
        bytes: &[u8],
    ) -> Result<bool, CliError> {
        let url = format!(
            "{}/_emulator/sessions/{}/outputs/{name}",
            self.base_url.trim_end_matches('/'),
            session
        );
        let response = reqwest::Client::new()
            .put(url)
            .header("x-api-key", &self.api_key)
            .body(bytes.to_vec())
            .send()
            .await
            .map_err(|error| fail(5, "outputs", format!("playing the agent failed: {error}")))?;
        match response.status().as_u16() {
            200..=299 => Ok(true),
            404 if !self.suffix.is_empty() => Ok(false),
            status => Err(fail(
                5,
                "outputs",
                format!("the emulator's control endpoint answered {status}"),
            )),
        }
    }

    async fn step_outputs(&mut self, session: &SessionId) -> Result<(), CliError> {
        const NAME: &str = "outputs";
        let report = b"# Report\n\nLisbon is warmer than Oslo.\n".to_vec();
        let chart = chart_png();
        if !self.write_output(session, "report.md", &report).await? {
            self.say(
                5,
                "skipped: this server has no control endpoint to play the agent",
            );
            return Ok(());
        }
        self.write_output(session, "chart.png", &chart).await?;
        self.say(
            5,
            "the simulated agent wrote /mnt/session/outputs/report.md and chart.png",
        );

        let outputs = self
            .client
            .files()
            .session_outputs(session)
            .await
            .at(5, NAME)?;
        let mut names: Vec<&str> = outputs.iter().map(|file| file.filename.as_str()).collect();
        names.sort_unstable();
        if names != ["chart.png", "report.md"] {
            return Err(fail(5, NAME, format!("listing by scope_id gave {names:?}")));
        }
        let everything = self
            .client
            .files()
            .list(&FileListParams {
                scope_id: None,
                ..Default::default()
            })
            .await
            .at(5, NAME)?;
        self.say(
            5,
            &format!(
                "listed files with scope_id={session}: report.md, chart.png (of {}+ files in all)",
                everything.data.len()
            ),
        );
        for file in &outputs {
            self.created.files.push(file.id.clone());
            let expected = if file.filename == "report.md" {
                &report
            } else {
                &chart
            };
            let downloaded = self
                .client
                .files()
                .download_bytes(&file.id)
                .await
                .at(5, NAME)?;
            if sha256(&downloaded) != sha256(expected) {
                return Err(fail(
                    5,
                    NAME,
                    format!("{} came back with different bytes", file.filename),
                ));
            }
            self.say(
                5,
                &format!(
                    "downloaded {} ({} bytes), SHA-256 {} matches",
                    file.filename,
                    downloaded.len(),
                    &sha256(expected)[..16]
                ),
            );
        }
        Ok(())
    }

    async fn step_archive(
        &mut self,
        environment: &EnvironmentId,
        agent: &AgentId,
    ) -> Result<(), CliError> {
        const NAME: &str = "archive";
        let environments = self.client.environments();
        let update = EnvironmentUpdateParams {
            description: Patch::Value("Python with dev tools (applies to new sessions)".to_owned()),
            ..Default::default()
        };
        let updated = environments
            .update(environment, &update)
            .await
            .at(6, NAME)?;
        self.say(
            6,
            &format!(
                "updated {}: description set, for new sessions only",
                updated.id
            ),
        );
        let archived = environments.archive(environment).await.at(6, NAME)?;
        if archived.archived_at.is_none() {
            return Err(fail(6, NAME, "archive did not set archived_at"));
        }
        self.say(
            6,
            &format!(
                "archived {} at {}",
                archived.id,
                archived.archived_at.as_deref().unwrap_or("")
            ),
        );

        let params = SessionCreateParams {
            agent: AgentRef::Id(agent.clone()),
            environment_id: environment.clone(),
            resources: None,
            vault_ids: None,
            metadata: None,
            title: None,
        };
        match self.client.sessions().create(&params).await {
            Err(error) if error.status() == Some(400) => {
                self.say(
                    6,
                    "starting a session on the archived environment: 400, as expected",
                );
            }
            Err(error) => {
                return Err(fail(
                    6,
                    NAME,
                    format!("a session on an archived environment gave {error}, not 400"),
                ));
            }
            Ok(session) => {
                self.created.session.get_or_insert(session.id.clone());
                return Err(fail(
                    6,
                    NAME,
                    format!(
                        "a session on an archived environment started: {}",
                        session.id
                    ),
                ));
            }
        }

        let active = self.environment_list(false).await?;
        let all = self.environment_list(true).await?;
        let in_active = active.iter().any(|listed| &listed.id == environment);
        let in_all = all.iter().any(|listed| &listed.id == environment);
        if in_active || !in_all {
            return Err(fail(
                6,
                NAME,
                format!("listed without archived: {in_active}, with archived: {in_all}"),
            ));
        }
        self.say(
            6,
            &format!(
                "listed {} environments without archived ones, {} with them",
                active.len(),
                all.len()
            ),
        );

        environments.delete(environment).await.at(6, NAME)?;
        self.created.environments.retain(|id| id != environment);
        self.say(6, &format!("deleted {environment}"));
        Ok(())
    }

    async fn environment_list(&self, include_archived: bool) -> Result<Vec<Environment>, CliError> {
        let everything = crate::cli::ListArgs {
            max_items: None,
            page_size: None,
        };
        let params = EnvironmentListParams {
            include_archived: Some(include_archived),
            ..Default::default()
        };
        let stream = self.client.environments().list_stream(&params);
        collect(stream, &everything)
            .await
            .map_err(|error| fail(6, "archive", error.report()))
    }

    /// Removes what the run created; failures here are reported but do not fail the run.
    /// The line printed names only what was actually removed, and nothing is printed when
    /// the run created nothing.
    async fn clean_up(&mut self) {
        let client = self.client;
        let mut removed = Vec::new();
        let mut problems = Vec::new();
        if let Some(session) = self.created.session.take() {
            match client.sessions().delete(&session).await {
                Ok(_) => removed.push(format!("session {session}")),
                Err(error) => problems.push(format!("session {session}: {error}")),
            }
        }
        let mut files = 0;
        for file in std::mem::take(&mut self.created.files) {
            match client.files().delete(&file).await {
                Ok(_) => files += 1,
                Err(error) => problems.push(format!("file {file}: {error}")),
            }
        }
        if files > 0 {
            removed.push(count(files, "file"));
        }
        let mut environments = 0;
        for environment in std::mem::take(&mut self.created.environments) {
            match client.environments().delete(&environment).await {
                Ok(_) => environments += 1,
                Err(error) => problems.push(format!("environment {environment}: {error}")),
            }
        }
        if environments > 0 {
            removed.push(count(environments, "environment"));
        }
        if let Some(vault) = self.created.vault.take() {
            match client.vaults().delete(&vault).await {
                Ok(_) => removed.push(format!("vault {vault}")),
                Err(error) => problems.push(format!("vault {vault}: {error}")),
            }
        }
        let mut archived = None;
        if let Some(agent) = self.created.agent.take() {
            match client.agents().archive(&agent).await {
                Ok(_) => archived = Some(format!("archived agent {agent}")),
                Err(error) => problems.push(format!("agent {agent}: {error}")),
            }
        }
        if let Some(line) = clean_up_line(&removed, archived.as_deref(), &problems) {
            self.printer.note(&line);
        }
    }
}

/// `1 file`, `3 files`.
fn count(number: usize, noun: &str) -> String {
    if number == 1 {
        format!("1 {noun}")
    } else {
        format!("{number} {noun}s")
    }
}

/// The clean-up line: what was removed, the archived agent, and what was left behind; `None`
/// when there was nothing to clean up.
fn clean_up_line(
    removed: &[String],
    archived: Option<&str>,
    problems: &[String],
) -> Option<String> {
    let mut parts = Vec::new();
    match removed {
        [] => {}
        [only] => parts.push(format!("removed {only}")),
        [first @ .., last] => parts.push(format!("removed {} and {last}", first.join(", "))),
    }
    parts.extend(archived.map(str::to_owned));
    if !problems.is_empty() {
        parts.push(format!(
            "left {} behind: {}",
            count(problems.len(), "thing"),
            problems.join("; ")
        ));
    }
    (!parts.is_empty()).then(|| format!("clean-up: {}", parts.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clean_up_line_says_only_what_happened() {
        assert_eq!(clean_up_line(&[], None, &[]), None);
        let removed = ["session sesn_1".to_owned(), "2 files".to_owned()];
        assert_eq!(
            clean_up_line(&removed, Some("archived agent agent_1"), &[]).as_deref(),
            Some("clean-up: removed session sesn_1 and 2 files; archived agent agent_1")
        );
        assert_eq!(
            clean_up_line(&removed[1..], None, &["vault vlt_1: gone".to_owned()]).as_deref(),
            Some("clean-up: removed 2 files; left 1 thing behind: vault vlt_1: gone")
        );
    }
}
