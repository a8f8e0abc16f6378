//! `managed-agents resources …`: a session's mounted resources.

use managed_agents_types::resources::{
    FileResourceParams, ResourceParams, SessionResource, SessionResourceListParams,
    SessionResourceUpdateParams,
};
use managed_agents_types::{SessionId, SessionResourceId};

use super::collect;
use crate::cli::{ListArgs, ResourceCommand, ResourceIdArgs};
use crate::error::CliError;
use crate::input;
use crate::output::{Column, Printer};
use crate::target::Target;

/// The table columns of a resource. A token is never among them: the API never returns one.
pub(crate) const COLUMNS: &[Column<SessionResource>] = &[
    ("id", |resource| {
        resource.id().map_or("-".to_owned(), ToString::to_string)
    }),
    ("type", |resource| resource.type_name().to_owned()),
    ("source", |resource| match resource {
        SessionResource::File(file) => file.file_id.to_string(),
        SessionResource::GithubRepository(repository) => repository.url.clone(),
        SessionResource::MemoryStore(store) => store.memory_store_id.to_string(),
        SessionResource::Unknown(_) => "-".to_owned(),
    }),
    ("mount_path", |resource| match resource {
        SessionResource::File(file) => file.mount_path.clone(),
        SessionResource::GithubRepository(repository) => repository.mount_path.clone(),
        SessionResource::MemoryStore(store) => store.mount_path.clone(),
        SessionResource::Unknown(_) => "-".to_owned(),
    }),
];

/// Runs one resources command.
pub(crate) async fn run(
    target: &Target,
    printer: Printer,
    command: ResourceCommand,
) -> Result<(), CliError> {
    let resources = target.client.sessions().resources();
    match command {
        ResourceCommand::List { session_id } => {
            let session: SessionId = input::id("session ID", &session_id)?;
            let all = ListArgs {
                max_items: None,
                page_size: None,
            };
            let stream = resources.list_stream(&session, &SessionResourceListParams::default());
            printer.list(&collect(stream, &all).await?, COLUMNS);
        }
        ResourceCommand::AddFile {
            session_id,
            file_id,
            mount_path,
        } => {
            let session: SessionId = input::id("session ID", &session_id)?;
            let params = ResourceParams::File(FileResourceParams {
                file_id: input::id("file ID", &file_id)?,
                mount_path,
            });
            printer.object(&resources.add(&session, &params).await?);
        }
        ResourceCommand::Get { ids } => {
            let (session, resource) = parse_ids(&ids)?;
            printer.object(&resources.retrieve(&session, &resource).await?);
        }
        ResourceCommand::RotateToken {
            session_id,
            resource_id,
            token,
            stray,
        } => {
            const NO_TOKEN_HERE: &str = "rotate-token takes no token on the command line (it \
                would show in the process list and the shell history): use --token-env NAME or \
                --token-stdin";
            if !stray.is_empty() {
                return Err(CliError::usage(NO_TOKEN_HERE));
            }
            // A token typed where an ID goes must not be repeated in the error.
            let (Ok(session), Ok(resource)) = (
                SessionId::new(session_id),
                SessionResourceId::new(resource_id),
            ) else {
                return Err(CliError::usage(format!(
                    "expected a session ID (`sesn_…`) and a resource ID (`sesrsc_…`), which are \
                     not repeated here; {NO_TOKEN_HERE}"
                )));
            };
            let params = SessionResourceUpdateParams {
                authorization_token: input::token(&token)?,
            };
            printer.object(&resources.update(&session, &resource, &params).await?);
        }
        ResourceCommand::Delete { ids } => {
            let (session, resource) = parse_ids(&ids)?;
            printer.object(&resources.delete(&session, &resource).await?);
        }
    }
    Ok(())
}

/// Checks the session and resource IDs of `resources get` and `resources delete`.
fn parse_ids(ids: &ResourceIdArgs) -> Result<(SessionId, SessionResourceId), CliError> {
    Ok((
        input::id("session ID", &ids.session_id)?,
        input::id("resource ID", &ids.resource_id)?,
    ))
}
