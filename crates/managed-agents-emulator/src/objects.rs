//! What stored objects share: lookup and deletion by ID, a terminal archive, metadata patches.
//!
//! Every object is loaded by ID (404 naming it when missing) and deleted only once found.
//! Environments, agents, vaults, memory stores and sessions are archived once and never
//! unarchived, refuse updates once archived, and leave their archived objects out of lists
//! unless `include_archived` is set. Each resource module keeps its own rules (which fields
//! change, which filters apply) and calls these for the parts that are the same everywhere.

use managed_agents_types::agents::Agent;
use managed_agents_types::common::{Metadata, MetadataPatch, Timestamp, apply_metadata_patch};
use managed_agents_types::environments::Environment;
use managed_agents_types::memory_stores::MemoryStore;
use managed_agents_types::sessions::Session;
use managed_agents_types::vaults::Vault;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::gateway::AppState;
use crate::http::Query;
use crate::store::{Db, Kind, Row, now};

/// The most metadata pairs an object may hold after a patch.
const MAX_METADATA_PAIRS: usize = 16;

/// An object that is archived once and for good.
pub(crate) trait Archivable {
    /// When the object was archived, if it was.
    fn archived_at(&self) -> Option<&Timestamp>;

    /// Marks the object archived at `timestamp`, which is also its last update.
    fn mark_archived(&mut self, timestamp: Timestamp);
}

macro_rules! archivable {
    ($($object:ty),* $(,)?) => {$(
        impl Archivable for $object {
            fn archived_at(&self) -> Option<&Timestamp> {
                self.archived_at.as_ref()
            }

            fn mark_archived(&mut self, timestamp: Timestamp) {
                self.archived_at = Some(timestamp.clone());
                self.updated_at = timestamp;
            }
        }
    )*};
}

archivable!(Environment, Agent, Vault, MemoryStore, Session);

/// Loads the object `id` of `kind`, or answers 404 naming it as a `noun`.
pub(crate) fn load<O: DeserializeOwned>(
    db: &Db<'_>,
    kind: Kind,
    noun: &str,
    id: &str,
) -> Result<O, ApiError> {
    db.get(kind, id)?
        .ok_or_else(|| ApiError::not_found(noun, id))
}

/// Answers 400 for an archived object, which cannot change; `noun` names it.
pub(crate) fn refuse_archived(
    object: &impl Archivable,
    noun: &str,
    id: &str,
) -> Result<(), ApiError> {
    if object.archived_at().is_some() {
        return Err(ApiError::invalid(format!("{noun} `{id}` is archived")));
    }
    Ok(())
}

/// Applies an update's metadata patch (when it has one); the result may hold at most 16 pairs.
pub(crate) fn patch_metadata(
    metadata: &mut Metadata,
    patch: Option<MetadataPatch>,
) -> Result<(), ApiError> {
    if let Some(patch) = patch {
        apply_metadata_patch(metadata, patch);
    }
    if metadata.len() > MAX_METADATA_PAIRS {
        return Err(ApiError::invalid("metadata: must have at most 16 pairs"));
    }
    Ok(())
}

/// Archives `object`, stored as `id`, and returns it; an archived object stays as it was.
pub(crate) fn archive<O: Archivable + Serialize>(
    db: &Db<'_>,
    id: &str,
    mut object: O,
) -> Result<O, ApiError> {
    if object.archived_at().is_none() {
        object.mark_archived(now());
        db.update(id, &object)?;
    }
    Ok(object)
}

/// Archives the stored object `id` in one transaction once `load` finds it (404 otherwise),
/// and returns it; an archived object stays as it was.
pub(crate) fn archive_stored<O: Archivable + Serialize>(
    state: &AppState,
    id: &str,
    load: impl FnOnce(&Db<'_>, &str) -> Result<O, ApiError>,
) -> Result<O, ApiError> {
    state.store.write(|db| archive(db, id, load(db, id)?))
}

/// Every stored object of `kind`, oldest first, without the archived ones unless the query's
/// `include_archived` asks for them.
pub(crate) fn list<O: Archivable + DeserializeOwned>(
    state: &AppState,
    query: &Query,
    kind: Kind,
) -> Result<Vec<Row<O>>, ApiError> {
    let include_archived = query.bool("include_archived")?;
    let mut rows = state.store.read(|db| db.list::<O>(kind, None))?;
    rows.retain(|row| include_archived || row.value.archived_at().is_none());
    Ok(rows)
}

/// Deletes the stored object `id` in one transaction once `load` finds it (404 otherwise).
pub(crate) fn delete<O>(
    state: &AppState,
    id: &str,
    load: impl FnOnce(&Db<'_>, &str) -> Result<O, ApiError>,
) -> Result<(), ApiError> {
    state.store.write(|db| {
        load(db, id)?;
        db.delete(id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault() -> Vault {
        serde_json::from_value(serde_json::json!({
            "id": "vlt_1", "type": "vault", "display_name": "keys", "metadata": {},
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn a_patch_may_not_leave_more_than_16_pairs() {
        let mut metadata: Metadata = (0..16).map(|i| (format!("k{i}"), "v".into())).collect();
        let removes_one =
            MetadataPatch::from([("k0".into(), None), ("new".into(), Some("v".into()))]);
        patch_metadata(&mut metadata, Some(removes_one)).unwrap();
        assert_eq!(metadata.len(), 16);
        assert!(metadata.contains_key("new") && !metadata.contains_key("k0"));
        let adds_one = MetadataPatch::from([("extra".into(), Some("v".into()))]);
        let error = patch_metadata(&mut metadata, Some(adds_one)).unwrap_err();
        assert!(error.message.contains("at most 16 pairs"), "{error:?}");
        patch_metadata(
            &mut (0..3).map(|i| (format!("{i}"), "v".into())).collect(),
            None,
        )
        .unwrap();
    }

    #[test]
    fn archiving_sets_both_times_and_then_changes_are_refused() {
        let mut vault = vault();
        refuse_archived(&vault, "vault", "vlt_1").unwrap();
        vault.mark_archived("2026-02-01T00:00:00Z".into());
        assert_eq!(
            vault.archived_at(),
            Some(&"2026-02-01T00:00:00Z".to_owned())
        );
        assert_eq!(vault.updated_at, "2026-02-01T00:00:00Z");
        let error = refuse_archived(&vault, "vault", "vlt_1").unwrap_err();
        assert!(
            error.message.contains("vault `vlt_1` is archived"),
            "{error:?}"
        );
    }
}
