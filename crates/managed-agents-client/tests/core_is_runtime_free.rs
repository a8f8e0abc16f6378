//! The core must run in a browser: no OS clock, no threads, no native runtime outside
//! `src/native/`.

use std::path::Path;

const FORBIDDEN: &[&str] = &[
    "Instant::now",
    "SystemTime::now",
    "std::thread",
    "tokio::",
    "reqwest::",
];

#[test]
fn core_modules_use_no_clock_thread_or_native_runtime() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|extension| extension != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for forbidden in FORBIDDEN {
            assert!(
                !text.contains(forbidden),
                "{} uses `{forbidden}`; the core gets time and sleep from the transport",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} core modules found");
}
