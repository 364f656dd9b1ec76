//! The placeholders of a sentence template (a rule's `message`, a report rule's `say`),
//! parsed once: `{region}`, `{name}`, `{name:how}` (a value phrased as reports phrase
//! it) and `{function(arg, ...)}` (a scripts function that phrases).

/// A piece of a template: text as written, or a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Text printed as it is (an opening brace without its closing one included).
    Text(String),
    /// A placeholder, and its text between the braces.
    Slot(Slot, String),
    /// A placeholder that does not parse: its text between the braces, and why.
    Bad {
        /// The text between the braces.
        key: String,
        /// What is wrong with it.
        why: String,
    },
}

/// What a placeholder asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// The region's name.
    Region,
    /// The region's code.
    Code,
    /// The period as written in data (2025-06).
    Period,
    /// `{period:cn}`: the period in Chinese (2025年6月).
    PeriodChinese,
    /// `{period:cum}`: the span from the year's start, as cumulative figures are named
    /// (2025年1-6月, 2025年上半年).
    PeriodCumulative,
    /// The rule's id.
    Rule,
    /// The rule's severity.
    Severity,
    /// How far off a failing cell is.
    Imbalance,
    /// A named value, phrased.
    Value {
        /// The value's name (a `values` entry, a check's value, or an indicator).
        name: String,
        /// How it is phrased.
        how: How,
    },
    /// A scripts function called with placeholders' values; it returns the text.
    Call {
        /// The function's name.
        function: String,
        /// Its arguments.
        args: Vec<Arg>,
    },
}

/// How a value is phrased (docs/rules.md, docs/report.md).
#[derive(Debug, Clone, PartialEq)]
pub enum How {
    /// With its unit: 7.75亿元, 18.14%.
    Plain,
    /// In a report's magnitude: 7.75亿元, 12.35万人.
    Amount,
    /// Up to this many decimals, with the unit.
    Decimals(usize),
    /// A growth in words: 同比增长18.14%.
    Growth,
    /// A change of a percentage: 提高1.2个百分点.
    Points,
    /// A difference of percentages, without a direction word: 5.2个百分点.
    Pp,
    /// The change from another value: a growth, words over a zero or negative base.
    Change(String),
    /// A target completion in %: 完成县下达任务149% (who set the target).
    Completion(String),
    /// A rank: 第2位.
    Rank,
    /// A pacing in 百分点 against the schedule: 落后时间进度3.5个百分点, 超前时间进度1.2个百分点, 与时间进度持平.
    Pace,
}

impl How {
    /// Whether the phrasing reads a percentage (or a fraction): growth, points, completion.
    pub fn wants_percent(&self) -> bool {
        matches!(self, How::Growth | How::Points | How::Pp | How::Pace | How::Completion(_))
    }
}

/// An argument of a function placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// `region`, `code`, `period` or a value's name.
    Name(String),
    /// Text in double quotes.
    Text(String),
}

/// The phrasings a value placeholder may name (for messages and suggestions).
pub const PHRASINGS: [&str; 10] =
    ["amount", "growth", "points", "pp", "pace", "change(NAME)", "completion", "completion(WHO)", "rank", "DIGITS"];

/// Parses a template into pieces; placeholders that do not parse are [`Piece::Bad`].
pub fn parse(template: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = template;
    let mut text = String::new();
    while let Some(i) = rest.find('{') {
        text.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(j) = after.find('}') else {
            // A `{` never closed (`{gdp:amount，超过`) printed as it was into findings and
            // reports: refused where the template is checked, shown as `{?…}` otherwise.
            if !text.is_empty() {
                out.push(Piece::Text(std::mem::take(&mut text)));
            }
            let key: String = after.chars().take(24).collect();
            let more = if after.chars().count() > 24 { "…" } else { "" };
            out.push(Piece::Bad {
                key: format!("{key}{more}"),
                why: if key.trim().is_empty() {
                    "a `{` at the end of the template opens no placeholder: remove it, or write the placeholder (`{name}`)".to_string()
                } else {
                    format!(
                        "the `{{` before `{key}{more}` is never closed (the template ends first): a placeholder is `{{name}}` \
                         or `{{name:phrasing}}`; close it with `}}`"
                    )
                },
            });
            rest = "";
            break;
        };
        if !text.is_empty() {
            out.push(Piece::Text(std::mem::take(&mut text)));
        }
        let key = &after[..j];
        out.push(match slot(key) {
            Ok(s) => Piece::Slot(s, key.to_string()),
            Err(why) => Piece::Bad { key: key.to_string(), why },
        });
        rest = &after[j + 1..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    out
}

/// The names a template's pieces read: values, `change` bases and call arguments.
pub fn names(pieces: &[Piece]) -> Vec<&str> {
    let mut out = Vec::new();
    for p in pieces {
        match p {
            Piece::Slot(Slot::Value { name, how }, _) => {
                out.push(name.as_str());
                if let How::Change(prev) = how {
                    out.push(prev.as_str());
                }
            }
            Piece::Slot(Slot::Call { args, .. }, _) => {
                out.extend(args.iter().filter_map(|a| match a {
                    Arg::Name(n) if !matches!(n.as_str(), "region" | "code" | "period") => Some(n.as_str()),
                    _ => None,
                }));
            }
            _ => {}
        }
    }
    out
}

fn slot(key: &str) -> Result<Slot, String> {
    let key = key.trim();
    match key {
        "region" => return Ok(Slot::Region),
        "code" => return Ok(Slot::Code),
        "period" => return Ok(Slot::Period),
        "rule" => return Ok(Slot::Rule),
        "severity" => return Ok(Slot::Severity),
        "imbalance" => return Ok(Slot::Imbalance),
        "" => return Err("an empty placeholder `{}`".into()),
        _ => {}
    }
    if let Some(how) = key.strip_prefix("period:") {
        return match how.trim() {
            "cn" => Ok(Slot::PeriodChinese),
            "cum" => Ok(Slot::PeriodCumulative),
            other => Err(format!("unknown period phrasing `{other}`: use {{period:cn}} (2025年6月) or {{period:cum}} (2025年1-6月)")),
        };
    }
    // `function(args)`: a name directly followed by a parenthesis.
    if let Some(open) = key.find('(')
        && !key[..open].contains(':')
    {
        let function = key[..open].trim();
        let Some(inner) = key[open + 1..].strip_suffix(')') else {
            return Err(format!("`{key}` calls `{function}` without a closing parenthesis"));
        };
        if !is_name(function) {
            return Err(format!("`{function}` is not a function name"));
        }
        let args = split_args(inner)?;
        return Ok(Slot::Call { function: function.to_string(), args });
    }
    let (name, how) = match key.split_once(':') {
        None => (key, How::Plain),
        Some((name, how)) => (name.trim(), phrasing(how.trim())?),
    };
    if !is_value_name(name) {
        return Err(format!("`{name}` is not a value name"));
    }
    Ok(Slot::Value { name: name.to_string(), how })
}

fn phrasing(how: &str) -> Result<How, String> {
    Ok(match how {
        "amount" => How::Amount,
        "growth" => How::Growth,
        "points" => How::Points,
        "pp" => How::Pp,
        "rank" => How::Rank,
        "pace" => How::Pace,
        "completion" => How::Completion("县".into()),
        d if !d.is_empty() && d.len() <= 2 && d.chars().all(|c| c.is_ascii_digit()) => How::Decimals(d.parse().unwrap_or(2)),
        other => {
            let arg = |f: &str| other.strip_prefix(f).and_then(|r| r.strip_prefix('(')).and_then(|r| r.strip_suffix(')')).map(str::trim);
            if let Some(prev) = arg("change").filter(|p| is_value_name(p)) {
                How::Change(prev.to_string())
            } else if let Some(who) = arg("completion").filter(|w| !w.is_empty()) {
                How::Completion(who.to_string())
            } else {
                let names = ["amount", "growth", "points", "pp", "pace", "rank", "completion", "change"];
                let head = other.split('(').next().unwrap_or(other);
                return Err(format!(
                    "unknown phrasing `{other}`{} (phrasings: {})",
                    yearbook_core::suggest::did_you_mean(head, names),
                    PHRASINGS.join(", ")
                ));
            }
        }
    })
}

fn split_args(inner: &str) -> Result<Vec<Arg>, String> {
    let mut args = Vec::new();
    let inner = inner.trim();
    if inner.is_empty() {
        return Ok(args);
    }
    for a in inner.split(',') {
        let a = a.trim();
        if let Some(t) = a.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            args.push(Arg::Text(t.to_string()));
        } else if is_value_name(a) {
            args.push(Arg::Name(a.to_string()));
        } else {
            return Err(format!("argument `{a}`: give a value's name or text in double quotes"));
        }
    }
    Ok(args)
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && !s.starts_with(|c: char| c.is_ascii_digit()) && s.chars().all(|c| c == '_' || c.is_alphanumeric())
}

/// A value's name: a name, or a namespaced one (`target_completion.fdi_actual`).
fn is_value_name(s: &str) -> bool {
    s.split('.').all(is_name) && s.split('.').count() <= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_of_placeholder() {
        let p = parse("{region}{period}年{g:growth}，{c:completion(市)}，{f(region, g, \"县\")}{x:1}{");
        let slot = |i: usize| match &p[i] {
            Piece::Slot(s, _) => s.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(slot(0), Slot::Region);
        assert_eq!(slot(1), Slot::Period);
        assert_eq!(p[2], Piece::Text("年".into()));
        assert_eq!(slot(3), Slot::Value { name: "g".into(), how: How::Growth });
        assert_eq!(slot(5), Slot::Value { name: "c".into(), how: How::Completion("市".into()) });
        assert_eq!(
            slot(7),
            Slot::Call { function: "f".into(), args: vec![Arg::Name("region".into()), Arg::Name("g".into()), Arg::Text("县".into())] }
        );
        assert_eq!(slot(8), Slot::Value { name: "x".into(), how: How::Decimals(1) });
        // A `{` never closed is no text to print (it went into findings as written).
        let Piece::Bad { key, why } = &p[9] else { panic!("{p:?}") };
        assert_eq!(key, "");
        assert!(why.starts_with("a `{` at the end of the template opens no placeholder"), "{why}");
        let Piece::Bad { key, why } = &parse("{region}{gdp:amount，超过5")[1] else { panic!() };
        assert_eq!(key, "gdp:amount，超过5");
        assert!(why.starts_with("the `{` before `gdp:amount，超过5` is never closed"), "{why}");
        assert_eq!(names(&p), vec!["g", "c", "g", "x"]);
    }

    #[test]
    fn periods_of_monthly_reports_and_pace() {
        let p = parse("{period:cum}{period:cn}{p:pace}{period:year}");
        assert_eq!(p[0], Piece::Slot(Slot::PeriodCumulative, "period:cum".into()));
        assert_eq!(p[1], Piece::Slot(Slot::PeriodChinese, "period:cn".into()));
        assert_eq!(p[2], Piece::Slot(Slot::Value { name: "p".into(), how: How::Pace }, "p:pace".into()));
        let Piece::Bad { why, .. } = &p[3] else { panic!("{p:?}") };
        assert_eq!(why, "unknown period phrasing `year`: use {period:cn} (2025年6月) or {period:cum} (2025年1-6月)");
    }

    #[test]
    fn a_bad_phrasing_says_which_exist() {
        let p = parse("{g:grwth}");
        let Piece::Bad { why, .. } = &p[0] else { panic!("{p:?}") };
        assert!(why.starts_with("unknown phrasing `grwth`; did you mean `growth`?"), "{why}");
        let want = Slot::Value { name: "a.b".into(), how: How::Change("prev".into()) };
        assert_eq!(parse("{a.b:change(prev)}")[0], Piece::Slot(want, "a.b:change(prev)".into()));
    }
}
