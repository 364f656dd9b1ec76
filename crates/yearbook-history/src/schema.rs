//! The tables of the history file and its version (`PRAGMA user_version`).

/// The version this build writes; a file of a later version is refused, not misread.
pub(crate) const VERSION: i64 = 2;

/// Creates the tables of a new file (idempotent).
pub(crate) const CREATE: &str = "
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    workspace TEXT NOT NULL,
    started TEXT NOT NULL,
    vintage TEXT NOT NULL,
    period TEXT,
    config_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_workspace ON runs(workspace, id);
CREATE TABLE IF NOT EXISTS inputs (
    run INTEGER NOT NULL REFERENCES runs(id),
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rule_counts (
    run INTEGER NOT NULL REFERENCES runs(id),
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    items INTEGER NOT NULL,
    passes INTEGER NOT NULL,
    fails INTEGER NOT NULL,
    notes INTEGER NOT NULL,
    not_evaluable INTEGER NOT NULL,
    error TEXT
);
CREATE TABLE IF NOT EXISTS findings (
    run INTEGER NOT NULL REFERENCES runs(id),
    seq INTEGER NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    region TEXT NOT NULL,
    region_name TEXT NOT NULL,
    period TEXT NOT NULL,
    message TEXT NOT NULL,
    explanation TEXT,
    stale INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_run ON findings(run);
-- Only the cells that changed since the workspace's previous run; value NULL: no longer loaded.
CREATE TABLE IF NOT EXISTS facts (
    run INTEGER NOT NULL REFERENCES runs(id),
    indicator TEXT NOT NULL,
    region TEXT NOT NULL,
    period TEXT NOT NULL,
    value REAL
);
CREATE INDEX IF NOT EXISTS facts_run ON facts(run);
-- Runs that recorded no figures (more cells than [history] max_fact_cells).
CREATE TABLE IF NOT EXISTS unrecorded (
    run INTEGER PRIMARY KEY REFERENCES runs(id)
);
CREATE TABLE IF NOT EXISTS explained (
    workspace TEXT NOT NULL,
    rule TEXT NOT NULL,
    region TEXT NOT NULL,
    period TEXT NOT NULL,
    identity TEXT NOT NULL,
    figure TEXT NOT NULL,
    run INTEGER NOT NULL REFERENCES runs(id),
    PRIMARY KEY (workspace, rule, region, period, identity)
);
-- Version 2: the last hash of each input file with its stamp, so that an unchanged
-- file is not read again to be hashed (see hash.rs).
CREATE TABLE IF NOT EXISTS file_hashes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    dev INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    hashed_at_ns INTEGER NOT NULL
);
";
