//! Durable state: wire objects as JSON rows in SQLite, file contents as files written
//! atomically (temporary file, fsync, rename) beside the database.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rand::Rng;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, EmulatorError};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS objects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    parent TEXT,
    body TEXT NOT NULL,
    secret TEXT
);
CREATE INDEX IF NOT EXISTS objects_by_kind ON objects (kind, seq);
CREATE INDEX IF NOT EXISTS objects_by_parent ON objects (parent, seq);
CREATE TABLE IF NOT EXISTS captured_outputs (
    session_id TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    modified INTEGER NOT NULL,
    file_id TEXT NOT NULL,
    PRIMARY KEY (session_id, path)
);
";

/// The kinds of rows in the `objects` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Environment,
    Agent,
    AgentVersion,
    Vault,
    MemoryStore,
    Session,
    Resource,
    File,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Environment => "environment",
            Self::Agent => "agent",
            Self::AgentVersion => "agent_version",
            Self::Vault => "vault",
            Self::MemoryStore => "memory_store",
            Self::Session => "session",
            Self::Resource => "resource",
            Self::File => "file",
        }
    }
}

/// One stored object with its insertion order.
#[derive(Debug, Clone)]
pub(crate) struct Row<T> {
    pub(crate) seq: i64,
    pub(crate) id: String,
    pub(crate) value: T,
}

/// The file in the data folder that one emulator process holds an exclusive lock on while it
/// uses the folder.
pub(crate) const LOCK_FILE: &str = "emulator.lock";

/// The database and the folder of file contents.
#[derive(Debug)]
pub(crate) struct Store {
    connection: Mutex<Connection>,
    root: PathBuf,
    /// Holds the exclusive lock on [`LOCK_FILE`] for as long as the store lives.
    _lock: Option<std::fs::File>,
}

impl Store {
    /// Opens (or creates) the store under `root`, which must exist. The folder is locked
    /// first, so that a second process never clears the temporary files and contents of one
    /// that is using it: that open fails with [`EmulatorError::DataDirInUse`].
    pub(crate) fn open(root: &Path) -> Result<Self, EmulatorError> {
        let lock = lock_data_dir(root)?;
        for folder in ["files", "tmp", "sessions"] {
            let path = root.join(folder);
            std::fs::create_dir_all(&path).map_err(|source| EmulatorError::Io {
                context: format!("cannot create {}", path.display()),
                source,
            })?;
        }
        clear_temporary_files(&root.join("tmp"));
        let database = root.join("emulator.sqlite3");
        let open = || -> rusqlite::Result<Connection> {
            let connection = Connection::open(&database)?;
            connection.pragma_update(None, "journal_mode", "WAL")?;
            connection.pragma_update(None, "synchronous", "FULL")?;
            connection.busy_timeout(std::time::Duration::from_secs(5))?;
            connection.execute_batch(SCHEMA)?;
            Ok(connection)
        };
        let connection = open().map_err(|source| EmulatorError::Database {
            context: format!("cannot open the database {}", database.display()),
            source,
        })?;
        remove_orphan_blobs(&connection, &root.join("files"));
        Ok(Self {
            connection: Mutex::new(connection),
            root: root.to_path_buf(),
            _lock: lock,
        })
    }

    /// The data folder.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Runs `work` in one transaction, committed only when it succeeds.
    pub(crate) fn write<R>(
        &self,
        work: impl FnOnce(&Db<'_>) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        let result = work(&Db(&transaction))?;
        transaction.commit()?;
        Ok(result)
    }

    /// Runs `work` against a consistent view of the database.
    pub(crate) fn read<R>(
        &self,
        work: impl FnOnce(&Db<'_>) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        let connection = self.lock();
        work(&Db(&connection))
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Where the content of a stored file lives.
    pub(crate) fn blob_path(&self, file_id: &str) -> PathBuf {
        self.root.join("files").join(file_id)
    }

    /// A fresh path for a temporary file on the same file system as the contents.
    pub(crate) fn temp_path(&self) -> PathBuf {
        self.root
            .join("tmp")
            .join(format!("upload-{}", random_letters(16)))
    }

    /// Moves a complete, fsynced temporary file into place as the content of `file_id`.
    pub(crate) fn commit_blob(&self, temp: &Path, file_id: &str) -> std::io::Result<()> {
        let target = self.blob_path(file_id);
        std::fs::rename(temp, &target)?;
        sync_dir(&self.root.join("files"))
    }
}

/// Takes the exclusive lock on the data folder's [`LOCK_FILE`] without waiting; the lock is
/// released when the returned file is closed (also when the process dies). A file system
/// without advisory locks is used unlocked, with a warning.
fn lock_data_dir(root: &Path) -> Result<Option<std::fs::File>, EmulatorError> {
    let path = root.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| EmulatorError::Io {
            context: format!("cannot open the lock file {}", path.display()),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(EmulatorError::DataDirInUse {
            data_dir: root.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(error))
            if error.kind() == std::io::ErrorKind::Unsupported =>
        {
            tracing::warn!(
                path = %path.display(),
                "the file system cannot lock the data folder; do not share it between processes"
            );
            Ok(None)
        }
        Err(std::fs::TryLockError::Error(source)) => Err(EmulatorError::Io {
            context: format!("cannot lock the data folder through {}", path.display()),
            source,
        }),
    }
}

/// Removes what an interrupted upload left in the temporary folder; nothing there was ever
/// acknowledged.
fn clear_temporary_files(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let _ = std::fs::remove_file(entry.path());
    }
}

/// Removes contents whose file row was never committed (the process died between moving the
/// content into place and committing the row); no client ever saw their IDs.
fn remove_orphan_blobs(connection: &Connection, folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let known = connection
            .query_row(
                "SELECT 1 FROM objects WHERE kind = 'file' AND id = ?1",
                params![name],
                |_| Ok(()),
            )
            .optional();
        if matches!(known, Ok(None)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Flushes a folder's entries to disk so that a rename survives a crash.
pub(crate) fn sync_dir(path: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()
}

/// Database operations inside a transaction (or a read).
pub(crate) struct Db<'a>(&'a Connection);

impl Db<'_> {
    pub(crate) fn insert<T: Serialize>(
        &self,
        kind: Kind,
        id: &str,
        parent: Option<&str>,
        value: &T,
        secret: Option<&str>,
    ) -> Result<(), ApiError> {
        self.0.execute(
            "INSERT INTO objects (kind, id, parent, body, secret) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![kind.as_str(), id, parent, to_json(value)?, secret],
        )?;
        Ok(())
    }

    pub(crate) fn update<T: Serialize>(&self, id: &str, value: &T) -> Result<(), ApiError> {
        self.0.execute(
            "UPDATE objects SET body = ?2 WHERE id = ?1",
            params![id, to_json(value)?],
        )?;
        Ok(())
    }

    pub(crate) fn set_secret(&self, id: &str, secret: &str) -> Result<(), ApiError> {
        self.0.execute(
            "UPDATE objects SET secret = ?2 WHERE id = ?1",
            params![id, secret],
        )?;
        Ok(())
    }

    pub(crate) fn get<T: DeserializeOwned>(
        &self,
        kind: Kind,
        id: &str,
    ) -> Result<Option<T>, ApiError> {
        let body: Option<String> = self
            .0
            .query_row(
                "SELECT body FROM objects WHERE kind = ?1 AND id = ?2",
                params![kind.as_str(), id],
                |row| row.get(0),
            )
            .optional()?;
        body.map(|body| from_json(&body)).transpose()
    }

    /// Every object of a kind (under `parent` when given), oldest first.
    pub(crate) fn list<T: DeserializeOwned>(
        &self,
        kind: Kind,
        parent: Option<&str>,
    ) -> Result<Vec<Row<T>>, ApiError> {
        let mut statement = self.0.prepare(
            "SELECT seq, id, body FROM objects WHERE kind = ?1 AND (?2 IS NULL OR parent = ?2)
             ORDER BY seq",
        )?;
        let rows = statement.query_map(params![kind.as_str(), parent], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get::<_, String>(2)?))
        })?;
        let mut result = Vec::new();
        for row in rows {
            let (seq, id, body) = row?;
            result.push(Row {
                seq,
                id,
                value: from_json(&body)?,
            });
        }
        Ok(result)
    }

    pub(crate) fn delete(&self, id: &str) -> Result<(), ApiError> {
        self.0
            .execute("DELETE FROM objects WHERE id = ?1", params![id])?;
        Ok(())
    }

    pub(crate) fn delete_children(&self, parent: &str) -> Result<(), ApiError> {
        self.0
            .execute("DELETE FROM objects WHERE parent = ?1", params![parent])?;
        Ok(())
    }

    /// The size and modification time recorded when an output path was last captured.
    pub(crate) fn captured(
        &self,
        session_id: &str,
        path: &str,
    ) -> Result<Option<(u64, i64)>, ApiError> {
        Ok(self
            .0
            .query_row(
                "SELECT size, modified FROM captured_outputs WHERE session_id = ?1 AND path = ?2",
                params![session_id, path],
                |row| Ok((row.get::<_, i64>(0)? as u64, row.get(1)?)),
            )
            .optional()?)
    }

    pub(crate) fn record_capture(
        &self,
        session_id: &str,
        path: &str,
        size: u64,
        modified: i64,
        file_id: &str,
    ) -> Result<(), ApiError> {
        self.0.execute(
            "INSERT OR REPLACE INTO captured_outputs (session_id, path, size, modified, file_id)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![session_id, path, size as i64, modified, file_id],
        )?;
        Ok(())
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|error| ApiError::internal(error.to_string()))
}

fn from_json<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    serde_json::from_str(body)
        .map_err(|error| ApiError::internal(format!("a stored object does not decode: {error}")))
}

const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// `count` random base58 letters.
pub(crate) fn random_letters(count: usize) -> String {
    let mut rng = rand::rng();
    (0..count)
        .map(|_| BASE58[rng.random_range(0..BASE58.len())] as char)
        .collect()
}

/// A new ID with the given prefix, shaped like the API's (`env_011C…`).
pub(crate) fn new_id(prefix: &str) -> String {
    format!("{prefix}011C{}", random_letters(20))
}

/// A new API key for an emulator started without one.
pub(crate) fn generate_api_key() -> String {
    format!("sk-emulator-{}", random_letters(32))
}

/// The current time as a fixed-width RFC 3339 string in UTC, so that strings sort as times.
pub(crate) fn now() -> String {
    format_time(time::OffsetDateTime::now_utc())
}

/// Formats a time as [`now`] does.
pub(crate) fn format_time(time: time::OffsetDateTime) -> String {
    let time = time.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        time.year(),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second(),
        time.microsecond()
    )
}

/// Parses an RFC 3339 time from a query, for comparisons.
pub(crate) fn parse_time(value: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339).ok()
}
