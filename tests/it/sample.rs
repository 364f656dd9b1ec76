//! The hand checks of config/dayun/README.md, through the library and the CLI.

use crate::common::*;

#[test]
fn balance_checks_hold() {
    let ws = sample();
    assert!(close(value(&ws, "industrial_output + agricultural_output"), 26.06, 1e-9));
    assert!(close(value(&ws, "gross_output"), 26.06, 1e-12));
    assert!(close(value(&ws, "farmer_housing_area + yunxi_garden_area"), 24525.0, 1e-9));
    assert!(close(value(&ws, "grain_share + cash_crop_share"), 100.0, 1e-9));
    // Equality is up to rounding noise: 26.8 + 73.2 == 100 holds as a mask.
    assert_eq!(value(&ws, "grain_share + cash_crop_share == 100"), 1.0);
    assert_eq!(value(&ws, "industrial_output + agricultural_output == gross_output"), 1.0);
}

#[test]
fn implied_prior_year_values_agree() {
    let ws = sample();
    let parts = value(
        &ws,
        "industrial_output / (1 + reported_yoy.industrial_output / 100) + agricultural_output / (1 + reported_yoy.agricultural_output / 100)",
    );
    let total = value(&ws, "gross_output / (1 + reported_yoy.gross_output / 100)");
    assert!(close(parts, 21.1951, 5e-5), "{parts}");
    assert!(close(total, 21.1956, 5e-5), "{total}");
    assert!((parts - total).abs() / total < 1e-4);
    // The standard library's implied_prior does the same.
    assert!(close(value(&ws, "implied_prior(gdp, reported_yoy.gdp)"), 6.560, 5e-4));
    assert!(close(value(&ws, "gdp / (1 + reported_yoy.gdp / 100)"), 6.560, 5e-4));
}

#[test]
fn county_target_and_projects() {
    let ws = sample();
    // % is a pure number scaled by 0.01: 1641 / 149% = 1101.3 万美元.
    assert!(close(value(&ws, "fdi_actual / target_completion.fdi_actual"), 1101.34, 5e-3));
    // A month of it, the completion's * 100 written by hand, the / 12 wherever it stands.
    for e in ["fdi_actual / target_completion.fdi_actual * 100 / 12", "fdi_actual / 12 / target_completion.fdi_actual * 100"] {
        assert!(close(value(&ws, e), 1101.34 / 12.0, 5e-3), "{e}");
    }
    let itemised = "table(\"projects\").filter(|p| p.part_of == \"maintenance_investment\").sum(\"investment_wan_yuan\")";
    let r = ws.eval(itemised).unwrap().value.as_number().unwrap();
    assert!(close(r, 1584.92, 1e-9));
    let share = ws.eval(&format!("{itemised} / at(maintenance_investment, \"dayun\", 2008) * 100")).unwrap().value.as_number().unwrap();
    assert!(close(share, 38.66, 0.01), "{share}");
    let missing =
        ws.eval("table(\"projects\").filter(|p| p.id == \"p11\").missing(\"investment_wan_yuan\")").unwrap().value.as_int().unwrap();
    assert_eq!(missing, 1);
}

#[test]
fn growth_and_parts_not_above_totals() {
    let ws = sample();
    assert!(close(value(&ws, "pct(yoy(non_agricultural_population))"), 9.5258, 1e-4));
    assert_eq!(value(&ws, "industrial_output_above_scale <= industrial_output"), 1.0);
    assert_eq!(value(&ws, "industrial_investment <= fixed_asset_investment"), 1.0);
    assert_eq!(value(&ws, "local_fiscal_revenue <= fiscal_revenue"), 1.0);
}

#[test]
fn units_rescale_and_convert() {
    let ws = sample();
    // 6500 万元 + 0.65 亿元 = 13000 万元 (the left unit wins).
    assert!(close(value(&ws, "fiscal_revenue + to(fiscal_revenue, \"亿元\")"), 13000.0, 1e-9));
    assert_eq!(ws.eval("unit(fiscal_revenue + to(fiscal_revenue, \"亿元\"))").unwrap().value.to_string(), "万元");
    assert!(close(value(&ws, "to(gdp, \"万元\")"), 77500.0, 1e-6));
    assert!(close(value(&ws, "share(local_fiscal_revenue, to(fiscal_revenue, \"亿元\"))"), 2400.0 / 6500.0, 1e-12));
    // 371.03 亩 in 公顷.
    assert!(close(value(&ws, "to(green_area_added, \"公顷\")"), 371.03 / 15.0, 1e-9));
    // Chinese labels work as names.
    assert!(close(value(&ws, "地区生产总值"), 7.75, 1e-12));
    assert!(close(value(&ws, "indicator(\"财政总收入\")"), 6500.0, 1e-12));
    // 7.75 亿元 over 2564 人 in 元/人.
    assert!(close(value(&ws, "per_capita_yuan(gdp, non_agricultural_population)"), 7.75e8 / 2564.0, 1e-6));
}

#[test]
fn rollup_follows_the_tree_and_rules() {
    let ws = sample();
    assert!(close(value(&ws, "only(rollup(gdp, \"county\"), \"jiashan\")"), 7.75, 1e-12));
    assert!(close(value(&ws, "only(rollup(gdp, \"province\"), \"浙江省\")"), 7.75, 1e-12));
    // A ratio of summable indicators rolls up by recomputing from its components.
    assert!(close(value(&ws, "rollup(share(local_fiscal_revenue, fiscal_revenue), \"county\")"), 2400.0 / 6500.0, 1e-12));
    let err = ws.eval("rollup(green_coverage_town, \"county\")").err().expect("rates do not sum").to_string();
    assert!(err.contains("`green_coverage_town` (rate) has rollup = none in indicators.csv: it cannot be rolled up"), "{err}");
}

#[test]
fn cli_eval_prints_a_table_csv_and_json() {
    let cfg = sample_config();
    let c = cfg.to_str().unwrap();
    let (code, out, err) = cli(&["eval", "-c", c, "pct(yoy(non_agricultural_population))"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("大云镇") && out.contains("2008") && out.contains("9.53") && out.contains('%'), "{out}");
    let (_, csv, _) = cli(&["eval", "-c", c, "--format", "csv", "gdp"]);
    assert_eq!(csv, "region,name,period,value,unit,flag\ndayun,大云镇,2008,7.75,亿元,estimate\n");
    let (_, json, _) = cli(&["eval", "-c", c, "--format", "json", "pct(yoy(non_agricultural_population))"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[0]["region"], "dayun");
    assert!((v[0]["value"].as_f64().unwrap() - 9.525843656557027).abs() < 1e-12);
    let (_, scalar, _) = cli(&["eval", "-c", c, "sum(level(gdp, \"town\"), \"periods\")"]);
    assert!(scalar.contains("7.75"), "{scalar}");
    let (_, s2, _) = cli(&["eval", "-c", c, "value(gdp) * 2"]);
    assert_eq!(s2.trim(), "15.5 亿元");
}

#[test]
fn division_by_zero_is_missing_and_counted() {
    let ws = sample();
    let r = ws.eval("gdp / (gdp - gdp)").unwrap();
    assert_eq!(r.div_zero, 1);
    let s = r.value.as_series().unwrap();
    assert_eq!(s.count(), 0);
    let (code, out, err) = cli(&["eval", "-c", sample_config().to_str().unwrap(), "gdp / (gdp - gdp)"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "(no values)");
    assert!(err.contains("1 division(s) by zero"), "{err}");
    assert!(!out.contains("NaN") && !out.contains("inf"));
}

#[test]
fn user_functions_take_and_return_series() {
    let ws = sample();
    let v =
        ws.eval("fn 增速(s) { pct(yoy(s)) } let 人口 = non_agricultural_population; value(增速(人口))").unwrap().value.as_number().unwrap();
    assert!(close(v, 9.5258, 1e-4));
    let t = ws.eval("table(\"projects\").group_by(\"category\").sum(\"investment_wan_yuan\")").unwrap();
    let text = t.value.render(&Default::default(), None);
    assert!(text.contains("sanitation") && text.contains("142"), "{text}");
}
