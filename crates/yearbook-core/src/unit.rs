//! Units with a dimension and a scale: 万元 + 亿元 rescales, 亩 + 万元 is an error.
//!
//! A unit is a product of base dimensions with integer exponents (money in CNY, money in
//! USD, persons, area, ...) times a scale relative to the base unit (万元 = 1e4 元).
//! Unknown symbols become their own count dimension, so 辆 + 辆 works and 辆 + 座 does not.

use std::fmt;
use std::sync::Arc;

/// A unit: a symbol as printed (万元), its dimension and its scale to the base unit (万元 = 10^4 元).
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    /// Base dimensions and exponents, sorted by name; empty for a pure number.
    dims: Arc<[(Arc<str>, i8)]>,
    /// Size of one of this unit in base units (万元 -> 1e4).
    pub scale: f64,
    /// How the unit is written.
    pub symbol: Arc<str>,
}

const PREFIXES: [(&str, f64); 8] =
    [("十万", 1e5), ("百万", 1e6), ("千万", 1e7), ("十", 10.0), ("百", 100.0), ("千", 1e3), ("万", 1e4), ("亿", 1e8)];

/// The text inside one pair of brackets that encloses all of `s` (`(%)`, `（万元）`,
/// `[亩]`, `【人】`), if it is not empty.
fn bracketed(s: &str) -> Option<&str> {
    [("(", ")"), ("（", "）"), ("[", "]"), ("【", "】")].into_iter().find_map(|(open, close)| {
        let inner = s.strip_prefix(open)?.strip_suffix(close)?.trim();
        (!inner.is_empty() && !inner.contains([')', '）', ']', '】', '(', '（', '[', '【'])).then_some(inner)
    })
}

/// Other spellings of the percent and per-mille signs, read as them.
const PERCENT_SPELLINGS: &[(&str, &str)] = &[
    ("％", "%"),
    ("百分比", "%"),
    ("百分数", "%"),
    ("百分率", "%"),
    ("percent", "%"),
    ("Percent", "%"),
    ("pct", "%"),
    ("千分比", "‰"),
    ("千分率", "‰"),
];

/// Base symbols: (symbol, dimension, scale). Searched before prefixes are split off.
const BASE: [(&str, &str, f64); 41] = [
    ("元", "CNY", 1.0),
    ("美元", "USD", 1.0),
    ("欧元", "EUR", 1.0),
    ("人", "person", 1.0),
    ("户", "household", 1.0),
    ("平方米", "area", 1.0),
    ("亩", "area", 10000.0 / 15.0),
    ("公顷", "area", 1e4),
    ("平方公里", "area", 1e6),
    ("平方千米", "area", 1e6),
    ("米", "length", 1.0),
    ("公里", "length", 1e3),
    ("千米", "length", 1e3),
    ("吨", "mass", 1e3),
    ("公斤", "mass", 1.0),
    ("千克", "mass", 1.0),
    ("kg", "mass", 1.0),
    // 市斤: half a kilogram (grain, vegetables: 万斤 in a township's tables).
    ("斤", "mass", 0.5),
    ("市斤", "mass", 0.5),
    ("克", "mass", 1e-3),
    ("千瓦时", "energy", 1e3),
    ("度", "energy", 1e3),
    // The international symbols yearbooks print beside the Chinese (行政区域面积（km²）,
    // 粮食产量（t）, 全社会用电量（万kWh）): the same units.
    ("km²", "area", 1e6),
    ("km2", "area", 1e6),
    ("hm²", "area", 1e4),
    ("hm2", "area", 1e4),
    ("m²", "area", 1.0),
    ("m2", "area", 1.0),
    ("km", "length", 1e3),
    ("t", "mass", 1e3),
    ("kWh", "energy", 1e3),
    ("kW·h", "energy", 1e3),
    ("kw·h", "energy", 1e3),
    ("%", "", 0.01),
    ("‰", "", 0.001),
    ("百分点", "", 0.01),
    // As a change in points is said and printed (提高0.125个百分点): diff of a rate in %.
    ("个百分点", "", 0.01),
    // A change of a rate in ‰ (人口自然增长率 5‰ -> 4‰: 下降1个千分点).
    ("千分点", "", 0.001),
    ("个千分点", "", 0.001),
    ("倍", "", 1.0),
    ("", "", 1.0),
];

/// An index base as written (spaces dropped, ＝ read as =): `上年=100`, `上年同期=100`,
/// `上月=100`, `2020年=100`.
fn known_index_base(t: &str) -> Option<String> {
    let base = t.strip_suffix("=100")?;
    let known = ["上年", "上年同期", "上月", "上季", "上季度", "上期", "上年同月", "上年同季"].contains(&base)
        || base.strip_suffix('年').is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()));
    known.then(|| t.to_string())
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).map(|c| if c == '＝' { '=' } else { c }).collect()
}

/// The base of an index written as a unit: `上年=100`, `（上年=100）`, `2020年＝100`; None
/// for any other unit.
pub fn index_base(text: &str) -> Option<String> {
    let t = squeeze(text);
    let inner = ['(', '（', '[', '【']
        .iter()
        .zip([')', '）', ']', '】'])
        .find_map(|(&o, c)| t.strip_prefix(o).and_then(|r| r.strip_suffix(c)))
        .unwrap_or(&t);
    known_index_base(inner)
}

/// The base an indicator's label names in brackets: 地区生产总值指数（上年=100） ->
/// `上年=100`; None when it names none.
pub fn index_base_in_label(label: &str) -> Option<String> {
    let t = squeeze(label);
    let open = t.rfind(['(', '（', '[', '【'])?;
    let rest = &t[open..];
    let body_start = rest.chars().next().map_or(1, char::len_utf8);
    let close = rest.find([')', '）', ']', '】'])?;
    known_index_base(&rest[body_start..close])
}

impl Unit {
    /// An index of which 100 is the base (上年=100, 2020年=100).
    pub fn is_index(&self) -> bool {
        self.dims.is_empty() && self.symbol.ends_with("=100")
    }
    /// A pure number.
    pub fn one() -> Unit {
        Unit { dims: Arc::from(Vec::new()), scale: 1.0, symbol: Arc::from("") }
    }
    /// Percent: a pure number scaled by 0.01.
    pub fn percent() -> Unit {
        Unit::parse("%")
    }
    /// Whether it is a pure number (1, %, ‰).
    pub fn is_dimensionless(&self) -> bool {
        self.dims.is_empty()
    }
    /// Whether it is a bare number: dimensionless at scale 1 and not an index (no %,
    /// no ‰, no 上年=100). A rate or share without a unit is one, and so is its scale
    /// unknown (0.352 may be a fraction or a percentage without its sign).
    pub fn is_bare_number(&self) -> bool {
        self.is_dimensionless() && self.scale == 1.0 && !self.is_index()
    }
    /// Whether it is a quotient or power of dimensions (元/人, 千瓦时/元, 万元/亩), not one
    /// dimension alone (万元, 万人) nor a pure number.
    pub fn is_ratio(&self) -> bool {
        self.dims.len() > 1 || self.dims.iter().any(|(_, e)| *e != 1)
    }
    /// Same dimension (so values can be added after rescaling).
    pub fn same_dimension(&self, other: &Unit) -> bool {
        self.dims == other.dims
    }

    /// Whether every dimension is one of the base symbols' (money, persons, area, ...):
    /// 万元, 亿元/万人, 公顷 are; a word read as its own count (个, 人次, or 万元（当年价
    /// that was not cut at its bracket) is not.
    pub fn is_known(&self) -> bool {
        self.dims.iter().all(|(d, _)| BASE.iter().any(|b| !b.1.is_empty() && b.1 == d.as_ref()))
    }

    /// Whether both are sums of money (元, 美元, 欧元 and their multiples), in the same
    /// currency or not: a unit row's 万美元 speaks for an indicator in 亿元 (and does not
    /// convert), while it leaves an indicator in 万人 alone.
    pub fn both_money(&self, other: &Unit) -> bool {
        let money = |u: &Unit| matches!(&u.dims[..], [(d, 1)] if matches!(d.as_ref(), "CNY" | "USD" | "EUR"));
        money(self) && money(other)
    }

    /// Parses a unit symbol (a percent also as ％, 百分比, percent; ‰ as 千分比): 万元, 亿美元, 亩, %, 元/人, 亿元/万人, or any other word.
    pub fn parse(text: &str) -> Unit {
        let s = text.trim();
        // A unit in brackets, as a header or a unit row writes it (`(%)`, `（万元）`,
        // `[亩]`): the unit inside. `(%)` was a word, so a rate in it changed by 12.5%
        // where it rose by 0.5 个百分点, and added up across towns.
        if let Some(inner) = bracketed(s) {
            return Unit::parse(inner);
        }
        // A unit row's words (`单位：%`, `单位:万元`): the unit after them.
        if let Some(rest) = s.strip_prefix("单位").map(|r| r.trim_start_matches([':', '：', ' '])).filter(|r| !r.is_empty()) {
            return Unit::parse(rest);
        }
        // A percent named and then signed (`百分率（%）`, `百分比(%)`): the sign.
        if let Some(open) = s.find(['(', '（'])
            && let Some(sign) = bracketed(&s[open..]).filter(|i| ["%", "％", "‰"].contains(i))
            && PERCENT_SPELLINGS.iter().any(|(w, c)| *w == s[..open].trim() && Unit::parse(c) == Unit::parse(sign))
        {
            return Unit::parse(sign);
        }
        // A percent with a note after it (`%（年末）`, `% (年均)`) or a full stop (`%.`).
        if let Some(sign) = ["%", "％", "‰"].into_iter().find(|p| s.starts_with(p))
            && let rest = s[sign.len()..].trim()
            && (rest == "." || rest == "。" || bracketed(rest).is_some())
        {
            return Unit::parse(sign);
        }
        // The percent as Chinese files spell it: the full-width ％ of an IME, 百分比,
        // 千分比 (a rate in ％ is in %: its change is in 百分点, and it adds to a %).
        if let Some(&(_, canonical)) = PERCENT_SPELLINGS.iter().find(|(w, _)| *w == s) {
            return Unit::parse(canonical);
        }
        if s.contains(['/', '·']) {
            // A compound: factors joined by `·`, everything after the `/` divides.
            let (num, den) = factors(s);
            let mut u = Unit::one();
            for f in &num {
                u = u.combine(&Unit::parse(f), 1);
            }
            for f in &den {
                u = u.combine(&Unit::parse(f), -1);
            }
            u.symbol = Arc::from(s);
            return u;
        }
        if let Some(&(_, dim, scale)) = BASE.iter().find(|b| b.0 == s) {
            return Unit::base(dim, scale, s);
        }
        // An index (上年=100, 2020年=100): a pure number of which 100 is the base, read as
        // a percent is (108 is 1.08 times the base; 108 - 100 is 8 of the base's percent).
        if let Some(base) = index_base(s) {
            return Unit { dims: Arc::from(Vec::new()), scale: 0.01, symbol: Arc::from(base) };
        }
        for (p, f) in PREFIXES {
            if let Some(rest) = s.strip_prefix(p).filter(|r| !r.is_empty()) {
                let inner = Unit::parse(rest);
                return Unit { scale: inner.scale * f, symbol: Arc::from(s), ..inner };
            }
        }
        // An unknown word (个, 座, 项, 株, 人次, 辆, ...) counts things of its own kind.
        Unit::base(s, 1.0, s)
    }

    /// The magnitude prefix the symbol is written with, and the unit it multiplies:
    /// 万吨 -> ("万", "吨"), 亿人次 -> ("亿", "人次"); None for a base symbol (吨, 千米,
    /// 千瓦时), a compound (元/人) or a word without a prefix.
    pub fn prefix(&self) -> Option<(&'static str, &str)> {
        let s: &str = &self.symbol;
        if s.contains(['/', '·']) || BASE.iter().any(|b| b.0 == s) {
            return None;
        }
        PREFIXES.iter().find_map(|&(p, _)| s.strip_prefix(p).filter(|r| !r.is_empty()).map(|r| (p, r)))
    }

    fn base(dim: &str, scale: f64, symbol: &str) -> Unit {
        let dims: Vec<(Arc<str>, i8)> = if dim.is_empty() { vec![] } else { vec![(Arc::from(dim), 1)] };
        Unit { dims: Arc::from(dims), scale, symbol: Arc::from(symbol) }
    }

    /// self * other^exp (exp = 1 or -1), with a composed symbol.
    fn combine(&self, other: &Unit, exp: i8) -> Unit {
        let mut dims: Vec<(Arc<str>, i8)> = self.dims.to_vec();
        for (d, e) in other.dims.iter() {
            match dims.iter_mut().find(|(x, _)| x == d) {
                Some(slot) => slot.1 += e * exp,
                None => dims.push((d.clone(), e * exp)),
            }
        }
        dims.retain(|(_, e)| *e != 0);
        dims.sort_by(|a, b| a.0.cmp(&b.0));
        let scale = if exp > 0 { self.scale * other.scale } else { self.scale / other.scale };
        // The symbol follows the factors, and a factor written the same above and below
        // the line cancels: 美元/人 * 人 = 美元, 元/人 * 万人 = 元·万人/人 (same value, a
        // scale other than 1 keeps both).
        let (mut num, mut den) = factors(&self.symbol);
        let (on, od) = factors(&other.symbol);
        if exp > 0 {
            num.extend(on);
            den.extend(od);
        } else {
            num.extend(od);
            den.extend(on);
        }
        let mut i = 0;
        while i < num.len() {
            match den.iter().position(|d| *d == num[i]) {
                Some(j) => {
                    den.remove(j);
                    num.remove(i);
                }
                None => i += 1,
            }
        }
        let symbol = match (num.is_empty(), den.is_empty()) {
            (true, true) => String::new(),
            (false, true) => num.join("·"),
            (true, false) => format!("1/{}", den.join("·")),
            (false, false) => format!("{}/{}", num.join("·"), den.join("·")),
        };
        Unit { dims: Arc::from(dims), scale, symbol: Arc::from(symbol) }
    }

    /// Why values in this unit do not add up across regions, when they do not: a
    /// percentage, a per-mille rate, 百分点, a multiple (倍), an index (上年=100), or a
    /// figure per unit of something other than time (元/吨, 元/人, 人/平方公里: the towns'
    /// 元/人 summed is no figure of the county). None for a unit whose values add up
    /// (万元, 人, 吨, 万人次, a pure number, and a flow per unit of time such as 吨/日).
    /// Also an age (岁), a temperature (℃; 度 is 千瓦时 here, as electricity statistics
    /// write it, and adds), a speed (a length per second, minute or hour: 米/秒,
    /// 公里/小时), and a per-unit figure written out with 每 (元每吨) as with a slash.
    /// A figure per day, month, quarter or year is a flow and adds: 公里/年 of road
    /// built, 吨/日, 元/月 (a wage bill; a monthly income per person is 元/人).
    pub fn not_additive(&self) -> Option<String> {
        if self.is_dimensionless() {
            return match self.symbol.as_ref() {
                "%" => Some("a percentage (%)".into()),
                "‰" => Some("a per-mille rate (‰)".into()),
                "百分点" | "个百分点" => Some("a change in 百分点".into()),
                "千分点" | "个千分点" => Some("a change in 千分点".into()),
                "倍" => Some("a multiple (倍)".into()),
                _ if self.is_index() => Some(format!("an index ({})", self.symbol)),
                // A figure per another of its kind (人/千人, 户/百户, 万元/万元): its units cancel
                // to a plain number, but it is a rate, and the regions' rates do not add up
                // to their total's (3 doctors per 千人 in each of three towns is 3, not 9).
                s if s.contains(['/', '／', '每']) && s.chars().count() > 2 => {
                    Some(format!("a figure per another of its kind ({})", self.symbol))
                }
                _ => None,
            };
        }
        if matches!(self.symbol.as_ref(), "个百分点" | "百分点") {
            return Some("a change in 百分点".into());
        }
        const TIME: [&str; 11] = ["年", "日", "天", "月", "季", "季度", "周", "小时", "时", "分钟", "秒"];
        // Two count words are alternatives, not a figure per something: 台/套 (machines
        // counted in 台 or 套), 座/处, 个/处, 件/套, and 人/次 (人次).
        const COUNT: [&str; 12] = ["台", "套", "座", "处", "个", "件", "只", "项", "条", "部", "辆", "艘"];
        const OR: [&str; 7] = ["套", "处", "件", "座", "台", "个", "项"];
        if let Some(what) = not_additive_word(&self.symbol) {
            return Some(what);
        }
        let mut symbol = self.symbol.replace('／', "/");
        // 元每吨 is 元/吨 written out.
        if !symbol.contains('/')
            && let Some((n, d)) = symbol.split_once('每')
            && !n.is_empty()
            && !d.is_empty()
        {
            symbol = format!("{n}/{d}");
        }
        let (num, den) = factors(&symbol);
        // A length per second, minute or hour is a speed; per day, month or year it is
        // a flow (公里/年 of road built), which adds.
        const CLOCK: [&str; 5] = ["小时", "时", "分钟", "分", "秒"];
        if !den.is_empty() && den.iter().all(|d| CLOCK.contains(&d.as_str())) {
            let num_unit = Unit::parse(&num.join("·"));
            if matches!(&num_unit.dims[..], [(d, 1)] if d.as_ref() == "length") {
                return Some(format!("a speed ({})", self.symbol));
            }
        }
        if let ([n], [d]) = (num.as_slice(), den.as_slice())
            && ((COUNT.contains(&n.as_str()) && OR.contains(&d.as_str())) || (n == "人" && d == "次"))
        {
            return None;
        }
        (!den.is_empty() && !den.iter().all(|d| TIME.contains(&d.as_str())))
            .then(|| format!("a figure per {} ({})", den.join("·"), self.symbol))
    }

    /// How a figure in this unit, which does not add up ([`Unit::not_additive`]), can be
    /// declared to roll up, in words for a message: a figure per something (元/吨, 吨/人)
    /// as a mean weighted by the indicator it is per (its denominator); one per nothing
    /// (an age, a temperature, a speed, a percentage) as a mean weighted by a count of what
    /// it is taken over (a population for an age), or a plain mean.
    pub fn mean_hint(&self) -> String {
        let what = self.not_additive().unwrap_or_default();
        let weight = if what.starts_with("a figure per ") {
            let symbol = self.symbol.replace('／', "/");
            let den = match symbol.split_once('/') {
                Some((_, d)) => d.to_string(),
                None => symbol.split_once('每').map(|(_, d)| d.to_string()).unwrap_or_default(),
            };
            format!("the indicator in {den} it is per (its denominator)")
        } else if what.starts_with("an age") {
            "the population it is the age of (a count of people)".to_string()
        } else if what.starts_with("a temperature") || what.starts_with("a speed") {
            "a count of what it is measured over (people, stations)".to_string()
        } else if what.starts_with("an index") {
            "the figure it is an index of".to_string()
        } else {
            "the indicator it is a share or multiple of (its denominator)".to_string()
        };
        format!("\"weighted_mean(<indicator>)\" with {weight} as the weight, or \"mean\"")
    }

    /// Factor that converts a value in `self` to a value in `to`, if dimensions agree.
    pub fn factor_to(&self, to: &Unit) -> Option<f64> {
        self.same_dimension(to).then(|| self.scale / to.scale)
    }

    /// The factor from the unit a table heads a column with to an indicator's unit: as
    /// [`Unit::factor_to`], or, for an indicator per person (元/人), the unit of its
    /// numerator, as yearbooks head 人均可支配收入（元）: 30000 元 there is 30000 元/人, and
    /// 人均GDP（万元） of 1.2 is 12000 元/人. None when neither converts.
    pub fn heading_factor_to(&self, to: &Unit) -> Option<f64> {
        self.factor_to(to).or_else(|| {
            // Only per person (人均): 单产（公斤） is per 亩 while the indicator may be per
            // 公顷, and 猪肉价格（元） per 500克.
            let (num, den) = factors(&to.symbol);
            if num.len() != 1 || !matches!(den.as_slice(), [d] if d == "人") || self.symbol.contains('/') {
                return None;
            }
            self.factor_to(&Unit::parse(&num[0]))
        })
    }

    /// A value in this unit, in `to` (1.5 亿元 in 万元 is 15000): None when the units do
    /// not convert. A power-of-ten factor (亿元 to 万元, 元 to 万元) moves the decimal
    /// point: the product is read back to 15 significant digits, so 1.1 亿元 is 11000 万元,
    /// not the binary product 11000.000000000002.
    pub fn convert(&self, v: f64, to: &Unit) -> Option<f64> {
        self.factor_to(to).map(|factor| rescale(v, factor))
    }

    /// The unit of a sum or difference and the factor to apply to the right operand.
    pub fn add(&self, rhs: &Unit) -> Result<(Unit, f64), String> {
        match rhs.factor_to(self) {
            Some(f) => Ok((self.clone(), f)),
            None => Err(format!("unit mismatch: cannot add or compare {} and {}", self.show(), rhs.show())),
        }
    }

    /// The unit of a product or quotient and the factors to apply to each operand.
    /// Pure numbers (%, ‰) are turned into plain fractions first; like units divide to a
    /// pure number.
    pub fn mul_div(&self, rhs: &Unit, divide: bool) -> (Unit, f64, f64) {
        let (mut fa, mut fb) = (1.0, 1.0);
        let a = if self.is_dimensionless() {
            fa = self.scale;
            Unit::one()
        } else {
            self.clone()
        };
        let b = if rhs.is_dimensionless() {
            fb = rhs.scale;
            Unit::one()
        } else {
            rhs.clone()
        };
        if divide && a.same_dimension(&b) && !a.is_dimensionless() {
            return (Unit::one(), fa * a.scale, fb * b.scale);
        }
        (a.combine(&b, if divide { -1 } else { 1 }), fa, fb)
    }

    /// The unit of a figure in this unit raised to the whole power `n` (亿元 ** 2 is
    /// 亿元·亿元, ** -1 is 1/亿元, ** 0 a pure number).
    pub fn powi(&self, n: i32) -> Unit {
        let mut out = Unit::one();
        for _ in 0..n.unsigned_abs() {
            out = out.combine(self, if n > 0 { 1 } else { -1 });
        }
        out
    }

    /// The unit of a square root of a figure in this unit: each factor taken half as
    /// often (亿元·亿元 is 亿元, 元·元/人·人 is 元/人); None where a factor is there an odd
    /// number of times (亿元 has no square root with a unit).
    pub fn sqrt(&self) -> Option<Unit> {
        if self.dims.iter().any(|(_, e)| e % 2 != 0) {
            return None;
        }
        let (num, den) = factors(&self.symbol);
        let half = |v: Vec<String>| -> Option<Vec<String>> {
            let mut out: Vec<String> = Vec::new();
            let mut seen: Vec<(String, usize)> = Vec::new();
            for f in v {
                match seen.iter_mut().find(|(x, _)| *x == f) {
                    Some(slot) => slot.1 += 1,
                    None => seen.push((f, 1)),
                }
            }
            for (f, k) in seen {
                if k % 2 != 0 {
                    return None;
                }
                out.extend(std::iter::repeat_n(f, k / 2));
            }
            Some(out)
        };
        let (num, den) = (half(num)?, half(den)?);
        let symbol = match (num.is_empty(), den.is_empty()) {
            (true, true) => String::new(),
            (false, true) => num.join("·"),
            (true, false) => format!("1/{}", den.join("·")),
            (false, false) => format!("{}/{}", num.join("·"), den.join("·")),
        };
        let dims: Vec<(Arc<str>, i8)> = self.dims.iter().map(|(d, e)| (d.clone(), e / 2)).collect();
        Some(Unit { dims: Arc::from(dims), scale: self.scale.sqrt(), symbol: Arc::from(symbol) })
    }

    /// How the unit is named in messages: the symbol, or "a pure number".
    pub fn show(&self) -> String {
        if self.symbol.is_empty() { "a pure number".into() } else { self.symbol.to_string() }
    }
}

/// The factors of a unit symbol above and below the line: "亿元·人/万人" -> ([亿元, 人], [万人]).
/// Why a unit of one word does not add across regions: an age, a temperature.
fn not_additive_word(symbol: &str) -> Option<String> {
    match symbol.trim() {
        "岁" | "周岁" => Some(format!("an age ({symbol})")),
        "℃" | "°C" | "摄氏度" | "℉" | "°F" | "华氏度" => Some(format!("a temperature ({symbol})")),
        _ => None,
    }
}

fn factors(symbol: &str) -> (Vec<String>, Vec<String>) {
    let (num, den) = symbol.split_once('/').unwrap_or((symbol, ""));
    let split =
        |t: &str| -> Vec<String> { t.split('·').map(str::trim).filter(|x| !x.is_empty() && *x != "1").map(String::from).collect() };
    (split(num), split(den))
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.symbol)
    }
}

/// `v` times a unit factor: a power of ten (亿元 to 万元) moves the decimal point, so the
/// product is read back to 15 significant digits (1.1 x 10^4 is 11000, not the binary
/// product 11000.000000000002); other factors (亩 to 公顷) multiply.
pub fn rescale(v: f64, factor: f64) -> f64 {
    if factor == 1.0 || !v.is_finite() {
        return v;
    }
    let p = v * factor;
    let tens = factor.log10();
    if (tens - tens.round()).abs() < 1e-9 && p.is_finite() && p != 0.0 {
        return format!("{p:.14e}").parse().unwrap_or(p);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Units whose regions' values do not add up: an age, a temperature, a speed, money in
    /// 元 per month, a per-unit figure written with 每; the additive ones stay so.
    /// An age or a temperature is per nothing: its hint names a count, not a denominator.
    #[test]
    fn a_mean_hint_names_a_denominator_only_for_a_figure_per_something() {
        let hint = |u: &str| Unit::parse(u).mean_hint();
        assert_eq!(
            hint("元/吨"),
            "\"weighted_mean(<indicator>)\" with the indicator in 吨 it is per (its denominator) as the weight, or \"mean\""
        );
        assert_eq!(
            hint("元每吨"),
            "\"weighted_mean(<indicator>)\" with the indicator in 吨 it is per (its denominator) as the weight, or \"mean\""
        );
        assert_eq!(
            hint("岁"),
            "\"weighted_mean(<indicator>)\" with the population it is the age of (a count of people) as the weight, or \"mean\""
        );
        for u in ["℃", "米/秒"] {
            assert_eq!(
                hint(u),
                "\"weighted_mean(<indicator>)\" with a count of what it is measured over (people, stations) as the weight, or \"mean\""
            );
        }
    }

    #[test]
    fn ages_temperatures_speeds_and_incomes_per_month_do_not_add() {
        let why = |u: &str| Unit::parse(u).not_additive();
        assert_eq!(why("岁").as_deref(), Some("an age (岁)"));
        assert_eq!(why("℃").as_deref(), Some("a temperature (℃)"));
        assert_eq!(why("摄氏度").as_deref(), Some("a temperature (摄氏度)"));
        assert_eq!(why("米/秒").as_deref(), Some("a speed (米/秒)"));
        assert_eq!(why("公里/小时").as_deref(), Some("a speed (公里/小时)"));
        assert_eq!(why("元每吨").as_deref(), Some("a figure per 吨 (元每吨)"));
        assert_eq!(why("千米/时").as_deref(), Some("a speed (千米/时)"));
        // Flows per day, month, quarter or year add (公里/年 of road built, a wage bill).
        for additive in [
            "度",
            "千瓦时",
            "万元/年",
            "万元/月",
            "吨/日",
            "立方米/秒",
            "人/次",
            "台/套",
            "座/处",
            "个/处",
            "件/套",
            "人次",
            "小时",
            "公里/年",
            "公里每年",
            "米/年",
            "千米/年",
            "公里/日",
            "米/月",
            "元/月",
            "元/季度",
            "元/日",
            "元/天",
            "美元/年",
        ] {
            assert_eq!(why(additive), None, "{additive}");
        }
        assert_eq!(why("人/户").as_deref(), Some("a figure per 户 (人/户)"));
    }
    #[test]
    fn rescales_and_refuses() {
        assert!(Unit::parse("万元").is_known() && Unit::parse("亿元/万人").is_known() && Unit::parse("%").is_known());
        assert!(!Unit::parse("万元（当年价").is_known() && !Unit::parse("人次").is_known());
        assert!(Unit::parse("万美元").both_money(&Unit::parse("亿元")) && !Unit::parse("万元").both_money(&Unit::parse("万人")));
        let (u, f) = Unit::parse("万元").add(&Unit::parse("亿元")).unwrap();
        assert_eq!(u.symbol.as_ref(), "万元");
        assert_eq!(f, 1e4);
        let e = Unit::parse("亩").add(&Unit::parse("万元")).unwrap_err();
        assert_eq!(e, "unit mismatch: cannot add or compare 亩 and 万元");
        assert!(Unit::parse("个").add(&Unit::parse("座")).is_err());
        assert!(Unit::parse("万人次").add(&Unit::parse("人次")).is_ok());
    }
    #[test]
    fn the_percent_spelled_otherwise_is_the_percent() {
        for w in [
            "％",
            "百分比",
            " ％ ",
            "percent",
            "(%)",
            "（%）",
            "（％）",
            "[%]",
            "%.",
            "%（年末）",
            "% (年均)",
            "百分率",
            "单位：%",
            "单位:％",
            "百分率（%）",
            "百分比(%)",
        ] {
            assert_eq!(Unit::parse(w), Unit::parse("%"), "{w}");
        }
        assert_eq!(Unit::parse("千分比"), Unit::parse("‰"));
        assert_eq!(Unit::parse("单位：万元"), Unit::parse("万元"));
        assert_ne!(Unit::parse("百分率（‰）"), Unit::parse("%"));
        assert!(Unit::parse("％").add(&Unit::parse("%")).is_ok());
    }
    #[test]
    fn ratios() {
        let (u, fa, fb) = Unit::parse("亿元").mul_div(&Unit::parse("万元"), true);
        assert!(u.is_dimensionless());
        assert_eq!(fa / fb, 1e4);
        let (u, _, _) = Unit::parse("亿元").mul_div(&Unit::parse("万人"), true);
        assert_eq!(u.symbol.as_ref(), "亿元/万人");
        assert_eq!(Unit::parse("元/人").factor_to(&u), Some(1.0 / 1e4));
        assert!((Unit::parse("亩").factor_to(&Unit::parse("公顷")).unwrap() - 1.0 / 15.0).abs() < 1e-12);
    }
    #[test]
    fn factors_cancel() {
        // gapminder: gdpPercap (美元/人) * pop (人) is 美元.
        let (u, fa, fb) = Unit::parse("美元/人").mul_div(&Unit::parse("人"), false);
        assert_eq!((u.symbol.as_ref(), fa, fb), ("美元", 1.0, 1.0));
        assert_eq!(u, Unit::parse("美元"));
        // Scales differ: both factors stay, and the symbol parses back to the same unit.
        let (u, _, _) = Unit::parse("元/人").mul_div(&Unit::parse("万人"), false);
        assert_eq!(u.symbol.as_ref(), "元·万人/人");
        assert_eq!(Unit::parse(&u.symbol), u);
        assert_eq!(u.factor_to(&Unit::parse("元")), Some(1e4));
        // Division by a compound inverts it: 元 / (元/人) = 人.
        let (u, _, _) = Unit::parse("元").mul_div(&Unit::parse("元/人"), true);
        assert_eq!(u.symbol.as_ref(), "人");
        let (u, _, _) = Unit::parse("亿元").mul_div(&Unit::parse("人"), true);
        assert_eq!(Unit::parse(&u.symbol), u);
    }
}

#[cfg(test)]
mod index_tests {
    use super::*;
    #[test]
    fn index_bases_are_read_from_units_and_labels() {
        for (text, base) in
            [("上年=100", "上年=100"), ("（上年＝100）", "上年=100"), ("上年同期 = 100", "上年同期=100"), ("2020年=100", "2020年=100")]
        {
            assert_eq!(index_base(text).as_deref(), Some(base), "{text}");
        }
        for text in ["%", "100", "上年", "某年=100", "上年=1000", "万元"] {
            assert_eq!(index_base(text), None, "{text}");
        }
        assert_eq!(index_base_in_label("地区生产总值指数(上年=100)").as_deref(), Some("上年=100"));
        assert_eq!(index_base_in_label("居民消费价格指数（上年同月＝100）").as_deref(), Some("上年同月=100"));
        assert_eq!(index_base_in_label("工业增加值（2020年=100）").as_deref(), Some("2020年=100"));
        assert_eq!(index_base_in_label("地区生产总值（亿元）"), None);
        let u = Unit::parse("上年=100");
        assert!(u.is_index() && u.is_dimensionless() && u.scale == 0.01);
        let f = Unit::parse("（2020年=100）");
        assert!(f.is_index() && f.symbol.as_ref() == "2020年=100");
        assert!(!Unit::parse("%").is_index());
    }

    #[test]
    fn a_bare_number_has_no_unit_scale_or_index_base() {
        assert!(Unit::parse("").is_bare_number());
        for text in ["%", "‰", "上年=100", "万元", "元/人", "万"] {
            assert!(!Unit::parse(text).is_bare_number(), "{text}");
        }
    }
}
