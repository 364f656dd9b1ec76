//! Inline SVG charts for the HTML report: trend lines over periods, bars comparing
//! regions, and shares of a whole. Text is real SVG text, so CJK labels render with the
//! viewer's fonts; no scripts, no network.

const W: f64 = 640.0;
const H: f64 = 300.0;
const PAD_L: f64 = 70.0;
const PAD_R: f64 = 20.0;
const PAD_T: f64 = 36.0;
const PAD_B: f64 = 48.0;
const COLORS: [&str; 8] = ["#1f6feb", "#d1242f", "#1a7f37", "#bf8700", "#8250df", "#0a7aa0", "#cf222e", "#57606a"];
const FONT: &str = "font-family=\"'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif\"";

/// Dash patterns of trend lines, so that series differ without colour.
const DASHES: [&str; 4] = ["none", "7 4", "2 3", "9 3 2 3"];

/// A point marker: circle, square, triangle, diamond in turn, with a tooltip.
fn marker(k: usize, cx: f64, cy: f64, color: &str, tip: &str) -> String {
    let shape = match k % 4 {
        0 => format!("<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"4\" fill=\"{color}\">"),
        1 => format!("<rect x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" fill=\"{color}\">", cx - 3.5, cy - 3.5),
        2 => format!(
            "<polygon points=\"{cx:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{color}\">",
            cy - 4.5,
            cx + 4.5,
            cy + 3.5,
            cx - 4.5,
            cy + 3.5
        ),
        _ => format!(
            "<polygon points=\"{cx:.1},{:.1} {:.1},{cy:.1} {cx:.1},{:.1} {:.1},{cy:.1}\" fill=\"{color}\">",
            cy - 5.0,
            cx + 5.0,
            cy + 5.0,
            cx - 5.0
        ),
    };
    let close = match k % 4 {
        0 => "</circle>",
        1 => "</rect>",
        _ => "</polygon>",
    };
    format!("{shape}<title>{}</title>{close}", esc(tip))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A value on an axis or a label: grouped by thousands from five digits (120,000).
fn label(x: f64) -> String {
    yearbook_core::format::group_digits(&yearbook_core::format::number(x))
}

/// Nice axis bounds and ticks covering [lo, hi].
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let (lo, hi) = if (hi - lo).abs() < 1e-12 { (lo - 1.0, hi + 1.0) } else { (lo, hi) };
    let raw = (hi - lo) / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(raw);
    let start = (lo / step).floor() * step;
    (0..=8).map(|i| start + step * i as f64).take_while(|v| *v <= hi + step * 0.999).collect()
}

fn frame(title: &str, body: &str) -> String {
    frame_high(title, body, H)
}

/// A chart `h` units high (a legend-only chart is as high as its legend).
fn frame_high(title: &str, body: &str, h: f64) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {W} {h}\" width=\"{W}\" height=\"{h}\" role=\"img\" aria-label=\"{t}\" {FONT}>\
<rect width=\"{W}\" height=\"{h}\" fill=\"#fff\"/><text x=\"{PAD_L}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{t}</text>{body}</svg>",
        t = esc(title)
    )
}

fn y_axis(lo: f64, hi: f64, unit: &str) -> (String, impl Fn(f64) -> f64) {
    let t = ticks(lo.min(0.0_f64.max(lo)), hi);
    let (a, b) = (t.first().copied().unwrap_or(lo), t.last().copied().unwrap_or(hi));
    let span = if (b - a).abs() < 1e-12 { 1.0 } else { b - a };
    let y = move |v: f64| PAD_T + (H - PAD_T - PAD_B) * (1.0 - (v - a) / span);
    let mut s = String::new();
    for v in &t {
        let yy = y(*v);
        s.push_str(&format!("<line x1=\"{PAD_L}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#e5e7eb\"/>", W - PAD_R));
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"end\" fill=\"#57606a\">{}</text>",
            PAD_L - 6.0,
            yy + 4.0,
            label(*v)
        ));
    }
    s.push_str(&format!("<text x=\"8\" y=\"{}\" font-size=\"13\" fill=\"#57606a\">{}</text>", PAD_T - 8.0, esc(unit)));
    (s, y)
}

/// Lines over periods: `series` = (name, values per period; NaN = missing).
pub fn trend(title: &str, unit: &str, periods: &[String], series: &[(String, Vec<f64>)]) -> String {
    let vals: Vec<f64> = series.iter().flat_map(|s| s.1.iter().copied()).filter(|v| v.is_finite()).collect();
    if vals.is_empty() || periods.is_empty() {
        return frame(title, "<text x=\"70\" y=\"150\" font-size=\"13\">无数据 (no data)</text>");
    }
    let (lo, hi) = vals.iter().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    let (mut body, y) = y_axis(lo, hi, unit);
    let n = periods.len();
    let x = |i: usize| if n == 1 { (PAD_L + W - PAD_R) / 2.0 } else { PAD_L + (W - PAD_L - PAD_R) * i as f64 / (n - 1) as f64 };
    let every = n.div_ceil(10).max(1);
    // Every `every`-th period and the last, without one that would print over the last.
    for (i, p) in periods.iter().enumerate().filter(|(i, _)| *i == n - 1 || (i % every == 0 && n - 1 - i >= every)) {
        body.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#57606a\">{}</text>",
            x(i),
            H - PAD_B + 18.0,
            esc(p)
        ));
    }
    for (k, (name, v)) in series.iter().enumerate() {
        let color = COLORS[k % COLORS.len()];
        // Printed in black and white, lines still differ: each has its dash and marker.
        let dash = DASHES[k % DASHES.len()];
        let pts: Vec<String> =
            v.iter().enumerate().filter(|(_, v)| v.is_finite()).map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v))).collect();
        if pts.len() > 1 {
            body.push_str(&format!(
                "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\" points=\"{}\"/>",
                pts.join(" ")
            ));
        }
        for (i, val) in v.iter().enumerate().filter(|(_, v)| v.is_finite()) {
            let tip = format!("{name} {}: {}", periods[i], label(*val));
            body.push_str(&marker(k, x(i), y(*val), color, &tip));
        }
        let lx = PAD_L + 160.0 * k as f64;
        body.push_str(&format!(
            "<line x1=\"{lx}\" x2=\"{}\" y1=\"{y0}\" y2=\"{y0}\" stroke=\"{color}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\"/>",
            lx + 24.0,
            y0 = H - 14.0
        ));
        body.push_str(&marker(k, lx + 12.0, H - 14.0, color, name));
        body.push_str(&format!("<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"{color}\">{}</text>", lx + 30.0, H - 9.0, esc(name)));
    }
    frame(title, &body)
}

/// Bars, one per label (regions, categories), largest first when `sort`.
pub fn bars(title: &str, unit: &str, items: &[(String, f64)], sort: bool) -> String {
    let mut items: Vec<(String, f64)> = items.iter().filter(|(_, v)| v.is_finite()).cloned().collect();
    if items.is_empty() {
        return frame(title, "<text x=\"70\" y=\"150\" font-size=\"13\">无数据 (no data)</text>");
    }
    if sort {
        items.sort_by(|a, b| b.1.total_cmp(&a.1));
    }
    items.truncate(20);
    let hi = items.iter().map(|i| i.1).fold(0.0, f64::max);
    let lo = items.iter().map(|i| i.1).fold(0.0, f64::min);
    let (mut body, y) = y_axis(lo, hi, unit);
    let n = items.len() as f64;
    let slot = (W - PAD_L - PAD_R) / n;
    let bw = (slot * 0.7).min(60.0);
    for (i, (name, v)) in items.iter().enumerate() {
        let cx = PAD_L + slot * (i as f64 + 0.5);
        let (y0, y1) = (y(0.0), y(*v));
        let (top, h) = if y1 < y0 { (y1, y0 - y1) } else { (y0, y1 - y0) };
        body.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {}</title></rect>",
            cx - bw / 2.0,
            h.max(0.5),
            COLORS[0],
            esc(name),
            label(*v)
        ));
        body.push_str(&format!("<text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>", top - 4.0, label(*v)));
        body.push_str(&format!(
            "<text x=\"{cx:.1}\" y=\"{}\" font-size=\"13\" text-anchor=\"middle\">{}</text>",
            H - PAD_B + 18.0,
            esc(name)
        ));
    }
    frame(title, &body)
}

/// Shares of a whole as one stacked bar with a legend (readable for many parts).
pub fn shares(title: &str, unit: &str, items: &[(String, f64)]) -> String {
    let mut items: Vec<(String, f64)> = items.iter().filter(|(_, v)| v.is_finite() && *v > 0.0).cloned().collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1));
    let total: f64 = items.iter().map(|i| i.1).sum();
    if items.is_empty() || total <= 0.0 {
        return frame(title, "<text x=\"70\" y=\"150\" font-size=\"13\">无数据 (no data)</text>");
    }
    let mut body = String::new();
    let (x0, width, y0, bh) = (PAD_L, W - PAD_L - PAD_R, 50.0, 36.0);
    let mut x = x0;
    for (i, (name, v)) in items.iter().enumerate() {
        let w = width * v / total;
        let color = COLORS[i % COLORS.len()];
        body.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{y0}\" width=\"{w:.1}\" height=\"{bh}\" fill=\"{color}\"><title>{}: {} ({:.1}%)</title></rect>",
            esc(name),
            label(*v),
            100.0 * v / total
        ));
        x += w;
        let (lx, ly) = (x0 + 300.0 * (i % 2) as f64, 112.0 + 20.0 * (i / 2) as f64);
        body.push_str(&format!(
            "<rect x=\"{lx}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{color}\"/><text x=\"{}\" y=\"{ly}\" font-size=\"12\">{} {}{} ({:.1}%)</text>",
            ly - 10.0,
            lx + 18.0,
            esc(name),
            label(*v),
            esc(unit),
            100.0 * v / total
        ));
    }
    // As high as the legend: no empty band under it on the page or in Word.
    let legend_end = 112.0 + 20.0 * ((items.len() - 1) / 2) as f64 + 16.0;
    frame_high(title, &body, legend_end.max(150.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn trend_lines_differ_without_colour() {
        let periods = vec!["2007".to_string(), "2008".to_string()];
        let svg = trend("t", "人", &periods, &[("甲&乙".into(), vec![1.0, 2.0]), ("丙".into(), vec![2.0, 3.0])]);
        assert!(svg.contains("stroke-dasharray=\"none\"") && svg.contains("stroke-dasharray=\"7 4\""), "{svg}");
        assert!(svg.contains("<circle") && svg.contains("<rect x="), "a circle for the first series, squares for the second");
        assert!(svg.contains("<title>甲&amp;乙 2008: 2</title>"), "escaped once: {svg}");
        assert!(!svg.contains("font-size=\"11\""), "labels of 10pt or more");
    }
}
