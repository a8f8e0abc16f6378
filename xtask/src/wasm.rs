//! `cargo xtask wasm [--features a,b]`: builds the npm package in `bindings/pkg` for bundlers,
//! Node and plain ES modules (all resource groups, or only the listed cargo features), optimised
//! with the pinned `wasm-opt`; builds two variants, the "four calls" one (only the groups the
//! size comparison calls) into `bindings/pkg-four-calls` and one with no group at all (the
//! floor) into `bindings/pkg-no-groups`; and prints every size next to the official SDK's for
//! the same calls. `cargo xtask wasm test` runs every wasm test against the emulator.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::ci::run;

/// The build profile of the package (root `Cargo.toml`).
const PROFILE: &str = "wasm-release";

/// The wasm-bindgen targets built, with the folder, the entry file in `bindings/js` and the
/// extension the JS files take there.
const TARGETS: &[(&str, &str, &str, &str)] = &[
    ("bundler", "bundler", "bundler.js", "js"),
    ("web", "web", "web.js", "js"),
    ("nodejs", "node", "node.mjs", "mjs"),
];

/// Features the Rust wasm32 target emits by default, which `wasm-opt` must accept.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// A build of the module with only some resource groups, measured next to the package (only
/// its `web/` build; not published).
struct Variant {
    /// The cargo features of `managed-agents-wasm` it is built with.
    features: &'static str,
    /// Its folder under `bindings/`.
    folder: &'static str,
    /// What it is, for the size table.
    title: &'static str,
}

/// The variants `cargo xtask wasm` builds and measures: the groups the four calls of the size
/// comparison use (environments create and list, a file upload, a session's resources list),
/// and no group at all (the client core, the fetch transport and the bindings' glue: the
/// floor of any build).
const VARIANTS: &[Variant] = &[
    Variant {
        features: "environments,files,sessions",
        folder: "pkg-four-calls",
        title: "four-call variant",
    },
    Variant {
        features: "",
        folder: "pkg-no-groups",
        title: "no resource group (floor)",
    },
];

/// Runs `cargo xtask wasm [--features a,b] | wasm test`.
pub(crate) fn run_command(root: &Path, args: &[String]) -> Result<(), String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let features = match args.as_slice() {
        [] => None,
        ["test"] => return test(root),
        ["--features", features] => Some(*features),
        [other, ..] => {
            return Err(format!(
                "unknown wasm arguments starting at `{other}`; expected nothing, \
                 `--features a,b` or `test`"
            ));
        }
    };
    build(root, features)?;
    build_variants(root)?;
    sizes(root, features)
}

/// The cargo target folder.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// The `wasm-bindgen` version in `Cargo.lock`, which the CLI must match exactly.
pub(crate) fn locked_wasm_bindgen_version(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|error| format!("Cargo.lock: {error}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            let version = lines.next().unwrap_or_default();
            if let Some(version) = version
                .strip_prefix("version = \"")
                .and_then(|rest| rest.strip_suffix('"'))
            {
                return Ok(version.to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen".to_owned())
}

/// Installs what the wasm build and tests need when it is missing: the npm tools, Debian's
/// Chromium and `wasm-bindgen-cli` at the locked version.
pub(crate) fn install(root: &Path) -> Result<(), String> {
    crate::typings::ensure_tools(root)?;
    let has_chromium = Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !has_chromium {
        run(root, "apt-get", &["update"])?;
        run(
            root,
            "apt-get",
            &["install", "-y", "chromium", "chromium-driver"],
        )?;
    }
    let version = locked_wasm_bindgen_version(root)?;
    let installed = Command::new("wasm-bindgen")
        .arg("--version")
        .output()
        .ok()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned());
    if installed.as_deref() == Some(&format!("wasm-bindgen {version}")) {
        println!("wasm-bindgen {version} is installed");
        return Ok(());
    }
    // `--locked` fails on one of the CLI's pinned dependencies with current compilers.
    println!("\n==> cargo install wasm-bindgen-cli --version {version}");
    let status = Command::new("cargo")
        .args(["install", "wasm-bindgen-cli", "--version", &version])
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .map_err(|error| format!("cannot run cargo install: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "installing wasm-bindgen-cli {version} failed ({status})"
        ))
    }
}

/// Builds `managed-agents-wasm` for wasm32 with all its features, or only `features` (a
/// comma-separated list), and answers the path of the `.wasm`.
fn compile(root: &Path, features: Option<&str>) -> Result<String, String> {
    let mut args = vec![
        "build",
        "-p",
        "managed-agents-wasm",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        PROFILE,
    ];
    if let Some(features) = features {
        args.extend(["--no-default-features", "--features", features]);
    }
    run(root, "cargo", &args)?;
    let wasm = target_dir(root)
        .join("wasm32-unknown-unknown")
        .join(PROFILE)
        .join("managed_agents_wasm.wasm");
    Ok(wasm.to_string_lossy().into_owned())
}

/// Binds `wasm` for the wasm-bindgen `target` into `out`, optimises the module with `wasm-opt`
/// and copies the JS API next to it (`client.<extension>`, and `entry` as `index.<extension>`).
fn bind(
    root: &Path,
    wasm: &str,
    (target, entry, extension): (&str, &str, &str),
    out: &Path,
) -> Result<(), String> {
    let bindings = root.join("bindings");
    let out_text = out.to_string_lossy().into_owned();
    run(
        root,
        "wasm-bindgen",
        &[
            "--target",
            target,
            "--out-dir",
            &out_text,
            "--out-name",
            "managed_agents_wasm",
            "--no-typescript",
            wasm,
        ],
    )?;
    let bg = out.join("managed_agents_wasm_bg.wasm");
    let bg = bg.to_string_lossy().into_owned();
    let wasm_opt = bindings.join("node_modules/.bin/wasm-opt");
    // `--converge` repeats the passes while they still shrink the module.
    let mut args = vec!["-Oz", "--converge", "--strip-debug", "--strip-producers"];
    args.extend_from_slice(WASM_FEATURES);
    args.extend(["-o", &bg, &bg]);
    run(root, &wasm_opt.to_string_lossy(), &args)?;
    copy(
        &bindings.join("js/client.js"),
        &out.join(format!("client.{extension}")),
    )?;
    copy(
        &bindings.join("js").join(entry),
        &out.join(format!("index.{extension}")),
    )
}

/// Removes `folder` if it exists.
fn remove(folder: &Path) -> Result<(), String> {
    if folder.exists() {
        std::fs::remove_dir_all(folder)
            .map_err(|error| format!("{}: {error}", folder.display()))?;
    }
    Ok(())
}

/// Builds, binds and optimises the package into `bindings/pkg`, with every resource group or
/// only the cargo `features` listed.
pub(crate) fn build(root: &Path, features: Option<&str>) -> Result<(), String> {
    install(root)?;
    let wasm = compile(root, features)?;
    let bindings = root.join("bindings");
    let package = bindings.join("pkg");
    remove(&package)?;
    for &(target, folder, entry, extension) in TARGETS {
        bind(
            root,
            &wasm,
            (target, entry, extension),
            &package.join(folder),
        )?;
    }
    write(
        &package.join("node/package.json"),
        "{\n  \"type\": \"commonjs\"\n}\n",
    )?;
    copy(&bindings.join("types/api.d.ts"), &package.join("api.d.ts"))?;
    copy(
        &bindings.join("types/index.d.ts"),
        &package.join("index.d.ts"),
    )?;
    write(&package.join("package.json"), PACKAGE_JSON)?;
    match features {
        None => println!("wrote bindings/pkg (bundler/, web/, node/, index.d.ts)"),
        Some(features) => println!(
            "wrote bindings/pkg (bundler/, web/, node/, index.d.ts) with only `{features}`"
        ),
    }
    Ok(())
}

/// Builds the web build of every [`VARIANTS`] entry into `bindings/<folder>/web`, optimised
/// like the package, for the size comparison.
fn build_variants(root: &Path) -> Result<(), String> {
    for variant in VARIANTS {
        let wasm = compile(root, Some(variant.features))?;
        let folder = root.join("bindings").join(variant.folder);
        remove(&folder)?;
        bind(root, &wasm, ("web", "web.js", "js"), &folder.join("web"))?;
        write(
            &folder.join("package.json"),
            "{\n  \"type\": \"module\"\n}\n",
        )?;
        println!(
            "wrote bindings/{}/web ({}, features `{}`)",
            variant.folder, variant.title, variant.features
        );
    }
    Ok(())
}

/// The npm package's manifest: conditional exports pick the build for the runtime.
const PACKAGE_JSON: &str = r#"{
  "name": "managed-agents-wasm",
  "version": "0.1.0",
  "description": "Managed Agents API client as one wasm module for browsers, edge and Node.",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "types": "./index.d.ts",
  "exports": {
    ".": {
      "types": "./index.d.ts",
      "node": "./node/index.mjs",
      "browser": "./bundler/index.js",
      "workerd": "./web/index.js",
      "edge-light": "./web/index.js",
      "deno": "./web/index.js",
      "default": "./web/index.js"
    },
    "./web": { "types": "./index.d.ts", "default": "./web/index.js" },
    "./bundler": { "types": "./index.d.ts", "default": "./bundler/index.js" },
    "./node": { "types": "./index.d.ts", "default": "./node/index.mjs" }
  },
  "sideEffects": false
}
"#;

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|error| format!("copying {} to {}: {error}", from.display(), to.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))
}

/// Prints the raw and gzip sizes of the package (the web build, built with `features`), of
/// each variant and of the official SDK bundled for the same calls.
fn sizes(root: &Path, features: Option<&str>) -> Result<(), String> {
    let mut args = vec![
        "scripts/size.mjs".to_owned(),
        format!("features: {}", features.unwrap_or("all")),
    ];
    for variant in VARIANTS {
        args.push(variant.folder.to_owned());
        args.push(format!(
            "{}, features: {}",
            variant.title,
            if variant.features.is_empty() {
                "none"
            } else {
                variant.features
            }
        ));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&root.join("bindings"), "node", &args)
}

/// The emulator, started on a free port of 127.0.0.1 and stopped when dropped.
struct Emulator {
    child: Child,
    url: String,
    key: String,
    data_dir: PathBuf,
}

impl Emulator {
    fn start(root: &Path) -> Result<Self, String> {
        run(root, "cargo", &["build", "-p", "managed-agents-emulator"])?;
        let binary = target_dir(root).join("debug/managed-agents-emulator");
        let key = "sk-ant-wasm-tests".to_owned();
        let data_dir =
            std::env::temp_dir().join(format!("ma-wasm-emulator-{}", std::process::id()));
        let mut child = Command::new(&binary)
            .args(["--port", "0", "--api-key", &key, "--data-dir"])
            .arg(&data_dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot start {}: {error}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("the emulator has no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(url) = line.strip_prefix("listening on ") {
                        break url.trim().to_owned();
                    }
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err("the emulator exited before saying where it listens".to_owned());
                }
            }
        };
        // Keep reading its output so that it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        println!("emulator listening on {url}");
        Ok(Self {
            child,
            url,
            key,
            data_dir,
        })
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Builds the package, starts the emulator and runs the wasm tests in Node, the JS tests in
/// Node, the headless Chromium test and the TypeScript checks.
pub(crate) fn test(root: &Path) -> Result<(), String> {
    build(root, None)?;
    build_variants(root)?;
    sizes(root, None)?;
    let emulator = Emulator::start(root)?;
    let bindings = root.join("bindings");
    let env = [
        ("MA_EMULATOR_URL", emulator.url.as_str()),
        ("MA_EMULATOR_KEY", emulator.key.as_str()),
    ];

    println!(
        "\n==> cargo test (wasm32, in Node) against {}",
        emulator.url
    );
    let status = Command::new("cargo")
        .args([
            "test",
            "-p",
            "managed-agents-fetch",
            "-p",
            "managed-agents-wasm",
            "--target",
            "wasm32-unknown-unknown",
            "--tests",
        ])
        .envs(env)
        .current_dir(root)
        .status()
        .map_err(|error| format!("cannot run cargo test: {error}"))?;
    if !status.success() {
        return Err(format!("wasm tests failed ({status})"));
    }

    for (what, script) in [
        (
            "node --test (the npm package in Node)",
            "tests/node/package.test.mjs",
        ),
        ("headless Chromium (the web build)", "tests/browser/run.mjs"),
        ("tsc --strict (typings)", "tests/types/check.mjs"),
    ] {
        println!("\n==> {what}");
        let mut command = Command::new("node");
        if script.ends_with(".test.mjs") {
            command.arg("--test");
        }
        let status = command
            .arg(script)
            .envs(env)
            .current_dir(&bindings)
            .status()
            .map_err(|error| format!("cannot run node: {error}"))?;
        if !status.success() {
            return Err(format!("{what} failed ({status})"));
        }
    }
    drop(emulator);
    println!("\nwasm: every test passed");
    Ok(())
}
