//! The history file: opened (created on first use), read, and one run recorded per
//! transaction.

use crate::error::HistoryError;
use crate::hash::{FileStamp, KnownHash};
use crate::model::{Cell, Cells, FindingKey, FindingRow, NewRun, RunRow};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a run waits for another one that is recording into the same file.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// An open history file.
pub struct History {
    conn: Connection,
    path: PathBuf,
}

impl History {
    /// Opens the history at `path`, creating the file (and its folder) when absent. A file
    /// that is not a history, or one written by a later version, is an error that says so.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| HistoryError::new(path, format!("cannot create the folder {} ({e}): set [history] path", dir.display())))?;
        }
        let sq = |e| HistoryError::sqlite(path, e);
        let mut conn = Connection::open(path).map_err(sq)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sq)?;
        // WAL: readers never block the writer; a killed writer's transaction is rolled back.
        // Switching a new file to WAL while another run opens it answers "locked" at once
        // (SQLite calls no busy handler there): tried again until the busy timeout.
        let start = std::time::Instant::now();
        while let Err(e) = conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(())) {
            let busy = matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked));
            if !busy || start.elapsed() >= BUSY_TIMEOUT {
                return Err(sq(e));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;").map_err(sq)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(sq)?;
        if version > crate::schema::VERSION {
            return Err(HistoryError::new(
                path,
                format!(
                    "written by a later yearbook (history version {version}, this one reads {}): upgrade yearbook",
                    crate::schema::VERSION
                ),
            ));
        }
        if version < crate::schema::VERSION {
            // IMMEDIATE: the write lock first, waited for (busy timeout). A deferred
            // transaction that read the schema and then writes fails at once with "database
            // is locked" when another run created the tables in between (two first runs).
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sq)?;
            tx.execute_batch(crate::schema::CREATE).map_err(sq)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", crate::schema::VERSION)).map_err(sq)?;
            tx.commit().map_err(sq)?;
        }
        Ok(History { conn, path: path.to_path_buf() })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: rusqlite::Error) -> HistoryError {
        HistoryError::sqlite(&self.path, e)
    }

    /// The runs of a workspace, oldest first.
    pub fn runs(&self, workspace: &str) -> Result<Vec<RunRow>, HistoryError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT id, workspace, started, vintage, period, config_hash,
                    (SELECT count(*) FROM findings f WHERE f.run = runs.id),
                    (SELECT count(*) FROM facts c WHERE c.run = runs.id)
                 FROM runs WHERE workspace = ?1 ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st.query_map(params![workspace], |r| run_row(r, true)).map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// The runs of a workspace, oldest first, without their counts of findings and
    /// changed facts: counting reads every finding of every run (a year of daily runs
    /// at 26,000 findings each is 9.5 million index entries), and a run needs only the
    /// earlier runs' numbers, times and vintages.
    pub fn runs_uncounted(&self, workspace: &str) -> Result<Vec<RunRow>, HistoryError> {
        let mut st = self
            .conn
            .prepare("SELECT id, workspace, started, vintage, period, config_hash FROM runs WHERE workspace = ?1 ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = st.query_map(params![workspace], |r| run_row(r, false)).map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// The input files (path, SHA-256) a run recorded.
    pub fn inputs(&self, run: i64) -> Result<Vec<(String, String)>, HistoryError> {
        let mut st = self.conn.prepare("SELECT path, sha256 FROM inputs WHERE run = ?1 ORDER BY rowid").map_err(|e| self.err(e))?;
        let rows = st.query_map(params![run], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// The hashes recorded for input files, by path, with their stamps (hash.rs).
    pub fn known_hashes(&self) -> Result<HashMap<String, KnownHash>, HistoryError> {
        let mut st = self
            .conn
            .prepare("SELECT path, size, mtime_ns, ctime_ns, ino, dev, sha256, hashed_at_ns FROM file_hashes")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                let stamp = FileStamp { size: r.get(1)?, mtime_ns: r.get(2)?, ctime_ns: r.get(3)?, ino: r.get(4)?, dev: r.get(5)? };
                Ok((r.get::<_, String>(0)?, KnownHash { stamp, sha256: r.get(6)?, hashed_at_ns: r.get(7)? }))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<HashMap<_, _>, _>>().map_err(|e| self.err(e))
    }

    /// Every fact value as run `run` of `workspace` loaded it: the cells recorded up to it.
    pub fn facts_at(&self, workspace: &str, run: i64) -> Result<Cells, HistoryError> {
        if !self.recorded_figures(run)? {
            return Err(HistoryError::new(
                &self.path,
                format!(
                    "run {run} recorded no figures (it loaded more cells than [history] max_fact_cells): its figures cannot be compared"
                ),
            ));
        }
        facts_at(&self.conn, workspace, run).map_err(|e| self.err(e))
    }

    /// Whether run `run` recorded its figures (false: more cells than the limit).
    pub fn recorded_figures(&self, run: i64) -> Result<bool, HistoryError> {
        let n: i64 =
            self.conn.query_row("SELECT count(*) FROM unrecorded WHERE run = ?1", params![run], |r| r.get(0)).map_err(|e| self.err(e))?;
        Ok(n == 0)
    }

    /// The findings run `run` recorded, in its order.
    pub fn findings(&self, run: i64) -> Result<Vec<FindingRow>, HistoryError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT rule, severity, status, region, region_name, period, message, explanation, stale
                 FROM findings WHERE run = ?1 ORDER BY seq",
            )
            .map_err(|e| self.err(e))?;
        let rows = st.query_map(params![run], finding_row).map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// The identities of a run's findings in their order: (row id, rule, region, period).
    /// A comparison needs every identity but the whole finding only for those gone since
    /// ([`History::findings_at`]): reading the identities alone takes half the time.
    pub fn finding_keys(&self, run: i64) -> Result<Vec<FindingKey>, HistoryError> {
        let mut st =
            self.conn.prepare("SELECT rowid, rule, region, period FROM findings WHERE run = ?1 ORDER BY seq").map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![run], |r| Ok(FindingKey { row: r.get(0)?, rule: r.get(1)?, region: r.get(2)?, period: r.get(3)? }))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// The findings at these row ids ([`History::finding_keys`]), in the order given.
    pub fn findings_at(&self, rows: &[i64]) -> Result<Vec<FindingRow>, HistoryError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT rule, severity, status, region, region_name, period, message, explanation, stale
                 FROM findings WHERE rowid = ?1",
            )
            .map_err(|e| self.err(e))?;
        rows.iter().map(|&row| st.query_row(params![row], finding_row).map_err(|e| self.err(e))).collect()
    }

    /// The figure recorded when an explanation (`identity`) was first applied to a cell.
    pub fn explained_figure(
        &self,
        workspace: &str,
        rule: &str,
        region: &str,
        period: &str,
        identity: &str,
    ) -> Result<Option<String>, HistoryError> {
        self.conn
            .query_row(
                "SELECT figure FROM explained WHERE workspace=?1 AND rule=?2 AND region=?3 AND period=?4 AND identity=?5",
                params![workspace, rule, region, period, identity],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Records a run and the facts it loaded (`facts`: every cell it loaded; only those
    /// that differ from the workspace's last recorded figures are stored; None: too many
    /// cells to record, the run is marked as recording none) in one transaction. Returns
    /// the new run's id.
    pub fn record(&mut self, run: &NewRun, facts: Option<&Cells>) -> Result<i64, HistoryError> {
        self.record_after(run, facts, None)
    }

    /// `record`, given the figures as of run `known.0` (read before with `facts_at`): when
    /// that run is still the workspace's last one at the time of writing, they are not
    /// read again.
    pub fn record_after(&mut self, run: &NewRun, facts: Option<&Cells>, known: Option<(i64, &Cells)>) -> Result<i64, HistoryError> {
        self.record_when(run, facts, known, || true).map(|id| id.unwrap_or_default())
    }

    /// `record_after`, committed only if `ready()` says so once everything is inserted:
    /// a run records while its outputs are being written, and is left unrecorded
    /// (`Ok(None)`, the transaction rolled back) when writing them failed.
    pub fn record_when(
        &mut self,
        run: &NewRun,
        facts: Option<&Cells>,
        known: Option<(i64, &Cells)>,
        ready: impl FnOnce() -> bool,
    ) -> Result<Option<i64>, HistoryError> {
        let path = self.path.clone();
        let sq = |e| HistoryError::sqlite(&path, e);
        // IMMEDIATE: the write lock is taken now, so the previous run read below is the
        // one this run follows, even with another run recording at the same time.
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sq)?;
        let last: Option<i64> =
            tx.query_row("SELECT max(id) FROM runs WHERE workspace = ?1", params![run.workspace], |r| r.get(0)).map_err(sq)?;
        // The figures as last recorded: runs that recorded none add no rows, so these are
        // the latest recorded values (the chain of changes stays whole).
        let read;
        let none = Cells::new();
        let before: &Cells = match (last, facts, known) {
            (Some(id), Some(_), Some((k, cells))) if k == id => cells,
            (Some(id), Some(_), _) => {
                read = facts_at(&tx, &run.workspace, id).map_err(sq)?;
                &read
            }
            _ => &none,
        };
        tx.execute(
            "INSERT INTO runs (workspace, started, vintage, period, config_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![run.workspace, run.started, run.vintage, run.period, run.config_hash],
        )
        .map_err(sq)?;
        let id = tx.last_insert_rowid();
        {
            let mut st = tx.prepare("INSERT INTO inputs (run, path, sha256) VALUES (?1, ?2, ?3)").map_err(sq)?;
            for (p, h) in &run.inputs {
                st.execute(params![id, p, h]).map_err(sq)?;
            }
            let mut st = tx
                .prepare(
                    "INSERT OR REPLACE INTO file_hashes (path, size, mtime_ns, ctime_ns, ino, dev, sha256, hashed_at_ns)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(sq)?;
            for (p, k) in &run.fresh_hashes {
                let s = &k.stamp;
                st.execute(params![p, s.size, s.mtime_ns, s.ctime_ns, s.ino, s.dev, k.sha256, k.hashed_at_ns]).map_err(sq)?;
            }
            let mut st = tx
                .prepare("INSERT INTO rule_counts (run, rule, severity, items, passes, fails, notes, not_evaluable, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .map_err(sq)?;
            for r in &run.rules {
                st.execute(params![id, r.rule, r.severity, r.items, r.passes, r.fails, r.notes, r.not_evaluable, r.error]).map_err(sq)?;
            }
            let mut st = tx
                .prepare("INSERT INTO findings (run, seq, rule, severity, status, region, region_name, period, message, explanation, stale) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
                .map_err(sq)?;
            for (k, f) in run.findings.iter().enumerate() {
                st.execute(params![
                    id,
                    k as i64,
                    f.rule,
                    f.severity,
                    f.status,
                    f.region,
                    f.region_name,
                    f.period,
                    f.message,
                    f.explanation,
                    f.stale as i64
                ])
                .map_err(sq)?;
            }
            let mut st = tx.prepare("INSERT INTO facts (run, indicator, region, period, value) VALUES (?1, ?2, ?3, ?4, ?5)").map_err(sq)?;
            let none = Cells::new();
            if facts.is_none() {
                tx.execute("INSERT INTO unrecorded (run) VALUES (?1)", params![id]).map_err(sq)?;
            }
            let facts = facts.unwrap_or(&none);
            // Changed and new cells with their value; cells no longer loaded as NULL.
            for (c, _, v) in crate::changes::changes(before, facts) {
                st.execute(params![id, c.indicator, c.region, c.period, v]).map_err(sq)?;
            }
            let mut st = tx
                .prepare("INSERT OR IGNORE INTO explained (workspace, rule, region, period, identity, figure, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .map_err(sq)?;
            for b in &run.baselines {
                st.execute(params![run.workspace, b.rule, b.region, b.period, b.identity, b.figure, id]).map_err(sq)?;
            }
        }
        if !ready() {
            return Ok(None);
        }
        tx.commit().map_err(sq)?;
        Ok(Some(id))
    }
}

/// The cells of `workspace` as of run `run`: each cell's latest recorded value up to it.
fn facts_at(conn: &Connection, workspace: &str, run: i64) -> rusqlite::Result<Cells> {
    let mut st = conn.prepare(
        "SELECT f.indicator, f.region, f.period, f.value FROM facts f JOIN runs r ON r.id = f.run
         WHERE r.workspace = ?1 AND f.run <= ?2 ORDER BY f.run",
    )?;
    let mut rows = st.query(params![workspace, run])?;
    let mut cells = Cells::new();
    while let Some(r) = rows.next()? {
        let cell = Cell { indicator: r.get(0)?, region: r.get(1)?, period: r.get(2)? };
        match r.get::<_, Option<f64>>(3)? {
            Some(v) => cells.insert(cell, v),
            None => cells.remove(&cell),
        };
    }
    Ok(cells)
}

/// A run as `SELECT id, workspace, started, vintage, period, config_hash[, findings,
/// changed facts]` gives it; the counts only where `counted`.
fn run_row(r: &rusqlite::Row<'_>, counted: bool) -> rusqlite::Result<RunRow> {
    Ok(RunRow {
        id: r.get(0)?,
        workspace: r.get(1)?,
        started: r.get(2)?,
        vintage: r.get(3)?,
        period: r.get(4)?,
        config_hash: r.get(5)?,
        findings: if counted { Some(r.get(6)?) } else { None },
        changed_cells: if counted { Some(r.get(7)?) } else { None },
    })
}

/// A finding as `SELECT rule, severity, status, region, region_name, period, message,
/// explanation, stale` gives it.
fn finding_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FindingRow> {
    Ok(FindingRow {
        rule: r.get(0)?,
        severity: r.get(1)?,
        status: r.get(2)?,
        region: r.get(3)?,
        region_name: r.get(4)?,
        period: r.get(5)?,
        message: r.get(6)?,
        explanation: r.get(7)?,
        stale: r.get::<_, i64>(8)? != 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[(&str, &str, &str, f64)]) -> Cells {
        v.iter().map(|(i, r, p, x)| (Cell { indicator: i.to_string(), region: r.to_string(), period: p.to_string() }, *x)).collect()
    }

    #[test]
    fn stores_only_changed_cells_and_rebuilds_each_run() {
        let dir = tempfile_dir();
        let path = dir.join("h.sqlite");
        let mut h = History::open(&path).unwrap();
        let run = |v: &str| NewRun { workspace: "w".into(), started: "t".into(), vintage: v.into(), ..Default::default() };
        let a = cells(&[("gdp", "t1", "2008", 10.0), ("gdp", "t2", "2008", 20.0)]);
        let b = cells(&[("gdp", "t1", "2008", 10.5), ("gdp", "t2", "2008", 20.0)]);
        let c = cells(&[("gdp", "t1", "2008", 10.5)]);
        let ids =
            [h.record(&run("初步"), Some(&a)).unwrap(), h.record(&run(""), Some(&b)).unwrap(), h.record(&run("最终"), Some(&c)).unwrap()];
        let runs = h.runs("w").unwrap();
        assert_eq!(runs.iter().map(|r| r.changed_cells).collect::<Vec<_>>(), vec![Some(2), Some(1), Some(1)]);
        assert_eq!(runs.iter().map(|r| r.vintage.as_str()).collect::<Vec<_>>(), vec!["初步", "", "最终"]);
        assert_eq!(h.facts_at("w", ids[0]).unwrap(), a);
        assert_eq!(h.facts_at("w", ids[1]).unwrap(), b);
        assert_eq!(h.facts_at("w", ids[2]).unwrap(), c);
        assert!(h.runs("other").unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn figures_read_before_are_used_only_while_their_run_is_still_the_last() {
        let dir = tempfile_dir();
        let mut h = History::open(&dir.join("h.sqlite")).unwrap();
        let run = NewRun { workspace: "w".into(), started: "t".into(), ..Default::default() };
        let a = cells(&[("gdp", "t1", "2008", 10.0), ("gdp", "t2", "2008", 20.0)]);
        let b = cells(&[("gdp", "t1", "2008", 11.0), ("gdp", "t2", "2008", 20.0)]);
        let id_a = h.record(&run, Some(&a)).unwrap();
        // The run that read `a` as its previous figures records `b` after another run
        // recorded `b` in between: its figures are compared with `b`, not `a` (no change).
        let id_b = h.record(&run, Some(&b)).unwrap();
        let id_c = h.record_after(&run, Some(&b), Some((id_a, &a))).unwrap();
        assert_eq!(h.runs("w").unwrap().iter().map(|r| r.changed_cells).collect::<Vec<_>>(), vec![Some(2), Some(1), Some(0)]);
        // Still the last: the figures given are trusted (here deliberately wrong, to show
        // they are what the comparison used: t2 looks changed).
        let wrong = cells(&[("gdp", "t1", "2008", 11.0)]);
        h.record_after(&run, Some(&b), Some((id_c, &wrong))).unwrap();
        assert_eq!(h.runs("w").unwrap().last().unwrap().changed_cells, Some(1));
        assert_eq!(h.facts_at("w", id_b).unwrap(), b);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_that_is_not_a_history_is_a_clear_error() {
        let dir = tempfile_dir();
        let path = dir.join("h.sqlite");
        std::fs::write(&path, b"region,year\nnot a database at all, just some text that is long enough to fill a header page").unwrap();
        let e = History::open(&path).err().expect("refused");
        assert!(e.message.contains("not a readable history database"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempfile_dir() -> PathBuf {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let d = std::env::temp_dir().join(format!(
            "yearbook-history-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
