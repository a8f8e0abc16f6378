//! Sets the cfg `groups_left_out` when the crate is built without one of its resource-group
//! features, so the sources name the list of groups only here.

/// The cargo features that each compile one resource group in.
const GROUPS: &[&str] = &[
    "ENVIRONMENTS",
    "SESSIONS",
    "FILES",
    "AGENTS",
    "VAULTS",
    "MEMORY_STORES",
];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(groups_left_out)");
    let left_out = GROUPS
        .iter()
        .any(|group| std::env::var_os(format!("CARGO_FEATURE_{group}")).is_none());
    if left_out {
        println!("cargo::rustc-cfg=groups_left_out");
    }
}
