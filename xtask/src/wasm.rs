//! `cargo xtask wasm`: builds the npm package in `bindings/pkg` for bundlers, Node and plain ES
//! modules, optimised with the pinned `wasm-opt`, and prints its size next to the official
//! SDK's for the same calls. `cargo xtask wasm test` runs every wasm test against the emulator.

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

/// Runs `cargo xtask wasm [test]`.
pub(crate) fn run_command(root: &Path, args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        None => {
            build(root)?;
            sizes(root)
        }
        Some("test") => test(root),
        Some(other) => Err(format!(
            "unknown wasm command `{other}`; expected nothing or `test`"
        )),
    }
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

/// Builds, binds and optimises the package into `bindings/pkg`.
pub(crate) fn build(root: &Path) -> Result<(), String> {
    install(root)?;
    run(
        root,
        "cargo",
        &[
            "build",
            "-p",
            "managed-agents-wasm",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            PROFILE,
        ],
    )?;
    let wasm = target_dir(root)
        .join("wasm32-unknown-unknown")
        .join(PROFILE)
        .join("managed_agents_wasm.wasm");
    let wasm = wasm.to_string_lossy().into_owned();
    let bindings = root.join("bindings");
    let package = bindings.join("pkg");
    if package.exists() {
        std::fs::remove_dir_all(&package).map_err(|error| format!("bindings/pkg: {error}"))?;
    }

    for (target, folder, entry, extension) in TARGETS {
        let out = package.join(folder);
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
                &wasm,
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
    println!("wrote bindings/pkg (bundler/, web/, node/, index.d.ts)");
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

/// Prints the raw and gzip sizes of the package (the web build) and of the official SDK
/// bundled for the same calls.
fn sizes(root: &Path) -> Result<(), String> {
    run(&root.join("bindings"), "node", &["scripts/size.mjs"])
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
    build(root)?;
    sizes(root)?;
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
