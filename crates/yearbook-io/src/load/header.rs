//! Finding the header of a table laid out as offices make them: title rows and a unit
//! row (单位：万元) above the header, a second header row (年份 over 本期/同期), a row of
//! units or column numbers (甲 乙 1 2 3) under it, notes (注：..., 资料来源：...) below.

use yearbook_core::error::{Error, Location, Result};
use yearbook_core::unit::Unit;

/// Where the table is among a file's non-blank rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Index (among the rows given) of the header row.
    pub header: usize,
    /// Index of the first note row below the table; rows from here on are not data.
    pub notes: Option<usize>,
    /// The unit a unit row above the header names (`单位：万元` gives `万元`).
    pub unit: Option<String>,
    /// Units of other kinds that other unit-row cells name (人口单位：人 at the right edge
    /// of a row that opens 金额单位：万元): fact files read them as part of the list
    /// ([`super::table_file::RawTable::more_units`]).
    pub more_units: Vec<String>,
    /// The period a title above the header names (`2021年1-6月各镇主要经济指标` gives
    /// `2021年1-6月`), with its line and column: the first such title.
    pub title_period: Option<(usize, Option<usize>, String)>,
}

/// Words that open a note below a table.
const NOTE_WORDS: [&str; 6] = ["资料来源", "数据来源", "说明", "附注", "备注", "注"];

/// Whether a row's first cell opens the notes below a table: `注：`, `注1.`, `注①`,
/// `资料来源：`, `说明:` (a place name such as 注溪镇 is not a note).
pub fn is_note(first_cell: &str) -> bool {
    let s = first_cell.trim_start_matches(['"', ' ', '\u{feff}', '\u{3000}']);
    NOTE_WORDS.iter().any(|w| {
        s.strip_prefix(w).is_some_and(|rest| {
            rest.is_empty()
                || rest.starts_with([':', '：', '.', '、', '(', '（', ' ', '\u{3000}'])
                || rest.starts_with(|c: char| c.is_ascii_digit() || ('\u{2460}'..='\u{2473}').contains(&c))
        })
    })
}

/// Words that open a statistical form's footer (表尾), the signature row below the
/// table: who answers for it, who filled it in, when it was sent.
const FOOTER_WORDS: [&str; 16] = [
    "单位负责人",
    "统计负责人",
    "部门负责人",
    "主要负责人",
    "负责人",
    "填表人",
    "填报人",
    "制表人",
    "审核人",
    "复核人",
    "统计员",
    "联系电话",
    "报出日期",
    "填报日期",
    "填表日期",
    "制表日期",
];

/// Whether a row's first cell opens a form's footer: `单位负责人：张三`, `填表人:`,
/// `报出日期：2021年1月5日` (several of them may share the row).
pub fn is_footer(first_cell: &str) -> bool {
    let s = first_cell.trim_start_matches(['"', ' ', '\u{feff}', '\u{3000}']);
    FOOTER_WORDS.iter().any(|w| s.strip_prefix(w).is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '：', ' ', '\u{3000}'])))
        // The short forms with their colon only (`制表：张三`; 审核中心 is a name).
        || SHORT_FOOTER_WORDS.iter().any(|w| s.strip_prefix(w).is_some_and(|rest| rest.starts_with([':', '：'])))
}

/// A report form's field above its table (填报单位：某县统计局, 表号：A101表, 报送日期：2022年1月5日):
/// a short label of Chinese characters, a colon and what it says. A row holding one is no
/// header, however many cells it has (the form's date beside it).
pub fn is_form_field(cell: &str) -> bool {
    let s = cell.trim();
    let Some((label, said)) = s.split_once(['：', ':']) else { return false };
    let (label, said) = (label.trim(), said.trim());
    // A form's own fields, with what they say or alone in their cell (填报单位： | 某县统计局);
    // any other label only with a longer text after it: a header may name a column
    // `指标：名称` or `地区:代码`.
    FORM_LABELS.contains(&label)
        || ((2..=8).contains(&label.chars().count())
            && label.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '\u{3000}' || c == ' ')
            && said.chars().count() >= 3)
}

/// The fields a statistical report form (统计报表) prints above its table.
const FORM_LABELS: [&str; 22] = [
    "填报单位",
    "报送单位",
    "填表单位",
    "制表单位",
    "报告单位",
    "单位名称",
    "综合机关名称",
    "表号",
    "制定机关",
    "制表机关",
    "批准机关",
    "批准文号",
    "文号",
    "有效期至",
    "报告期",
    "统计时间",
    "报送日期",
    "填报日期",
    "填表日期",
    "报出日期",
    "组织机构代码",
    "统一社会信用代码",
];

/// [`FOOTER_WORDS`] as forms also write them, short: `制表：张三`, `审核：李四`.
const SHORT_FOOTER_WORDS: [&str; 8] = ["制表", "审核", "复核", "填表", "填报", "校对", "审批", "联系人"];

/// Whether a row (its non-empty cells) opens what lies below a table: a note (注：, 资料来源：,
/// one or two cells) or the form's footer (单位负责人：张三 | 填表人：李四 | 报出日期：...).
/// A note's word beside a figure (`注,300`, `注1,300`) opens no notes: a note holds no
/// figure, so the row is read with the table's rows and said in a warning there.
pub fn opens_notes(cells: &[&str]) -> bool {
    // A figure beside a note word (`注,300`) is a row; a year (`资料来源：县统计局,2024`) is
    // the note's date.
    let year = |c: &str| c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit()) && (c.starts_with("19") || c.starts_with("20"));
    let figure =
        |c: &&str| !year(c.trim()) && yearbook_core::number::parse_value(c.trim().as_bytes(), false).is_ok_and(|v| v.number().is_some());
    cells.first().is_some_and(|t| (is_note(t) && cells.len() <= 2 && !cells[1..].iter().any(figure)) || is_footer(t))
}

/// Words before 单位 that name an office's field (填报单位：统计站, 建设单位：…), not a unit.
const OFFICE_FIELDS: [&str; 12] = ["填报", "报送", "上报", "编制", "制表", "调查", "统计", "建设", "施工", "使用", "责任", "主管"];

/// What a unit row cell such as `单位：万元`, `(单位:亿元)` or `金额单位：万元` names: None for
/// a cell that is no unit row, else the unit as read ([`read_unit`]) or, when it cannot
/// be read, a message at the cell saying what to write. The unit follows a colon or a
/// space: `单位名称` and `单位代码` are headers (of a ledger of units, 单位 as an
/// organisation), and so is what follows 填报单位： (the office that reports).
pub fn unit_of(cell: &str) -> Option<std::result::Result<String, String>> {
    let t = cell.trim();
    let s = match t.strip_prefix(['(', '（']) {
        Some(inner) => inner.strip_suffix([')', '）']).unwrap_or(inner),
        None => t,
    };
    // A row of figures per person alone (人均：元): 元/人.
    if let Some(rest) = s.strip_prefix("人均").and_then(|r| r.strip_prefix([':', '：'])).map(str::trim).filter(|r| !r.is_empty()) {
        return Some(read_unit(t, rest).map(|u| per_person(&u)));
    }
    // Each 单位 in turn: `编制单位：县统计局    单位：万元` names the office, then the unit.
    for (k, (i, _)) in s.match_indices("单位").enumerate() {
        let before = &s[..i];
        // A later 单位 starts a field of its own (`…    单位：万元`), not a word's end
        // (`填报单位：县直机关事业单位 填报日期：…`).
        if k > 0 && !(before.ends_with(char::is_whitespace) && s[i + "单位".len()..].starts_with([':', '：'])) {
            continue;
        }
        if OFFICE_FIELDS.iter().any(|w| before.ends_with(w)) {
            continue;
        }
        // A header with its unit in brackets (`数值（单位：亿元）`, `产值(计量单位:万元)`) is a
        // header, not a unit row: the bracket opens after a label.
        let label = before.strip_suffix("计量").or_else(|| before.strip_suffix("金额")).unwrap_or(before);
        if let Some(head) = label.strip_suffix(['(', '（'])
            && !head.trim().is_empty()
        {
            return None;
        }
        let after = &s[i + "单位".len()..];
        if !after.starts_with([':', '：', ' ', '\u{3000}']) {
            // `单位万元` (the colon left out) when what follows is a unit that converts:
            // left unread, every figure would stay in its indicator's unit. (`单位名称`,
            // `单位代码` name no unit: headers.)
            let u = normalize_unit(after);
            if k == 0 && before.is_empty() && convertible_unit(&u) {
                return Some(Ok(u));
            }
            continue;
        }
        let rest = after.trim_start_matches([':', '：', ' ', '\u{3000}']).trim();
        // 人均收入单位：元 is a unit per person, 元/人, beside 金额单位：万元.
        return (!rest.is_empty()).then(|| read_unit(t, rest).map(|u| if label.contains("人均") { per_person(&u) } else { u }));
    }
    None
}

/// Whether a table's unit row (or its value column's header unit), `table_unit`, says the
/// figures of an indicator in `to` are in a unit of another kind: one unit (not a list,
/// 万元、万人), one yearbook reads, not money (a money row, 单位：万元, speaks for the
/// amounts and leaves 常住人口 in its own unit, as 金额单位 does), over an indicator in a
/// unit yearbook reads. 单位：万吨 above 地区生产总值 in 万元 was silently ignored.
pub fn unit_row_conflicts(table_unit: &str, to: &yearbook_core::unit::Unit) -> bool {
    if table_unit.contains('、') || !to.is_known() {
        return false;
    }
    let u = yearbook_core::unit::Unit::parse(table_unit);
    u.is_known() && !u.both_money(&u) && !speaks_for(&u, to)
}

/// Whether a file's unit `u` (a unit row's, the config entry's) speaks for the figures of
/// an indicator in `to`: one dimension (万人 for 人), money beside money (万美元 for 亿元:
/// it then does not convert, an error), and among pure numbers one of the same scale,
/// an index for an index (% for % and for 百分点, 个百分点 for 百分点, 倍 for 倍): a factor
/// of 1. A percent never speaks for a per mille, a multiple, an index or a bare number:
/// 2倍 under 单位：% loaded as 0.02倍, 0.5 as 0.005, and a birth rate of 8.5‰ as 85‰
/// (review36 03).
pub(crate) fn speaks_for(u: &Unit, to: &Unit) -> bool {
    if u.is_dimensionless() || to.is_dimensionless() {
        return u.same_dimension(to) && u.scale == to.scale && u.is_index() == to.is_index();
    }
    u.same_dimension(to) || u.both_money(to)
}

/// What a record table's column counts, where its header's words say it: people
/// (就业人数, 常住人口, 从业人员), households (户数), things (项目数, 企业个数, 床位数), or
/// a share or a rate (完成率, 比重, 价格指数, 增速, 劳动生产率 in 元/人). A header ending in 数 that names no such count
/// (预算数, 决算数, 累计数, 余额数: a fiscal table's amounts) says nothing of it. A unit row speaks for such a column only in a unit of
/// that kind ([`Counted::takes`]): 金额单位：亿元 over 就业人数 made 70 people 70亿元
/// (review38 03).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Counted {
    /// People: 人数, 人口, 人员, 职工, 劳动力.
    People,
    /// Households: 户数, 农户, 住户.
    Households,
    /// Things counted: 个数, 家数, 项目数, 企业数, 床位数, 次数, 件数.
    Things,
    /// A rate, share or index: 率, 比重, 占比, 比例, 指数, 系数, 倍数.
    Share,
    /// A figure per person: 人均可支配收入, 人均GDP, 人均住房面积. It takes a unit per
    /// person of its kind (元/人 for money: 收入, GDP, 支出; another for the rest).
    PerPerson,
    /// A growth or change in %: 比上年增长, 增长率, 同比, 增减. A pure number only.
    Growth,
    /// A sum of money: 投资, 收入, 产值, 增加值, 金额, 预算数. Money only.
    Amount,
}

impl Counted {
    /// Whether a unit row's `u` speaks for a column that counts this: people in persons,
    /// households in households, things as a pure number (万 of them), a share or rate as
    /// a pure number (%, ‰, 倍) or a quotient (劳动生产率 in 元/人, 汇率 in 元/美元). Never one
    /// amount alone for a share or a count (金额单位：亿元 over 完成率, 人数单位：万人 beside
    /// 企业个数 made 15 firms 15万人).
    pub(crate) fn takes(self, u: &Unit, header: &str) -> bool {
        let of = |sym: &str| u.same_dimension(&Unit::parse(sym));
        match self {
            Counted::People => of("人"),
            Counted::Households => of("户"),
            // A pure number (万 of them) or a count word yearbook does not convert (个,
            // 万家, 万辆): 企业个数 under 单位：万个.
            Counted::Things => {
                (u.is_dimensionless() && u.scale >= 1.0 && !u.is_index()) || (!u.is_known() && !u.is_ratio() && !u.is_dimensionless())
            }
            Counted::Share => u.is_dimensionless() || u.is_ratio(),
            // A unit per person (元/人) whose numerator is money where the header names
            // money (人均收入, 人均GDP), and is not where it does not (人均住房面积 in 平方米/人).
            Counted::PerPerson => u.symbol.strip_suffix("/人").is_some_and(|n| {
                let n = Unit::parse(n);
                n.both_money(&n) == money_header(header)
            }),
            Counted::Growth => u.is_dimensionless(),
            Counted::Amount => u.both_money(u),
        }
    }

    /// The unit of the column headed `header` that counts this, from a unit row's units
    /// (`named`, in its cells' order): the first it [`Counted::takes`], else none. A column
    /// per person may also take the row's one unit (`row`, where the row names one kind:
    /// not `several`) where that heads such a figure, as yearbooks head 人均可支配收入（元）:
    /// money at most 元 (人均 is given in 元 under 单位：万元) for a header of money, another
    /// kind but persons for the rest (人均住房面积 under 单位：平方米); never persons
    /// (人均收入 under 单位：人).
    pub(crate) fn unit_from(self, header: &str, named: &[Unit], row: Option<&Unit>, several: bool) -> Option<Unit> {
        let heads = |u: &&Unit| {
            let money = u.both_money(u);
            !u.same_dimension(&Unit::parse("人")) && money == money_header(header) && !(money && u.scale > 1.0)
        };
        named
            .iter()
            .find(|u| self.takes(u, header))
            .or_else(|| row.filter(|_| self == Counted::PerPerson && !several).filter(heads))
            .cloned()
    }
}

/// Whether a header names a sum of money, by its words: ending in 投资, 产值, 金额, 工资,
/// 预算数, or holding 收入, 支出, 生产总值, GDP, 财政.
fn money_header(h: &str) -> bool {
    const ENDS: [&str; 24] = [
        "额",
        "投资",
        "产值",
        "增加值",
        "总值",
        "资金",
        "利润",
        "税收",
        "税金",
        "工资",
        "成本",
        "价值",
        "费",
        "费用",
        "款",
        "预算数",
        "决算数",
        "预算",
        "决算",
        "营收",
        "存款",
        "贷款",
        "储蓄",
        "消费",
    ];
    ENDS.iter().any(|w| h.ends_with(w)) || ["GDP", "生产总值", "收入", "财政", "支出"].iter().any(|w| h.contains(w))
}

/// What the column headed `header` counts ([`Counted`]), by its last words (a growth by
/// 比上年 or 同比, a figure per person by 人均 anywhere); None where they do not say (产量,
/// 面积, 缴费基数, 数量).
pub(crate) fn counted_by(header: &str) -> Option<Counted> {
    // A total's word after it counts what the column does (从业人员总数, 企业个数合计).
    let mut h = header.trim();
    for total in ["合计", "小计", "总计", "总数", "总量"] {
        h = h.strip_suffix(total).unwrap_or(h).trim_end();
    }
    let ends = |words: &[&str]| words.iter().any(|w| h.ends_with(w));
    if h.is_empty() {
        None
    } else if ends(&["增长率", "增速", "增幅", "增长", "增减", "增减率", "增减%", "增长%"])
        || ["比上年", "比去年", "同比"].iter().any(|w| h.contains(w))
    {
        Some(Counted::Growth)
    } else if h.contains("人均") {
        Some(Counted::PerPerson)
    } else if ends(&["人数", "人口", "人口数", "人员", "人员数", "职工", "职工数", "劳动力", "学生", "学生数", "就业", "从业", "在校生"])
    {
        Some(Counted::People)
    } else if ends(&["户数", "农户", "住户"]) {
        Some(Counted::Households)
    } else if ends(&["率", "比重", "占比", "比例", "指数", "系数", "倍数"]) {
        Some(Counted::Share)
    } else if ends(&[
        "个数",
        "家数",
        "项目数",
        "企业数",
        "单位数",
        "学校数",
        "床位数",
        "次数",
        "件数",
        "处数",
        "所数",
        "座数",
        "台数",
        "辆数",
        "宗数",
        "床位",
    ]) {
        Some(Counted::Things)
    } else if money_header(h) {
        Some(Counted::Amount)
    } else {
        None
    }
}

/// A unit row written over two cells, the label in one and the unit in the next
/// (`单位：` | `亿元`, as a sheet's cells split it): the unit; None
/// where cell `n` is no label with its colon or the next cell no unit that converts (a
/// header's `单位` column names no unit).
fn split_unit(cells: &[&str], n: usize) -> Option<std::result::Result<String, String>> {
    let t = cells.get(n)?.trim();
    let label = t.trim_end_matches([':', '：', ' ', '\u{3000}']).trim();
    // 单位, 计量单位, 金额单位, and a kind's own (人口单位：, 面积单位：); never an office's
    // (填报单位：, 建设单位：), whose next cell names it.
    let kind = label.strip_suffix("单位").filter(|k| k.chars().count() <= 4 && !OFFICE_FIELDS.iter().any(|w| k.ends_with(w)));
    if !t.ends_with([':', '：']) || kind.is_none() {
        return None;
    }
    let next = normalize_unit(cells.get(n + 1)?.trim());
    convertible_unit(&next).then_some(Ok(next))
}

/// A title above the header that ends with its unit in brackets, `各镇主要经济指标（单位：
/// 亿元）` or `2021年各镇生产总值（亿元）`: the table's unit (left unread, every figure
/// stayed in its indicator's unit, 7.75 亿元 read as 7.75 万元). Only above the header: in
/// the header, `数值（万元）` is its column's unit.
fn title_unit(cell: &str) -> Option<std::result::Result<String, String>> {
    let t = cell.trim();
    let inner = t.strip_suffix([')', '）'])?;
    let open = inner.rfind(['(', '（'])?;
    let (title, unit) = (&inner[..open], inner[open..].trim_start_matches(['(', '（']).trim());
    if title.trim().is_empty() || unit.is_empty() {
        return None;
    }
    // A title naming a unit for each of its figures (`各镇地区生产总值（亿元）及财政总收入
    // （万元）`): the last is no table's unit (GDP's 1.5 read as 1.5万元), nor can the file say
    // which figures each is of.
    // Units that convert only (亿元, 万人): a bracket of another word (（续表）, （2021年）,
    // （现价）) names none.
    let converts = |inside: &str| {
        let u = normalize_unit(strip_unit_label(inside.trim()));
        Unit::parse(&u).is_known().then_some(u)
    };
    let earlier: Vec<String> =
        title.split(['(', '（']).skip(1).filter_map(|part| part.split_once([')', '）']).and_then(|(inside, _)| converts(inside))).collect();
    // The one unit of a title whose last bracket is a note (`…（亿元）（续表）`, `（现价）`).
    if converts(unit).is_none()
        && let [one, rest @ ..] = earlier.as_slice()
        && rest.iter().all(|u| u == one)
    {
        return Some(Ok(one.clone()));
    }
    if let Some(last) = converts(unit).filter(|_| !earlier.is_empty())
        && earlier.iter().any(|u| *u != last)
    {
        return Some(Err(format!(
            "the title \"{t}\" names a unit for each of its figures ({}, {last}): a file's unit is one for all its figures, and \
             which figures each of these is of the title does not say; leave the units out of the title and give each figure's \
             unit where it is named (the indicator cell 地区生产总值（亿元）, or a 计量单位 column)",
            earlier.join(", ")
        )));
    }
    if ["单位", "计量单位", "金额单位"].iter().any(|l| unit.starts_with(l)) {
        return unit_of(unit);
    }
    // The unit among the bracket's words, as a label's (`（当年价，亿元）`, `（2021年，亿元）`,
    // `（亿元，当年价）`, `（按当年价格计算，亿元）`): those titles were read as having no
    // unit, and 1.0 亿元 loaded as 1 万元.
    let units: Vec<String> =
        unit.split(['，', ',', ';', '；']).filter_map(|c| bracketed_unit(&format!("（{}）", strip_unit_label(c.trim())))).collect();
    match units.as_slice() {
        [u] => Some(Ok(u.clone())),
        _ => None,
    }
}

/// The unit an indicator's label names in brackets at its end, `城镇化率（%）`,
/// `人口自然增长率(‰)`, `地区生产总值（亿元）`, `财政收入（单位：万元）`: a unit whose figures
/// convert ([`Unit::is_known`]: money, persons, area, %, ‰); None for a bracketed word
/// that is none (`（现价）`, `（个）`, `（上年=100）`, which is an index's base).
pub(crate) fn label_unit(label: &str) -> Option<String> {
    let t = label.trim();
    const PAIRS: [(char, char); 6] = [('（', '）'), ('(', ')'), ('【', '】'), ('[', ']'), ('［', '］'), ('〔', '〕')];
    // The last bracket at the end of the label: each of its clauses (`当年价，亿元`,
    // `%，年末`, `单位：万元`), the one unit among them.
    if let Some(&(open, close)) = PAIRS.iter().find(|(_, c)| t.ends_with(*c)) {
        let inner = &t[..t.len() - close.len_utf8()];
        let start = inner.rfind(open)?;
        if inner[..start].trim().is_empty() {
            return None;
        }
        let body = &inner[start + open.len_utf8()..];
        let units: Vec<String> = body
            .split(['，', ',', '、', ';', '；'])
            .map(|c| normalize_unit(strip_unit_label(c.trim())))
            .filter(|u| convertible_unit(u))
            .collect();
        return match units.as_slice() {
            [u] => Some(u.clone()),
            _ => None,
        };
    }
    // A sign written after the name: 城镇化率%, 城镇化率/%, 城镇化率，‰.
    let rest = t.strip_suffix(['%', '％', '‰'])?;
    let sign = if t.ends_with('‰') { "‰" } else { "%" };
    let name = rest.trim_end().trim_end_matches(['/', '，', ',', ' ', '：', ':']);
    (!name.is_empty()).then(|| sign.to_string())
}

/// The name of a label that ends with its unit ([`label_unit`]), without it:
/// `地区生产总值（亿元）` -> `地区生产总值`, `城镇化率%` -> `城镇化率`; None for any other label.
pub(crate) fn label_stem(label: &str) -> Option<&str> {
    label_unit(label)?;
    let t = label.trim();
    let cut = match t.chars().last()? {
        '）' | ')' | '】' | ']' | '］' | '〕' => t.rfind(['（', '(', '【', '[', '［', '〔'])?,
        _ => t.len() - t.chars().last()?.len_utf8(),
    };
    let stem = t[..cut].trim_end().trim_end_matches(['/', '，', ',', '：', ':']).trim_end();
    (!stem.is_empty()).then_some(stem)
}

/// `金额单位:亿元`: the unit after the label (the text itself when it has none).
pub fn strip_unit_label(text: &str) -> &str {
    for label in ["计量单位", "金额单位", "单位"] {
        if let Some(rest) = text.strip_prefix(label)
            && rest.starts_with([':', '：', ' ', '\u{3000}'])
        {
            return rest.trim_start_matches([':', '：', ' ', '\u{3000}']).trim();
        }
    }
    text
}

/// A cell above the header that is a unit alone in brackets, `（万元）` or `(亿元)`, of
/// a unit whose figures convert: the table's unit, as `单位：万元` is. (A bracketed word
/// that is no such unit, `（续）` or `（2021年）`, is a title.)
/// A cell alone that is such a unit without brackets, `万元`, is the table's unit too.
fn bracketed_unit(cell: &str) -> Option<String> {
    let t = cell.trim();
    let inner = match t.strip_prefix(['(', '（']) {
        Some(open) => open.strip_suffix([')', '）'])?.trim(),
        None => t,
    };
    let u = normalize_unit(inner);
    convertible_unit(&u).then_some(u)
}

/// Magnitude words that name no unit alone (单位：万 says not what of: 万元 or 万人).
pub(crate) const MAGNITUDES: [&str; 8] = ["十", "百", "千", "万", "十万", "百万", "千万", "亿"];

/// A unit whose figures convert (万元, 亿元, 万人, %), not a magnitude alone (万).
fn convertible_unit(u: &str) -> bool {
    !u.is_empty() && Unit::parse(u).is_known() && !MAGNITUDES.contains(&u)
}

/// The unit of a unit row's text after 单位：. Spaces are dropped (`万 元`), and so are
/// the currency's name (`人民币万元`, `万元人民币`) and a bracketed qualifier such as a
/// price basis (`万元（当年价）`, `亿元(可比价)`); what follows a comma is the unit
/// of other figures (单位：万元、万人 gives the list `万元、万人`, each unit for the
/// figures of its kind). A unit must be one yearbook knows (元 and its multiples, 万人,
/// 公顷, 元/人, %) or a plain word counting things (个, 辆, 万人次): anything else would leave the
/// figures silently in their indicators' units, so it is refused, and so is a row
/// naming two units of one kind.
fn read_unit(cell: &str, rest: &str) -> std::result::Result<String, String> {
    // Parted outside brackets only: 万元（可比价，2020年=100） is one unit with its price
    // basis, not 万元 and a unit "2020年=100" (a list, which a record table left unread).
    let parts: Vec<&str> = split_outside_brackets(rest, &[',', '，', ';', '；', '、']).map(str::trim).filter(|p| !p.is_empty()).collect();
    let first = parts.first().copied().unwrap_or(rest);
    let candidates = [normalize_unit(first), normalize_unit(first.split_whitespace().next().unwrap_or(first))];
    // Spaces inside one unit (万 元) are padding; between units that each read alone
    // (亿元　万人, as offices pad cells) they part the list as 、 does.
    let spaced: Vec<&str> = match readable_unit(&candidates[0]) {
        true => Vec::new(),
        false => first
            .split_whitespace()
            .skip(1)
            .filter(|t| {
                let u = normalize_unit(t);
                readable_unit(&u) && Unit::parse(&u).is_known()
            })
            .collect(),
    };
    let Some(unit) = candidates.into_iter().find(|u| readable_unit(u)) else {
        return Err(format!(
            "the unit row \"{cell}\" names a unit yearbook does not read (\"{first}\"): write the unit alone after 单位：, as \
             单位：万元 or 单位：亿元 (a price basis may follow in brackets: 单位：万元（当年价）), or give each figure's unit in a \
             计量单位 column; a unit left unread would leave every figure in its indicator's unit"
        ));
    };
    // 单位：万元、万人 (or 万元，%): each unit speaks for the figures of its kind; two of
    // one kind (万元、亿元) leave a figure's unit unknown.
    let mut units = vec![unit];
    // A unit for one kind of figure said beside the first (单位：亿元（人口：万人）,
    // 单位：亿元；人口：万人, 单位：亿元 人口单位：万人, 亿元(人口为万人)): each is read as
    // a unit of its kind, as 单位：亿元、万人 is; dropped, 3.2万人 would load as 3.2人.
    let mut clauses: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut inner = String::new();
    for c in rest.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    clauses.push(std::mem::take(&mut inner));
                }
            }
            c if depth > 0 => inner.push(c),
            _ => {}
        }
    }
    clauses.extend(parts[1..].iter().map(|p| p.to_string()));
    clauses.extend(first.split_whitespace().skip(1).map(str::to_string));
    let named: Vec<String> = clauses
        .iter()
        .flat_map(|c| c.split([',', '，', ';', '；', '、']))
        .filter_map(|c| {
            let (label, u) = c.rsplit_once(['：', ':', '为'])?;
            let u = normalize_unit(u);
            // 人均：元, 人均为元: figures per person, 元/人 (review38 04: refused as a
            // second unit of money beside 万元).
            let u = if label.contains("人均") { per_person(&u) } else { u };
            (readable_unit(&u) && Unit::parse(&u).is_known()).then_some(u)
        })
        .collect();
    for u in parts[1..].iter().chain(&spaced).map(|p| normalize_unit(p)).filter(|u| readable_unit(u)).chain(named) {
        let parsed = Unit::parse(&u);
        if let Some(same) = units.iter().find(|x| {
            let x = Unit::parse(x);
            speaks_for(&x, &parsed)
        }) {
            return Err(format!(
                "the unit row \"{cell}\" names two units of one kind ({same}, {u}): a figure's unit is then unknown; give each \
                 figure's unit in a 计量单位 column or in its header (地区生产总值（万元）)"
            ));
        }
        units.push(u);
    }
    Ok(units.join("、"))
}

/// Each unit in a unit row's list per person (元 → 元/人, 平方米 → 平方米/人), as a label
/// 人均 says: pure numbers (%), persons and units per something already stay as written.
fn per_person(list: &str) -> String {
    list.split('、')
        .map(|u| {
            let unit = Unit::parse(u);
            if !unit.is_dimensionless() && !unit.same_dimension(&Unit::parse("人")) && !u.contains('/') {
                format!("{u}/人")
            } else {
                u.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// `text` parted at `seps` outside brackets (（）, (), [], 【】).
fn split_outside_brackets<'a>(text: &'a str, seps: &'a [char]) -> impl Iterator<Item = &'a str> + 'a {
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut ends = text.char_indices().filter_map(move |(i, c)| {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            c if depth == 0 && seps.contains(&c) => return Some((i, c.len_utf8())),
            _ => {}
        }
        None
    });
    std::iter::from_fn(move || {
        if start > text.len() {
            return None;
        }
        let (end, next) = match ends.next() {
            Some((i, n)) => (i, i + n),
            None => (text.len(), text.len() + 1),
        };
        let part = &text[start..end];
        start = next;
        Some(part)
    })
}

/// A unit's text without spaces, brackets and what they hold, and the word 人民币;
/// a unit wholly in brackets is the unit inside. A bracket after a unit that holds a
/// magnitude or a unit (`人（万）`, `人(万人)`, `元（万）`, `万元(亿)`) scales it, or
/// names another: no qualifier such as a price basis (`万元（当年价）`). Such a text is kept
/// as written, which reads as no unit and is refused where read (dropped, 1.5 in
/// `人（万）` loaded as 1.5人).
pub(crate) fn normalize_unit(text: &str) -> String {
    let (unit, scales) = unit_outside_brackets(text);
    if scales { text.chars().filter(|c| !c.is_whitespace()).collect() } else { unit }
}

/// Whether a bracket after a unit holds a magnitude or a unit (`人（万）`, `万元(亿)`):
/// such a unit is refused where read ([`normalize_unit`]), and the refusal says so.
pub(crate) fn scaled_in_brackets(text: &str) -> bool {
    unit_outside_brackets(text).1
}

/// Whether a bracket's text after a unit scales it or names another: a magnitude (万,
/// 万计), a unit (万人), a power of ten (×10⁴, x10^4), alone or among qualifiers (万，年末;
/// 单位：万).
/// A magnitude anywhere in a part scales too, however worded (以万计, ×1万, 1万, 萬,
/// 万人次), as does a power of ten alone (10000), and a bare magnitude after a colon
/// (年末:万): each loaded 1.5 as 1.5人 for 15000. A part that names another kind's unit
/// (人口：万人, 人口为万人: a unit row's unit for population) does not scale this one, nor
/// does a price basis's base (可比价，2020年=100: an index base is no magnitude).
fn scales_unit(inner: &str, unit: &str) -> bool {
    // A price basis (可比价, 不变价) with its base year, after an amount's unit (亿元): the
    // base is no magnitude. (上年=100), alone or beside 可比价, labels an index (地区生产总值
    // 指数, 按可比价计算，上年=100), and 105.3 is no amount of money: that still refuses, as
    // does a base after a pure number (%).
    let amount = {
        let u = Unit::parse(&unit.replace("人民币", ""));
        u.is_known() && !u.is_dimensionless()
    };
    let price_basis = amount && (inner.contains("可比价") || inner.contains("不变价"));
    let year_base = |b: &str| {
        yearbook_core::unit::index_base(b)
            .and_then(|t| t.strip_suffix("年=100").map(|y| y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit())))
            .unwrap_or(false)
    };
    inner.split(['，', ',', '、', ';', '；']).map(|c| strip_unit_label(c.trim()).trim()).any(|c| {
        let c = c.strip_suffix('计').unwrap_or(c);
        let base = c.strip_prefix('按').unwrap_or(c);
        let base = base.strip_suffix("可比价").or_else(|| base.strip_suffix("不变价")).unwrap_or(base);
        if price_basis && year_base(base) {
            return false;
        }
        if let Some((_, after)) = c.rsplit_once([':', '：']) {
            let after = after.trim();
            return MAGNITUDES.contains(&after) || leading_power_of_ten(after);
        }
        let lower = c.to_ascii_lowercase();
        MAGNITUDES.contains(&c)
            || (!c.is_empty() && Unit::parse(c).is_known())
            || ["×10", "x10", "X10", "10^", "10⁴", "10⁸"].iter().any(|p| c.contains(p))
            || leading_power_of_ten(c)
            || (!c.contains('为') && ["万", "萬", "亿", "億", "千", "仟", "佰"].iter().any(|m| c.contains(m)))
            // 万 as chat writes it (w); thousands, millions and billions as English tables
            // write them (k, '000, M, mn, bn), and the bilingual yearbooks' (100 million yuan).
            || ["w", "k", "m", "mn", "mm", "b", "bn"].contains(&lower.as_str())
            || ["thousand", "million", "billion"].iter().any(|m| lower.contains(m))
            || (c.trim_start_matches('\'').len() >= 3 && c.trim_start_matches('\'').bytes().all(|b| b == b'0'))
            // 10⁴ and 10⁸ whose superscript a copy from a PDF flattened.
            || c == "104"
            || c == "108"
    })
}

/// Whether a bracket's part opens with a power of ten from 10 up (10000, 10 000, 1e4,
/// 1E+4), alone or before a unit or a word in letters (10000元, 10 000 yuan, 10000人):
/// a magnitude. Not before other words (10岁以上 is an age) nor a percent.
fn leading_power_of_ten(c: &str) -> bool {
    let c: String = c.chars().filter(|ch| !ch.is_whitespace()).collect();
    let end = c
        .char_indices()
        .find(|&(i, ch)| !(ch.is_ascii_digit() || ch == '.' || (i > 0 && matches!(ch, 'e' | 'E' | '+'))))
        .map_or(c.len(), |(i, _)| i);
    let (number, rest) = c.split_at(end);
    let Ok(k) = number.parse::<f64>() else { return false };
    let power = k >= 10.0 && (k.log10() - k.log10().round()).abs() < 1e-12;
    power && (rest.is_empty() || rest.bytes().all(|b| b.is_ascii_alphabetic()) || Unit::parse(rest).is_known())
}

/// [`normalize_unit`]'s reading: the unit outside brackets (or inside, where all of it
/// is bracketed), and whether a bracket beside a unit holds a magnitude or a unit.
fn unit_outside_brackets(text: &str) -> (String, bool) {
    let s: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::new();
    let mut depth = 0usize;
    let mut inner = String::new();
    let mut scales = false;
    for c in s.chars() {
        match c {
            '(' | '（' | '[' | '【' => {
                depth += 1;
                inner.clear();
            }
            ')' | '）' | ']' | '】' => {
                depth = depth.saturating_sub(1);
                scales |= scales_unit(&inner, &out);
                inner.clear();
            }
            c if depth == 0 => out.push(c),
            c => inner.push(c),
        }
    }
    if out.is_empty() {
        out = s.chars().filter(|c| !matches!(c, '(' | '（' | '[' | '【' | ')' | '）' | ']' | '】')).collect();
        return (out.replace("人民币", ""), false);
    }
    (out.replace("人民币", ""), scales)
}

/// The unit of a table's unit row (`table`, a list: 万元、万人) that speaks for the same
/// kind of figure as a column's own unit (`own`, from its header: 数值（亿元）) and scales
/// it differently, with the factor between them: (that unit, own / it). Which of the two
/// the figures are in, the file does not say; read by either, they would be that many
/// times apart. None where they agree or speak for different kinds (金额单位：万元 over a
/// column in 万人).
pub(crate) fn conflicting_units(own: &str, table: &str) -> Option<(String, f64)> {
    let own_unit = Unit::parse(&normalize_unit(own));
    if !own_unit.is_known() {
        return None;
    }
    table.split('、').map(str::trim).filter(|t| !t.is_empty()).find_map(|t| {
        let f = own_unit.factor_to(&Unit::parse(&normalize_unit(t)))?;
        ((f - 1.0).abs() > 1e-12).then(|| (t.to_string(), f))
    })
}

/// Whether a list of units (a unit row: 万元、万人) names one of `unit`'s kind (its
/// dimension, or money beside money): 金额单位：万元 does not speak for 万人.
pub(crate) fn names_kind_of(list: &str, unit: &str) -> bool {
    let u = Unit::parse(&normalize_unit(unit));
    list.split('、').map(str::trim).filter(|t| !t.is_empty()).any(|t| {
        let t = Unit::parse(&normalize_unit(t));
        speaks_for(&t, &u)
    })
}

/// The refusal of a column whose header names one unit while the table's unit row names
/// another of the same kind ([`conflicting_units`]): `what` names the column.
pub(crate) fn conflict_message(what: &str, own: &str, table: &str, factor: f64) -> String {
    conflict_message_with(what, own, "the unit row above the header", table, factor)
}

/// [`conflict_message`] where `whose` names the other unit's place (the units row under
/// the header).
pub(crate) fn conflict_message_with(what: &str, own: &str, whose: &str, table: &str, factor: f64) -> String {
    format!(
        "{what} is in {own}, but {whose} says {table}: the file does not say which the figures are in, and read by either \
         they would be {} times apart; write one of them, or the same unit in both",
        times_apart(factor)
    )
}

/// How many times apart two readings `factor` apart are, as a message says it (10000
/// for 亿元 against 万元, either way round).
pub(crate) fn times_apart(factor: f64) -> String {
    yearbook_core::format::number(if factor >= 1.0 { factor } else { 1.0 / factor })
}

/// A unit yearbook converts ([`yearbook_core::unit::Unit::is_known`]), or a plain word
/// counting things of its own kind (个, 辆, 万人次); not a word of money (港元, 日元,
/// 当年价), which would be mistaken for a count.
pub(crate) fn readable_unit(u: &str) -> bool {
    // A magnitude alone (单位：万) says not what of: 万元 or 万人.
    !u.is_empty()
        && !MAGNITUDES.contains(&u)
        && !u.starts_with('/')
        && !u.ends_with('/')
        && (Unit::parse(u).is_known()
            || (u.chars().count() <= 6
                && u.chars().all(char::is_alphabetic)
                && !u.contains(['元', '币', '价', '年', '月', '日', '计', '单', '位'])))
}

/// Finds the header among non-blank rows, each given as (line, its non-empty cells in
/// order). With `header_row` (1-based line) the header is that row; otherwise it is the
/// first row holding at least two cells and at least half as many as the widest row,
/// other than a unit row (title and unit rows hold one cell, often merged).
/// A unit row whose unit cannot be read is an error at its cell: `column` gives the
/// 1-based column of a row's `n`th non-empty cell (`column(row index, n)`).
pub fn find(
    file: &str,
    rows: &[(usize, Vec<&str>)],
    header_row: Option<usize>,
    column: &dyn Fn(usize, usize) -> Option<usize>,
) -> Result<Found> {
    let header = match header_row {
        Some(n) => rows.iter().position(|(line, _)| *line == n).ok_or_else(|| {
            let first: Vec<String> = rows.iter().take(6).map(|(l, c)| format!("{l}: {}", c.join(" | "))).collect();
            Error::data(
                Location::new(file, n, None),
                format!("header_row = {n}, but row {n} is empty or past the end; rows with values: {}", first.join("; ")),
            )
        })?,
        None => {
            let widest = rows.iter().take(200).map(|(_, c)| c.len()).max().unwrap_or(0);
            rows.iter()
                .take(200)
                .position(|(_, c)| {
                    c.len() >= 2
                        && 2 * c.len() >= widest
                        && !c.iter().enumerate().any(|(n, t)| unit_of(t).is_some() || is_form_field(t) || split_unit(c, n).is_some())
                })
                .unwrap_or(0)
        }
    };
    let mut unit: Option<(String, usize)> = None;
    let mut more: Vec<String> = Vec::new();
    let mut title = None;
    for (i, (line, cells)) in rows[..header].iter().enumerate() {
        for (n, t) in cells.iter().enumerate() {
            if title.is_none()
                && !other_field(t)
                && let Some(p) = title_period(t)
            {
                title = Some((*line, column(i, n), p));
            }
            // A bracketed unit alone on its row is the table's; several (`(万元) (亿元)` over
            // columns) are each their column's, no table unit.
            let lone = cells.len() == 1;
            let explicit = unit_of(t).is_some() || split_unit(cells, n).is_some();
            let read = unit_of(t)
                .or_else(|| bracketed_unit(t).filter(|_| lone).map(Ok))
                .or_else(|| split_unit(cells, n))
                .or_else(|| title_unit(t));
            match read {
                Some(Ok(u)) => match &unit {
                    None => unit = Some((u, *line)),
                    // A title's unit and a unit row's (or two rows') of one kind that
                    // disagree: the first was kept and the other dropped without a word.
                    Some((first, at)) => {
                        if let Some((mine, other, f)) = first
                            .split('、')
                            .chain(more.iter().map(String::as_str))
                            .find_map(|p| conflicting_units(p, &u).map(|(o, f)| (p.to_string(), o, f)))
                        {
                            return Err(Error::data(
                                Location::new(file, *line, column(i, n)),
                                format!(
                                    "line {at} above the header says the figures are in {mine}, and line {line} says {other}: the \
                                     file does not say which they are in, and read by either they would be {} times apart; keep \
                                     one of them",
                                    times_apart(f)
                                ),
                            ));
                        }
                        // Units of other kinds in other unit-row cells (金额单位：万元 at the
                        // left, 人口单位：万人 at the right edge) are the row's too: the second
                        // was dropped, and 3万人 loaded as 3人 (review36 04). A unit in a
                        // group's header over some columns (人口（万人）) is not the table's.
                        if explicit {
                            for p in u.split('、').map(str::trim).filter(|p| !p.is_empty()) {
                                let pu = Unit::parse(p);
                                if !first.split('、').chain(more.iter().map(String::as_str)).any(|q| speaks_for(&Unit::parse(q), &pu)) {
                                    more.push(p.to_string());
                                }
                            }
                        }
                    }
                },
                Some(Err(m)) => return Err(Error::data(Location::new(file, *line, column(i, n)), m)),
                _ => {}
            }
        }
    }
    let notes = rows.iter().skip(header + 1).position(|(_, c)| opens_notes(c)).map(|i| i + header + 1);
    Ok(Found { header, notes, unit: unit.map(|(u, _)| u), more_units: more, title_period: title })
}

/// Whether a cell above a header is a form's field other than its period (填报日期：2022年1
/// 月10日, 制表单位：统计站 2022年1月): its date is when the form was filled in, not what its
/// figures are for. 报告期：2021年1-6月 and 统计时间 name the period.
fn other_field(cell: &str) -> bool {
    let label = cell.trim().split_once(['：', ':']).map(|(l, _)| l.trim());
    is_form_field(cell) && !label.is_some_and(|l| ["报告期", "统计时间", "统计期", "时期", "期别", "所属期"].contains(&l))
}

/// The period a title names (`2021年1-6月各镇主要经济指标` -> `2021年1-6月`,
/// `嘉善县2021年各镇…` -> `2021年`, `2021年上半年…` -> `2021年上半年`): the longest text from
/// its first year (`YYYY年`, outside brackets) that reads as a period or a span of one
/// (1-N月累计). None where the title names no year, or names it in brackets only (a base,
/// `（2020年=100）`).
pub(crate) fn title_period(cell: &str) -> Option<String> {
    let t = cell.trim();
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    let mut depth = 0i32;
    let start = (0..chars.len()).find(|&k| {
        let c = chars[k].1;
        if matches!(c, '（' | '(' | '【' | '[' | '［' | '〔') {
            depth += 1;
        } else if matches!(c, '）' | ')' | '】' | ']' | '］' | '〕') {
            depth -= 1;
        }
        depth == 0
            && k + 4 < chars.len()
            && (k == 0 || !chars[k - 1].1.is_ascii_digit())
            && chars[k..k + 4].iter().all(|(_, c)| c.is_ascii_digit())
            && chars[k + 4].1 == '年'
    })?;
    let opts = yearbook_core::period::spelling::PeriodOptions { cumulative: true, ..Default::default() };
    // The longest prefix that reads (at most 12 characters: 2021年1-12月累计).
    let from = chars[start].0;
    let ends: Vec<usize> = chars[start + 5..].iter().take(8).map(|(i, _)| *i).chain([t.len()]).collect();
    ends.into_iter()
        .rev()
        .map(|end| &t[from..end])
        .find(|p| yearbook_core::period::spelling::read(p, &opts).is_ok())
        // A day (2022年1月10日) is a date the form was made, not a period of figures.
        .filter(|p| !p.contains(['日', '号']))
        .map(str::to_string)
}

/// Rows below the notes are not read: a row of figures there would be lost, so it is an
/// error naming its line and the note's.
pub fn check_below_notes(file: &str, rows: &[(usize, Vec<&str>)], found: &Found) -> Result<()> {
    if let Some(n) = found.notes
        && let Some((line, _)) = rows.get(n + 1..).unwrap_or_default().iter().find(|(_, c)| looks_like_data(c))
    {
        return Err(Error::data(
            Location::new(file, *line, None),
            below_notes_message(rows[n].0, rows[n].1.first().is_some_and(|t| is_footer(t))),
        ));
    }
    Ok(())
}

/// What is said of a row of figures below the note (or footer) on line `note_line`.
pub fn below_notes_message(note_line: usize, footer: bool) -> String {
    if footer {
        format!(
            "a row of figures below the form's footer on line {note_line} (单位负责人：, 填表人：, 报出日期：): everything below \
             it is left out; move the footer below the last row"
        )
    } else {
        format!(
            "a row of figures below the note on line {note_line}: everything below a note (注：, 资料来源：) is left out; move the note below the last row"
        )
    }
}

/// A row that holds figures rather than more notes: three cells or more, not opening with
/// a note word or a footer's (填表人：); or two cells at least, none a footer's, with a
/// figure after the first (`B,200` of a table of two columns, `注1,300`: a note holds no
/// figure; a note's year, `资料来源：统计局,2024`, is no such figure).
pub fn looks_like_data(cells: &[&str]) -> bool {
    let cells: Vec<&str> = cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    let note = cells.first().is_some_and(|t| is_note(t));
    let year = |c: &str| c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit()) && ("1900".."2101").contains(&c);
    let figure =
        |c: &&str| yearbook_core::number::parse_value(c.as_bytes(), false).is_ok_and(|v| v.number().is_some()) && !(note && year(c));
    (cells.len() >= 3 && !note && cells.first().is_none_or(|t| !is_footer(t)))
        || (cells.len() >= 2 && !cells.iter().any(|c| is_footer(c)) && cells[1..].iter().any(figure))
}

/// The stems a 栏次 row numbers its text columns with, in order.
const STEMS: [&str; 8] = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"];

/// 栏次 row: 甲 乙 丙 ... then 1 2 3 ...
fn is_column_numbers(cells: &[&str]) -> bool {
    let letters = cells.iter().take_while(|c| STEMS.contains(c)).count();
    let numbers = &cells[letters..];
    letters > 0 && numbers.iter().enumerate().all(|(i, c)| c.parse::<usize>().ok() == Some(i + 1))
}

/// Whether `row`, shaped as a 栏次 row ([`is_column_numbers`]), is one under `header`
/// and not the table's first record (a grade table's 甲,1,2 above 乙,3,40): its stems run
/// 甲, 乙, … in order, it numbers every column the header names, records follow it, and
/// none of them holds a stem where the row's first stem stands.
fn numbers_the_columns(header: &[String], row: &[String], rest: &[(usize, Vec<String>)]) -> bool {
    let cells: Vec<&str> = row.iter().map(String::as_str).filter(|c| !c.is_empty()).collect();
    let in_order = cells.iter().take_while(|c| STEMS.contains(c)).zip(STEMS).all(|(c, s)| *c == s);
    let named = header.iter().filter(|h| !h.trim().is_empty()).count();
    let first = row.iter().position(|c| !c.is_empty());
    let stem_below = first.is_some_and(|f| rest.iter().any(|(_, r)| r.get(f).is_some_and(|c| STEMS.contains(&c.trim()))));
    in_order && cells.len() >= named && !rest.is_empty() && !stem_below
}

/// A cell holding only a unit: `(万元)`, `（%）`, `单位：万元`.
fn is_unit_cell(c: &str) -> bool {
    unit_of(c).is_some() || [('(', ')'), ('（', '）')].iter().any(|(o, e)| c.starts_with(*o) && c.ends_with(*e) && c.chars().count() <= 10)
}

/// Whether a row's non-empty cells are a 栏次 row (甲 乙 1 2 3) or a row of units.
pub fn is_units_or_numbers(cells: &[&str]) -> bool {
    !cells.is_empty() && (is_column_numbers(cells) || cells.iter().all(|c| is_unit_cell(c)))
}

/// Takes in the row right under the header when it is part of the header: a row of
/// units or column numbers is dropped (a row of units is returned, its cells in the
/// header's columns, for a fact reader to read as the columns' units:
/// [`super::table_file::RawTable::units_into_header`]); a second header row (the header has merged or
/// blank cells above it, and it holds no numbers) is combined with the header, each
/// blank header cell taking the text on its left ("2021年" over 本期 | 同期 gives
/// "2021年 本期", "2021年 同期").
pub fn absorb_second_row(header: &mut [String], rows: &mut Vec<(usize, Vec<String>)>, header_merged: bool) -> Vec<String> {
    let Some((_, next)) = rows.first() else { return Vec::new() };
    let cells: Vec<&str> = next.iter().map(String::as_str).filter(|c| !c.is_empty()).collect();
    if cells.is_empty() {
        return Vec::new();
    }
    if is_units_or_numbers(&cells) {
        let numbers = is_column_numbers(&cells);
        if numbers && !numbers_the_columns(header, next, &rows[1..]) {
            return Vec::new();
        }
        let (_, row) = rows.remove(0);
        return if numbers { Vec::new() } else { row };
    }
    let numeric = |c: &&str| yearbook_core::number::parse_value(c.as_bytes(), true).is_ok_and(|v| v.number().is_some());
    // Without merges, a second header row leaves the rows' key column blank (its header
    // spans both rows) and fills a column whose header is blank (the text on its left
    // spans it).
    let blank_above =
        next.first().is_some_and(String::is_empty) && header.iter().zip(next.iter()).any(|(h, n)| h.is_empty() && !n.is_empty());
    if cells.len() < 2 || cells.iter().any(numeric) || !(header_merged || blank_above) {
        return Vec::new();
    }
    let (_, next) = rows.remove(0);
    let mut left = String::new();
    for (h, n) in header.iter_mut().zip(next) {
        if h.is_empty() {
            h.clone_from(&left);
        } else {
            left.clone_from(h);
        }
        if !n.is_empty() {
            *h = if h.is_empty() || *h == n { n } else { joined_header(h, &n) };
        }
    }
    Vec::new()
}

/// A column's name from a header cell over a second row's (`2021年` over `本期`: `2021年
/// 本期`). A unit in brackets at the end of the upper one (`总投资（亿元）` over `计划 | 已完成`)
/// stays at the end, where a column's unit is read (`总投资 计划（亿元）`): in the middle it
/// was lost, and 1.5亿元 added to a series in 万元 as 1.5. A lower cell with its own unit
/// keeps its own.
fn joined_header(upper: &str, lower: &str) -> String {
    let t = upper.trim();
    match (label_stem(t), label_unit(lower)) {
        (Some(stem), None) => format!("{stem} {lower}{}", t[stem.len()..].trim_start()),
        _ => format!("{upper} {lower}"),
    }
}

/// The unit a cell of a row of units names (`(万元)`, `（万元）`, `单位：万元`) when it is
/// one whose figures convert (万元, 亿元, 万人, %: [`Unit::is_known`]); None for a count
/// word (个, 家: the figures are the same in any reading) and for anything else.
pub fn column_unit(cell: &str) -> Option<String> {
    let u = match unit_of(cell) {
        Some(Ok(u)) => u,
        Some(Err(_)) => return None,
        None => normalize_unit(cell),
    };
    (!u.is_empty() && Unit::parse(&u).is_known()).then_some(u)
}

#[cfg(test)]
mod tests {
    use super::*;
    fn rows(t: &[&[&'static str]]) -> Vec<(usize, Vec<&'static str>)> {
        t.iter().enumerate().map(|(i, r)| (i + 1, r.to_vec())).collect()
    }
    fn no_column(_: usize, _: usize) -> Option<usize> {
        None
    }
    #[test]
    fn a_titles_period_is_the_longest_text_from_its_year_that_reads() {
        assert_eq!(title_period("2021年1-6月各镇主要经济指标").as_deref(), Some("2021年1-6月"));
        assert_eq!(title_period("嘉善县2021年各镇主要经济指标（单位：万元）").as_deref(), Some("2021年"));
        assert_eq!(title_period("2021年上半年主要指标").as_deref(), Some("2021年上半年"));
        assert_eq!(title_period("2021年6月份月报").as_deref(), Some("2021年6月份"));
        assert_eq!(title_period("2021年1-12月累计").as_deref(), Some("2021年1-12月累计"));
        // A year in brackets is a base or a note, not the table's period.
        assert_eq!(title_period("各镇工业产值指数（2020年=100）"), None);
        assert_eq!(title_period("各镇主要经济指标"), None);
        assert_eq!(title_period("12021年"), None);
        assert_eq!(title_period("2022年1月10日"), None);
        assert!(other_field("填报日期：2022年1月10日"));
        assert!(other_field("制表单位：统计站  2022年1月"));
        assert!(!other_field("报告期：2021年1-6月"));
    }

    #[test]
    fn title_unit_header_notes() {
        let r = rows(&[
            &["表1 各镇主要经济指标(2021年)"],
            &["单位：万元"],
            &["地区", "年份", "指标", "数值"],
            &["t1", "2021", "gdp", "7"],
            &["注：本表为快报数。"],
            &["资料来源：统计局"],
        ]);
        assert_eq!(
            find("f", &r, None, &no_column).unwrap(),
            Found { header: 2, notes: Some(4), unit: Some("万元".into()), more_units: Vec::new(), title_period: None }
        );
        assert_eq!(find("f", &r, Some(3), &no_column).unwrap().header, 2);
        assert!(find("f", &r, Some(9), &no_column).unwrap_err().to_string().contains("header_row = 9"));
        let plain = rows(&[&["region", "period"], &["a", "2020"]]);
        assert_eq!(
            find("f", &plain, None, &no_column).unwrap(),
            Found { header: 0, notes: None, unit: None, more_units: Vec::new(), title_period: None }
        );
    }
    #[test]
    fn notes_and_units() {
        for s in ["注：", "注:", "注1.", "注①本表", "资料来源：", "说明：", "\"注：x"] {
            assert!(is_note(s), "{s}");
        }
        for s in ["注溪镇", "地区", "t1", ""] {
            assert!(!is_note(s), "{s}");
        }
        for s in ["单位负责人：张三", "统计负责人:", "填表人", "报出日期：2021年1月5日", "制表人： 王五", "审核人 李四"]
        {
            assert!(is_footer(s) && opens_notes(&[s, "填表人：王五", "x", "y"]), "{s}");
        }
        for s in ["负责人员", "填表", "单位", "甲镇"] {
            assert!(!is_footer(s), "{s}");
        }
        let unit = |c: &str| unit_of(c).map(|u| u.unwrap_or_else(|e| format!("error: {e}")));
        assert_eq!(unit("单位：万元").as_deref(), Some("万元"));
        assert_eq!(unit("（单位:亿元）").as_deref(), Some("亿元"));
        assert_eq!(unit_of("计量单位"), None);
        // Headers of a ledger of organisations (单位 as an office), and the reporting office.
        for cell in ["单位名称", "单位代码", "单位", "填报单位：大云镇人民政府", "统计单位: 某局"] {
            assert_eq!(unit_of(cell), None, "{cell}");
        }
        assert_eq!(unit("金额单位：万元").as_deref(), Some("万元"));
        assert_eq!(unit("单位 亿元").as_deref(), Some("亿元"));
        // Spellings of 万元 as offices write them.
        for cell in [
            "单位：万元（当年价）",
            "单位：人民币万元",
            "单位：万 元",
            "单位：万元人民币",
            "单位:万元(可比价)",
            "（单位：万元（现价））",
            "单位：（万元）",
            "单位：万元  2021年",
            "单位：【人民币】万元",
        ] {
            assert_eq!(unit(cell).as_deref(), Some("万元"), "{cell}");
        }
        assert_eq!(unit("单位：个").as_deref(), Some("个"));
        assert_eq!(unit("单位：万人次").as_deref(), Some("万人次"));
        assert_eq!(unit("单位：元/人").as_deref(), Some("元/人"));
        assert_eq!(unit("单位：%").as_deref(), Some("%"));
        assert_eq!(
            unit_of("单位：万港元").unwrap().unwrap_err(),
            "the unit row \"单位：万港元\" names a unit yearbook does not read (\"万港元\"): write the unit alone after 单位：, as \
             单位：万元 or 单位：亿元 (a price basis may follow in brackets: 单位：万元（当年价）), or give each figure's unit in a \
             计量单位 column; a unit left unread would leave every figure in its indicator's unit"
        );
        for cell in ["单位：万元当年价", "单位：1万元", "单位：万元/"] {
            assert!(unit_of(cell).unwrap().is_err(), "{cell}");
        }
        assert_eq!(unit("单位：万元、万人").as_deref(), Some("万元、万人"));
        assert_eq!(unit("单位：万元，%").as_deref(), Some("万元、%"));
        assert!(unit_of("单位：万元、亿元").unwrap().unwrap_err().contains("two units of one kind (万元, 亿元)"));
    }
    fn dense(rows: &[&[&str]]) -> Vec<(usize, Vec<String>)> {
        rows.iter().enumerate().map(|(i, r)| (i + 4, r.iter().map(|c| c.to_string()).collect())).collect()
    }
    #[test]
    fn second_header_rows() {
        let mut h: Vec<String> = ["地区", "2021年", "", "2020年", ""].map(String::from).to_vec();
        let mut rows = dense(&[&["", "本期", "同期", "本期", "同期"], &["t1", "1", "2", "3", "4"]]);
        absorb_second_row(&mut h, &mut rows, false);
        assert_eq!(h, ["地区", "2021年 本期", "2021年 同期", "2020年 本期", "2020年 同期"]);
        assert_eq!(rows.len(), 1);
        let mut h: Vec<String> = ["地区", "年份", "指标", "数值"].map(String::from).to_vec();
        for under in [&["甲", "乙", "丙", "1"][..], &["", "", "", "(万元)"][..]] {
            let mut rows = dense(&[under, &["t1", "2021", "gdp", "4"]]);
            absorb_second_row(&mut h, &mut rows, false);
            assert_eq!((rows.len(), h[3].as_str()), (1, "数值"), "{under:?}");
        }
        // A data row stays data, even with no numbers in it, under a full header.
        let mut rows = dense(&[&["t1", "2021", "gdp", "—"]]);
        absorb_second_row(&mut h, &mut rows, false);
        assert_eq!(rows.len(), 1);
    }
}
