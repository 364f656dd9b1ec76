//! The rule-test file schema (`tests/*.toml`, `yearbook test`): cases with small fact
//! tables and the findings each rule must give. Parsed with spans, so a bad key or value
//! names its file, line and column and what would fix it (docs/testing.md).

use crate::config::line_col;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;
use yearbook_core::error::{Error, Location, Result};

/// One test file: its `[[case]]` entries.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestFileDef {
    /// The cases, in file order.
    #[serde(default)]
    pub case: Vec<Spanned<CaseDef>>,
}

/// `[[case]]`: facts that replace the workspace's, and what the rules must give on them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseDef {
    /// The case's name (`yearbook test NAME` filters on it).
    pub name: Spanned<String>,
    /// What the case is about, in words.
    pub description: Option<String>,
    /// The period the run reports on (default: the config's `workspace.period`).
    pub period: Option<PeriodText>,
    /// How far a value may be from the expected one: `|got - expected| <= tolerance *
    /// max(1, |expected|)` (default 1e-6).
    pub tolerance: Option<f64>,
    /// Inline fact rows: `["dayun", 2008, "gdp", 7.75]` or
    /// `{ region = "dayun", period = 2008, indicator = "gdp", value = 7.75 }`.
    #[serde(default)]
    pub facts: Vec<Spanned<FactRow>>,
    /// Long CSV files (region, period or year, indicator, value), relative to the test file.
    #[serde(default)]
    pub files: Vec<Spanned<String>>,
    /// Rule id -> what it must give.
    #[serde(default)]
    pub expect: BTreeMap<String, Spanned<Expect>>,
}

/// A period written as text (`"2008"`, `"2020Q1"`) or a year number (`2008`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodText(pub String);

impl<'de> Deserialize<'de> for PeriodText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = PeriodText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a period: a year (2008) or text (\"2020Q1\", \"2020-03\")")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> std::result::Result<PeriodText, E> {
                Ok(PeriodText(s.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> std::result::Result<PeriodText, E> {
                Ok(PeriodText(n.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> std::result::Result<PeriodText, E> {
                Ok(PeriodText(n.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// One fact: region code, period, indicator code (`ns.code` for a namespace) and value.
#[derive(Debug, Clone, PartialEq)]
pub struct FactRow {
    /// Region code.
    pub region: String,
    /// Period.
    pub period: String,
    /// Indicator code, `namespace.code` for facts loaded under a namespace.
    pub indicator: String,
    /// The value, in the indicator's unit.
    pub value: f64,
}

/// The table form of a fact row.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactRowTable {
    region: String,
    period: PeriodText,
    indicator: String,
    value: f64,
}

impl<'de> Deserialize<'de> for FactRow {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = FactRow;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a fact row: [region, period, indicator, value], e.g. [\"dayun\", 2008, \"gdp\", 7.75]")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> std::result::Result<FactRow, A::Error> {
                use serde::de::Error as _;
                let short = || A::Error::custom("a fact row has 4 items: [region, period, indicator, value]");
                let region: String = s.next_element()?.ok_or_else(short)?;
                let period: PeriodText = s.next_element()?.ok_or_else(short)?;
                let indicator: String = s.next_element()?.ok_or_else(short)?;
                let value: f64 = s.next_element()?.ok_or_else(short)?;
                if s.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    return Err(A::Error::custom("a fact row has 4 items: [region, period, indicator, value]; this one has more"));
                }
                Ok(FactRow { region, period: period.0, indicator, value })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> std::result::Result<FactRow, A::Error> {
                let t = FactRowTable::deserialize(serde::de::value::MapAccessDeserializer::new(m))?;
                Ok(FactRow { region: t.region, period: t.period.0, indicator: t.indicator, value: t.value })
            }
        }
        d.deserialize_any(V)
    }
}

/// `[case.expect.<rule>]`: what one rule must give. Every key is optional; those given
/// are checked.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// true: no failures and no error; false: at least one failure.
    pub pass: Option<bool>,
    /// The rule must fail to evaluate with an error whose kind (`unit`, `unknown_name`)
    /// or message contains this text.
    pub error: Option<String>,
    /// Cells in scope where any input is present.
    pub items: Option<usize>,
    /// Items that passed.
    pub passes: Option<usize>,
    /// Items that failed.
    pub fails: Option<usize>,
    /// Notes of an informational rule.
    pub notes: Option<usize>,
    /// Items with an input present but a missing result.
    pub not_evaluable: Option<usize>,
    /// Exactly these findings (failures and notes), in any order.
    pub findings: Option<Vec<Spanned<ExpectedFinding>>>,
}

/// What a finding is, in a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ExpectedStatus {
    /// The check failed (the default).
    #[default]
    Fail,
    /// An informational rule's note.
    Note,
}

/// One expected finding: where, its status, and optionally its values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFinding {
    /// Region code or name (absent: any region).
    pub region: Option<String>,
    /// Period (absent: any period).
    pub period: Option<PeriodText>,
    /// `fail` (default) or `note`.
    #[serde(default)]
    pub status: ExpectedStatus,
    /// Values the finding names (`total`, `parts`, `part`, `value`, `imbalance`, the
    /// rule's own `values`), compared within the case's tolerance.
    #[serde(default)]
    pub values: BTreeMap<String, f64>,
    /// Text the finding's message must contain.
    pub message: Option<String>,
}

/// A parsed test file.
#[derive(Debug)]
pub struct TestFile {
    /// The file read.
    pub path: PathBuf,
    /// Its text (for positions in messages).
    pub text: String,
    /// The parsed cases.
    pub def: TestFileDef,
}

impl TestFile {
    /// Reads and parses `path`; errors name the file, line and column.
    pub fn load(path: &Path) -> Result<TestFile> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path.display().to_string(), e))?;
        Self::parse(path, text)
    }

    /// Parses `text` as the test file at `path`; unknown keys are refused with the
    /// closest known one.
    pub fn parse(path: &Path, text: String) -> Result<TestFile> {
        let def: TestFileDef = crate::config::parse_toml(path, &text)?;
        Ok(TestFile { path: path.to_path_buf(), text, def })
    }

    /// Location of a span (byte range) in the file.
    pub fn at(&self, span: std::ops::Range<usize>) -> Location {
        let (line, col) = line_col(&self.text, span.start);
        Location::new(self.path.display().to_string(), line, Some(col))
    }

    /// Folder of the file (fact CSV paths are relative to it).
    pub fn dir(&self) -> PathBuf {
        self.path.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_as_arrays_or_tables() {
        let t = r#"
[[case]]
name = "a"
facts = [["dayun", 2008, "gdp", 7], { region = "dayun", period = "2007", indicator = "reported_yoy.gdp", value = 1.5 }]
[case.expect.r]
fails = 1
findings = [{ region = "dayun", period = 2008, values = { total = 1 } }]
"#;
        let f = TestFile::parse("t.toml".as_ref(), t.into()).unwrap();
        let c = f.def.case[0].get_ref();
        assert_eq!(c.facts[0].get_ref().period, "2008");
        assert_eq!(c.facts[1].get_ref().indicator, "reported_yoy.gdp");
        let e = c.expect["r"].get_ref();
        assert_eq!(e.fails, Some(1));
        assert_eq!(e.findings.as_ref().unwrap()[0].get_ref().status, ExpectedStatus::Fail);
    }

    #[test]
    fn bad_keys_and_rows_name_the_line() {
        let t = "[[case]]\nname = \"a\"\nfacts = [[\"dayun\", 2008, \"gdp\"]]\n";
        let e = TestFile::parse("t.toml".as_ref(), t.into()).unwrap_err().to_string();
        assert!(e.starts_with("t.toml:3:") && e.contains("4 items"), "{e}");
        let t = "[[case]]\nname = \"a\"\n[case.expect.r]\nfail = 1\n";
        let e = TestFile::parse("t.toml".as_ref(), t.into()).unwrap_err().to_string();
        assert!(e.starts_with("t.toml:4:") && e.contains("`fails`"), "{e}");
    }
}
