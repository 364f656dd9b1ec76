#!/usr/bin/env python3
"""Writes the monthly sample: 清溪县 (a made-up county), 12 towns, 10 indicators, towns'
1-N月累计 figures for 2023-01 .. 2025-06 as they are reported, and the 2025 targets.

Deterministic (fixed seed); run it from anywhere: python3 config/monthly/generate.py.
Realistic shapes, and the cases the sample's rules and report are there to show:
  - seasonality: a Spring Festival dip in 1-2月, a year-end rush in 12月 (investment);
  - 固定资产投资 is reported from 1-2月 on (no January figure), as NBS publishes it;
  - exports fell in 2024 (a lost order) and recovered in 2025: 两年平均增速;
  - three towns are behind the pace of their targets (北山镇, 云溪乡, 石门镇);
  - 新仓镇 has not delivered June 2025 yet (a late delivery);
  - 东港镇's 1-5月 一般公共预算收入 was reported too high, and its 1-6月 figure is the
    corrected cumulative: its June 当月 comes out negative (a revised figure).
"""

import csv
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20250715)

TOWNS = [
    # code, name, size (relative scale), growth 2024, growth 2025 (H1 pace)
    ("chengguan", "城关镇", 2.6, 0.072, 0.081),
    ("donggang", "东港镇", 1.9, 0.065, 0.074),
    ("xitang", "西塘镇", 1.4, 0.081, 0.092),
    ("nanhu", "南湖镇", 1.2, 0.058, 0.066),
    ("beishan", "北山镇", 0.9, 0.041, -0.035),
    ("xincang", "新仓镇", 1.1, 0.069, 0.078),
    ("fengqiao", "凤桥镇", 0.8, 0.074, 0.085),
    ("yunxi", "云溪乡", 0.5, 0.036, -0.012),
    ("baima", "白马乡", 0.4, 0.052, 0.061),
    ("shimen", "石门镇", 0.7, 0.047, 0.004),
    ("linjiang", "临江街道", 1.6, 0.079, 0.088),
    ("gaoxin", "高新区", 2.2, 0.095, 0.112),
]
BEHIND = {"beishan", "yunxi", "shimen"}

# code, label, unit, yearly level per unit of town size in 2023, seasonal shape
INDICATORS = [
    ("industrial_output", "规模以上工业总产值", "万元", 210000, "industry"),
    ("fixed_asset_investment", "固定资产投资", "万元", 95000, "investment"),
    ("industrial_investment", "工业投资", "万元", 41000, "investment"),
    ("retail_sales", "社会消费品零售总额", "万元", 68000, "retail"),
    ("budget_revenue", "一般公共预算收入", "万元", 15500, "revenue"),
    ("tax_revenue", "税收收入", "万元", 12800, "revenue"),
    ("exports", "外贸出口", "万美元", 6200, "industry"),
    ("fdi_actual", "实际利用外资", "万美元", 820, "lumpy"),
    ("industrial_electricity", "工业用电量", "万千瓦时", 9800, "industry"),
    ("new_jobs", "城镇新增就业", "人", 620, "flat"),
]
# Shares of the year by month (each sums to 1).
SHAPES = {
    "industry": [0.065, 0.055, 0.085, 0.083, 0.085, 0.088, 0.084, 0.082, 0.088, 0.09, 0.095, 0.1],
    "investment": [0.0, 0.075, 0.085, 0.09, 0.1, 0.115, 0.075, 0.075, 0.08, 0.085, 0.09, 0.13],
    "retail": [0.095, 0.085, 0.078, 0.077, 0.082, 0.08, 0.078, 0.079, 0.083, 0.092, 0.088, 0.083],
    "revenue": [0.12, 0.06, 0.08, 0.1, 0.09, 0.085, 0.09, 0.075, 0.07, 0.085, 0.07, 0.075],
    "lumpy": [0.04, 0.04, 0.1, 0.06, 0.07, 0.14, 0.06, 0.07, 0.1, 0.08, 0.09, 0.15],
    "flat": [1 / 12] * 12,
}
TARGETED = ["industrial_output", "fixed_asset_investment", "retail_sales", "budget_revenue", "fdi_actual", "exports"]
LAST = (2025, 6)


def months():
    for y in (2023, 2024, 2025):
        for m in range(1, 13):
            if (y, m) > LAST:
                return
            yield y, m


def decimals(unit):
    return 0 if unit == "人" else 1


def main():
    with open(os.path.join(HERE, "regions.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "level", "parent"])
        w.writerow(["qingxi", "清溪县", "county", ""])
        for code, name, *_ in TOWNS:
            w.writerow([code, name, "town", "qingxi"])
    with open(os.path.join(HERE, "indicators.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["code", "label", "unit", "kind", "rollup", "note"])
        for code, label, unit, *_ in INDICATORS:
            note = "自1-2月起报送" if code == "fixed_asset_investment" else ""
            w.writerow([code, label, unit, "flow", "sum", note])

    cum_rows, target_rows, full_2024 = [], [], {}
    county = {}  # (period, indicator) -> the county's own total of its towns' true figures
    for code, _name, size, g24, g25 in TOWNS:
        budget_true, tax_ratio = {}, rng.uniform(0.78, 0.86)
        for ind, _label, unit, level, shape in INDICATORS:
            # Indicator-specific noise around the town's growth; exports fell in 2024.
            noise = rng.uniform(-0.02, 0.02)
            growth = {2023: 0.0, 2024: g24 + noise, 2025: g25 + noise + rng.uniform(-0.01, 0.01)}
            if ind == "exports":
                growth[2024] = -0.14 + noise
                growth[2025] = (0.19 if code not in BEHIND else 0.05) + noise
            base = level * size * rng.uniform(0.85, 1.15)
            yearly = {2023: base}
            yearly[2024] = yearly[2023] * (1 + growth[2024])
            yearly[2025] = yearly[2024] * (1 + growth[2025])
            cum = 0.0
            for y, m in months():
                if m == 1:
                    cum = 0.0
                share = SHAPES[shape][m - 1] * (1 + rng.uniform(-0.04, 0.04))
                cum += yearly[y] * share
                if y == 2024:
                    full_2024[(code, ind)] = cum if m == 12 else full_2024.get((code, ind), 0)
                if shape == "investment" and m == 1:
                    continue  # 固定资产投资 and 工业投资: first reported for 1-2月
                if ind == "budget_revenue":
                    budget_true[(y, m)] = cum
                if ind == "tax_revenue":
                    cum = budget_true[(y, m)] * tax_ratio  # taxes are most of the budget revenue
                county[(y, m, ind)] = county.get((y, m, ind), 0.0) + cum
                if code == "xincang" and (y, m) == LAST:
                    continue  # not delivered yet
                value = cum
                if code == "donggang" and ind == "budget_revenue" and (y, m) == (2025, 5):
                    value = cum * 1.25  # reported too high; June's 1-6月 is corrected
                spelled = f"{y}年1月" if m == 1 else f"{y}年1-{m}月"
                cum_rows.append([code, spelled, ind, f"{value:.{decimals(unit)}f}"])
        for ind in TARGETED:
            unit = next(u for c, _, u, *_ in INDICATORS if c == ind)
            lift = 0.10 if code not in BEHIND else 0.12
            target = full_2024[(code, ind)] * (1 + lift + rng.uniform(-0.015, 0.015))
            target_rows.append([code, "2025", ind, round_target(target, unit)])
    # The county's own targets: a little above the sum of its towns'.
    for ind in TARGETED:
        total = sum(float(r[3]) for r in target_rows if r[2] == ind)
        unit = next(u for c, _, u, *_ in INDICATORS if c == ind)
        target_rows.append(["qingxi", "2025", ind, round_target(total * 1.02, unit)])

    # The county's own totals (the county bureau has every town's figures, corrected).
    for ind, _label, unit, *_ in INDICATORS:
        for y, m in months():
            if (y, m, ind) in county:
                spelled = f"{y}年1月" if m == 1 else f"{y}年1-{m}月"
                cum_rows.append(["qingxi", spelled, ind, f"{county[(y, m, ind)]:.{decimals(unit)}f}"])

    with open(os.path.join(HERE, "cumulative.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["地区", "时期", "指标", "累计值"])
        w.writerows(cum_rows)
    with open(os.path.join(HERE, "targets.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["地区", "年份", "指标", "年度目标"])
        w.writerows(target_rows)
    print(f"{len(cum_rows)} cumulative figures, {len(target_rows)} targets")


def round_target(x, unit):
    """Targets are set in round numbers: 万元 to the hundred, small ones to the ten."""
    step = 100 if x >= 10000 else 10
    return str(int(math.floor(x / step + 0.5) * step))


if __name__ == "__main__":
    main()
