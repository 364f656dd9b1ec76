//! What an evaluation gives: a series, a number, text, a check, a record table, a list
//! or a map. An embedder reads it with the accessors and prints it with
//! [`Value::render`]; the script layer's own value stays inside.

use rhai::Dynamic;
use yearbook_core::panel::Panel;
use yearbook_core::series::Series;
use yearbook_script::output::{self, PrintOptions};

/// A script's result.
#[derive(Clone, Debug, Default)]
pub struct Value(Dynamic);

impl Value {
    /// Wraps a value of the script layer.
    pub fn from_dynamic(d: Dynamic) -> Value {
        Value(d)
    }
    /// The value as the script layer holds it (for code that works with Rhai directly).
    pub fn into_dynamic(self) -> Dynamic {
        self.0
    }
    /// The script layer's value, borrowed.
    pub(crate) fn dynamic(&self) -> &Dynamic {
        &self.0
    }
    /// Its type as scripts name it: `Series`, `f64`, `i64`, `string`, `Check`, `Table`, ...
    pub fn type_name(&self) -> &str {
        self.0.type_name()
    }
    /// Whether the script gave nothing (a statement, `()`).
    pub fn is_empty(&self) -> bool {
        self.0.is_unit()
    }
    /// A plain number (whole numbers too); None for anything else.
    pub fn as_number(&self) -> Option<f64> {
        yearbook_script::number_of(&self.0).ok()
    }
    /// A whole number; None for anything else.
    pub fn as_int(&self) -> Option<i64> {
        self.0.as_int().ok()
    }
    /// `true` or `false`; None for anything else.
    pub fn as_bool(&self) -> Option<bool> {
        self.0.as_bool().ok()
    }
    /// Text; None for anything else.
    pub fn as_text(&self) -> Option<String> {
        self.0.clone().into_string().ok()
    }
    /// A series (a mask from a comparison too); None for anything else.
    pub fn as_series(&self) -> Option<Series> {
        self.0.clone().try_cast::<Series>()
    }
    /// The value printed as `opts` says (tables CJK-aligned, CSV, JSON or Markdown), with
    /// region and indicator labels from `panel`.
    pub fn render(&self, opts: &PrintOptions, panel: Option<&Panel>) -> String {
        output::render(&self.0, opts, panel)
    }
    /// The value as JSON (series as `{region: {period: value}}`; missing as null).
    pub fn to_json(&self, panel: Option<&Panel>) -> serde_json::Value {
        output::to_json(&self.0, panel)
    }
}

impl Value {
    /// The value in one line, as a message quotes it (text in quotes, a series by shape).
    pub fn describe(&self) -> String {
        output::describe(&self.0)
    }
}

impl std::fmt::Display for Value {
    /// The value as scripts print it: text as it is, numbers without NaN or inf.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.as_float() {
            Ok(x) => f.write_str(&yearbook_script::guard::float_text(x)),
            Err(_) => write!(f, "{}", self.0),
        }
    }
}
