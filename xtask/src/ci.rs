//! `cargo xtask ci`: installs what the checks need on a fresh machine, then runs every check
//! in order, stopping at the first failure.

use std::path::Path;
use std::process::Command;

/// Crates that do I/O or bring an async runtime; none may enter the types crate's normal
/// dependency tree.
const FORBIDDEN_IN_TYPES: &[&str] = &[
    "tokio",
    "reqwest",
    "hyper",
    "mio",
    "socket2",
    "async-std",
    "smol",
    "axum",
    "tower",
    "rusqlite",
];

/// Runs `program` with `args` in `root`, failing with the command line when it fails.
pub(crate) fn run(root: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    println!("\n==> {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|error| format!("cannot start `{program}`: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// Runs every check.
pub(crate) fn run_all(root: &Path) -> Result<(), String> {
    run(root, "rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    run(root, "cargo", &["fmt", "--all", "--check"])?;
    run(
        root,
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    println!("\n==> cargo xtask codegen --check");
    crate::codegen::run(root, true)?;
    check_types_have_no_io(root)?;
    run(
        root,
        "cargo",
        &[
            "build",
            "-p",
            "managed-agents-types",
            "--target",
            "wasm32-unknown-unknown",
        ],
    )?;
    run(
        root,
        "cargo",
        &[
            "build",
            "-p",
            "managed-agents-client",
            "--no-default-features",
            "--target",
            "wasm32-unknown-unknown",
        ],
    )?;
    run(root, "cargo", &["test", "--workspace"])?;
    // Installs the pinned official SDKs (npm, PyPI) and drives the emulator binary with them.
    run(root, "bash", &["tests/sdk-conformance/run.sh"])?;
    run(
        root,
        "cargo",
        &["run", "-p", "managed-agents-cli", "--", "quickstart"],
    )?;
    // The wasm package: lints on wasm32 (its crates are empty elsewhere), then the build, the
    // size figures and every wasm test against the emulator (Node, Chromium, tsc).
    run(
        root,
        "cargo",
        &[
            "clippy",
            "-p",
            "managed-agents-fetch",
            "-p",
            "managed-agents-wasm",
            "--all-targets",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    crate::wasm::test(root)?;
    println!("\nci: every check passed");
    Ok(())
}

/// Fails when an I/O or runtime crate is in the types crate's normal dependency tree.
fn check_types_have_no_io(root: &Path) -> Result<(), String> {
    println!("\n==> no I/O crates in managed-agents-types");
    let output = Command::new("cargo")
        .args([
            "tree",
            "-p",
            "managed-agents-types",
            "-e",
            "normal",
            "--target",
            "all",
            "--prefix",
            "none",
        ])
        .current_dir(root)
        .output()
        .map_err(|error| format!("cannot run cargo tree: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let tree = String::from_utf8_lossy(&output.stdout);
    let found: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| FORBIDDEN_IN_TYPES.contains(name))
        .collect();
    if found.is_empty() {
        println!("no I/O crates among {} dependencies", tree.lines().count());
        Ok(())
    } else {
        Err(format!(
            "managed-agents-types must not depend on {}",
            found.join(", ")
        ))
    }
}
