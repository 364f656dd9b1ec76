//! Sums that add figures whose unit does not add up (F6): `sum()` across regions and
//! over periods, `cumulate`/`ytd` and `quarters` refuse a percentage, a figure per 人 or
//! per 吨, a share, a declared rate, and over periods a declared stock, as `rollup =
//! "sum"` is refused; amounts (元, 吨, 人) still add.

use crate::common::*;
use std::path::Path;

const REGIONS: &str = "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n";

fn workspace(indicators: &str, facts: &str, toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    w("regions.csv", REGIONS);
    w("indicators.csv", indicators);
    w("facts.csv", facts);
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"county\",\"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
             [[data.facts]]\nfile = \"facts.csv\"\n{toml}"
        ),
    );
    dir
}

fn eval(dir: &Path, expr: &str) -> (i32, String, String) {
    cli_in(dir, &["eval", "-c", "yearbook.toml", "--format", "csv", expr])
}

/// Towns: price 10 and 20 元/吨, qty 1 and 3 吨, pop 1000 and 3000 人, inc 100 and 900 万元.
fn towns() -> tempfile::TempDir {
    workspace(
        "code,label,unit,kind,rollup,note\nprice,单价,元/吨,,mean,\nqty,产量,吨,flow,sum,\npop,人口,人,stock,sum,\ninc,收入,万元,flow,sum,\n",
        "region,year,indicator,value\nt1,2021,price,10\nt1,2021,qty,1\nt1,2021,pop,1000\nt1,2021,inc,100\n\
         t2,2021,price,20\nt2,2021,qty,3\nt2,2021,pop,3000\nt2,2021,inc,900\n",
        "[indicators.rev]\nunit = \"元\"\nexpr = \"price * qty\"\n[indicators.inc_pc]\nunit = \"元/人\"\nexpr = \"per_capita(inc, pop)\"\n",
    )
}

#[test]
fn a_sum_across_regions_of_a_price_or_a_figure_per_person_is_refused() {
    let d = towns();
    let (rc, out, err) = eval(d.path(), "sum(price)");
    assert_ne!(rc, 0, "{out}");
    assert!(
        err.contains(
            "sum: `price` is a figure per 吨 (元/吨): its regions' figures do not add up to their total's; for the total's \
             figure write rollup(price, level), which rolls it up by its rule (a ratio recomputed from its rolled-up parts, a \
             declared mean or weighted mean), or divide sums of its parts (sum(a) / sum(b)); for a plain average write mean(price)"
        ),
        "{err}"
    );
    let (rc, out, err) = eval(d.path(), "sum(inc_pc)");
    assert_ne!(rc, 0, "{out}");
    assert!(err.contains("sum: `inc_pc` is a figure per 人 (元/人): its regions' figures do not add up"), "{err}");
    // What to write instead: the county's figure recomputed from its parts,
    // 1000万元 / 4000人 = 2500 元/人, not 1000 + 3000.
    let (rc, out, err) = eval(d.path(), "rollup(inc_pc, \"county\")");
    assert_eq!(rc, 0, "{err}");
    assert_eq!(out, "region,name,period,value,unit\nc1,某县,2021,2500,元/人\n");
    let (_, out, _) = eval(d.path(), "mean(price)");
    assert_eq!(out, "period,value,unit\n2021,15,元/吨\n");
    // Amounts still add: 4 吨, 70 元 (10×1 + 20×3), 4000 人; a count of a comparison too.
    for (expr, want) in [("sum(qty)", "2021,4,吨"), ("sum(rev)", "2021,70,元"), ("sum(pop)", "2021,4000,人"), ("sum(price > 5)", "2021,2,")]
    {
        let (rc, out, err) = eval(d.path(), expr);
        assert_eq!((rc, out), (0, format!("period,value,unit\n{want}\n")), "{expr}: {err}");
    }
}

#[test]
fn a_sum_over_periods_of_a_rate_or_a_stock_is_refused() {
    let d = workspace(
        "code,label,unit,kind,rollup,note\nr1,城镇化率,％,rate,none,\nr4,失业率,,rate,none,\npop,人口,万人,stock,sum,\n\
         gdp,地区生产总值,亿元,flow,sum,\nagri,第一产业增加值,亿元,flow,sum,\n",
        "region,year,indicator,value\nt1,2020,r1,50\nt1,2021,r1,52.5\nt1,2020,r4,3.2\nt1,2021,r4,4\n\
         t1,2020,pop,1\nt1,2021,pop,1\nt1,2020,gdp,10\nt1,2021,gdp,12\nt1,2020,agri,2\nt1,2021,agri,2.1\n",
        "[indicators.agri_share]\nlabel = \"第一产业比重\"\nexpr = \"share(agri, gdp)\"\n",
    );
    let (rc, out, err) = eval(d.path(), "sum(r1, \"periods\")");
    assert_ne!(rc, 0, "{out}");
    assert!(
        err.contains(
            "sum over periods: `r1` is a percentage (%): its figures of several periods do not add up to the whole span's; \
             for the span's figure recompute it from its parts added over periods (sum(a, \"periods\") / sum(b, \"periods\"), \
             or cumulate(a) / cumulate(b)); for an average write mean(r1, \"periods\")"
        ),
        "{err}"
    );
    let (rc, out, err) = eval(d.path(), "sum(pop, \"periods\")");
    assert_ne!(rc, 0, "{out}");
    assert!(
        err.contains(
            "sum over periods: `pop` is a stock (kind = stock: a level at a date, in 万人): its figures of several periods do \
             not add up to anything; take the figure at the period's end (latest(pop), or at(...)); for an average level write \
             mean(pop, \"periods\")"
        ),
        "{err}"
    );
    // A rate without a unit, and a share, across regions.
    let (_, _, err) = eval(d.path(), "sum(r4)");
    assert!(err.contains("sum: `r4` is a rate (kind = rate): its regions' figures do not add up"), "{err}");
    let (_, _, err) = eval(d.path(), "sum(agri_share)");
    assert!(err.contains("sum: `agri_share` is a ratio of two figures (a share, a / b): its regions' figures do not add up"), "{err}");
    // A stock adds across regions; a flow over periods: 22 亿元; a stock's mean over periods.
    let (rc, out, err) = eval(d.path(), "sum(pop)");
    assert_eq!((rc, out.as_str()), (0, "period,value,unit\n2020,1,万人\n2021,1,万人\n"), "{err}");
    let (rc, out, err) = eval(d.path(), "sum(gdp, \"periods\")");
    assert_eq!((rc, out.as_str()), (0, "region,name,value,unit\nt1,甲镇,22,亿元\n"), "{err}");
    let (rc, out, err) = eval(d.path(), "mean(r1, \"periods\")");
    assert_eq!((rc, out.as_str()), (0, "region,name,value,unit\nt1,甲镇,51.25,%\n"), "{err}");
}

#[test]
fn a_cumulation_of_a_rate_is_refused_and_of_an_amount_kept() {
    let d = workspace(
        "code,label,unit,kind,rollup,note\nr1,城镇化率,%,rate,none,\nq,产量,吨,flow,sum,\nbal,存款余额,亿元,stock,sum,\n",
        "region,period,indicator,value\nt1,2021-01,r1,50\nt1,2021-02,r1,51\nt1,2021-03,r1,52\nt1,2021-01,q,1\nt1,2021-02,q,2\nt1,2021-03,q,3\n\
         t1,2021-01,bal,5\nt1,2021-02,bal,6\nt1,2021-03,bal,7\n",
        "",
    );
    for (f, name) in [("cumulate", "r1"), ("ytd", "r1"), ("quarters", "r1"), ("cumulate", "bal")] {
        let (rc, out, err) = eval(d.path(), &format!("{f}({name})"));
        assert_ne!(rc, 0, "{f}: {out}");
        assert!(err.contains(&format!("{f}: `{name}` is a ")), "{f}: {err}");
    }
    let (rc, out, err) = eval(d.path(), "at(cumulate(q), \"t1\", \"2021-03\")");
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("6"), "{out}");
    let (rc, out, err) = eval(d.path(), "at(quarters(q), \"t1\", \"2021-03\")");
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("6"), "{out}");
}
