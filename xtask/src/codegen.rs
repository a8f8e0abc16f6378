//! `cargo xtask codegen`: generated files (JSON Schemas, TypeScript typings) and the drift
//! check.

use std::collections::BTreeMap;
use std::path::Path;

/// Every generated file, by path relative to the workspace root.
fn generated(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    for (name, schema) in managed_agents_types::schema::all() {
        let mut text = serde_json::to_string_pretty(&marker_first(schema.to_value()))
            .expect("schemas serialize");
        text.push('\n');
        files.insert(format!("schemas/{name}.json"), text);
    }
    files.insert(
        crate::typings::TYPINGS_PATH.to_owned(),
        crate::typings::generate(root)?,
    );
    Ok(files)
}

/// Writes the generated files, or with `check` compares them with the files on disk.
pub(crate) fn run(root: &Path, check: bool) -> Result<(), String> {
    let files = generated(root)?;
    let mut drift = Vec::new();
    for (path, expected) in &files {
        let full = root.join(path);
        let actual = std::fs::read_to_string(&full).unwrap_or_default();
        if actual == *expected {
            continue;
        }
        if check {
            drift.push(diff(path, &actual, expected));
        } else {
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|error| format!("{}: {error}", parent.display()))?;
            }
            std::fs::write(&full, expected).map_err(|error| format!("{path}: {error}"))?;
            println!("wrote {path}");
        }
    }
    for stale in stale_files(root, &files)? {
        if check {
            drift.push(format!("{stale} is not generated any more; remove it\n"));
        } else {
            std::fs::remove_file(root.join(&stale)).map_err(|error| format!("{stale}: {error}"))?;
            println!("removed {stale}");
        }
    }
    if drift.is_empty() {
        if check {
            println!("codegen: {} generated files are up to date", files.len());
        }
        Ok(())
    } else {
        Err(format!(
            "generated files are out of date; run `cargo xtask codegen`\n{}",
            drift.join("\n")
        ))
    }
}

fn stale_files(root: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    let mut stale = Vec::new();
    let dir = root.join("schemas");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(stale);
    };
    for entry in entries {
        let entry = entry.map_err(|error| error.to_string())?;
        let name = format!("schemas/{}", entry.file_name().to_string_lossy());
        if name.ends_with(".json") && !files.contains_key(&name) {
            stale.push(name);
        }
    }
    Ok(stale)
}

fn diff(path: &str, actual: &str, expected: &str) -> String {
    let diff = similar::TextDiff::from_lines(actual, expected);
    format!(
        "{}",
        diff.unified_diff().context_radius(2).header(
            &format!("{path} (committed)"),
            &format!("{path} (generated)")
        )
    )
}

/// Puts the generated-file marker (`$comment`) first, so the first line of every file says so.
fn marker_first(schema: serde_json::Value) -> serde_json::Value {
    let serde_json::Value::Object(fields) = schema else {
        return schema;
    };
    let (mut ordered, rest): (serde_json::Map<_, _>, serde_json::Map<_, _>) =
        fields.into_iter().partition(|(key, _)| key == "$comment");
    ordered.extend(rest);
    serde_json::Value::Object(ordered)
}
