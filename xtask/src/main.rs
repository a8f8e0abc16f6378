//! Project automation, run as `cargo xtask <command>`.
//!
//! - `codegen [--check]`: writes the JSON Schema files under `schemas/` and the TypeScript
//!   typings in `bindings/types/api.d.ts`; with `--check`, fails with a diff when the committed
//!   files differ from what the code generates.
//! - `wasm [--features a,b | test]`: builds the npm package in `bindings/pkg` (every resource
//!   group, or only the listed ones) and a four-call variant, and prints their sizes; `test`
//!   runs the wasm, Node, headless Chromium and TypeScript tests against the emulator.
//! - `ci`: installs what the checks need, then runs every check (the README's test command).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod ci;
mod codegen;
mod typings;
mod wasm;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&root(), args.iter().any(|arg| arg == "--check")),
        Some("ci") => ci::run_all(&root()),
        Some("bench-files") => bench::run(&root()),
        Some("wasm") => wasm::run_command(&root(), &args[1..]),
        _ => Err(usage()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> String {
    "usage: cargo xtask codegen [--check] | wasm [--features a,b | test] | ci".to_owned()
}

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}
