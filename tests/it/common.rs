//! Helpers: the bundled sample, throwaway workspaces, and running the CLI.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn sample_config() -> PathBuf {
    root().join("config/dayun/yearbook.toml")
}

pub fn sample() -> yearbook::Workspace {
    yearbook::Workspace::open(&sample_config(), None).expect("sample loads")
}

/// Runs `yearbook` with args; returns (exit code, stdout, stderr).
pub fn cli(args: &[&str]) -> (i32, String, String) {
    cli_in(&root(), args)
}

pub fn cli_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_yearbook")).args(args).current_dir(dir).output().expect("binary runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A copy of the sample workspace in a temp dir, with some files replaced.
pub fn sample_copy(replace: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = root().join("config/dayun");
    for entry in std::fs::read_dir(&src).expect("sample dir") {
        let p = entry.expect("entry").path();
        let to = dir.path().join(p.file_name().expect("name"));
        if p.is_file() {
            std::fs::copy(&p, &to).expect("copy");
        } else if p.is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
            for f in std::fs::read_dir(&p).expect("dir").flatten() {
                std::fs::copy(f.path(), to.join(f.file_name())).expect("copy");
            }
        }
    }
    for (name, content) in replace {
        std::fs::write(dir.path().join(name), content).expect("write");
    }
    dir
}

/// Evaluates an expression on the sample and returns its single value.
pub fn value(ws: &yearbook::Workspace, expr: &str) -> f64 {
    let r = ws.eval(&format!("value({expr})")).unwrap_or_else(|e| panic!("{expr}: {e}"));
    r.value.as_number().unwrap_or_else(|| panic!("{expr}: not a number"))
}

pub fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// The installed Chromium (Debian's `chromium`, which .ci/run installs), if any.
pub fn browser() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
}

/// Chromium headless, with no network chatter and a fresh profile in `profile` (as
/// root: no sandbox); None when none is installed.
pub fn headless(profile: &Path) -> Option<Command> {
    let mut c = Command::new(browser()?);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]);
    c.arg(format!("--user-data-dir={}", profile.display()));
    Some(c)
}
