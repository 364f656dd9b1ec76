//! The standard indicator scripts shipped in `scripts/`, compiled into every workspace.

/// (file name, text) of each standard script.
pub const SCRIPTS: &[(&str, &str)] = &[("growth.rhai", include_str!("../../../scripts/growth.rhai"))];
