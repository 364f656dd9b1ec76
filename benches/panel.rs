//! Panel benchmark (issue 2): generates a deterministic panel shaped like
//! ../shared/bench/gen_panel.py (40,000 towns, ~2,857 counties, 31 provinces, 20 years,
//! 20 indicators, ~1% missing: about 16M facts), then measures CSV load throughput, peak
//! RSS, `yoy` over every indicator and a full roll-up to county and province.
//!
//! Run: `cargo bench --bench panel [-- --towns N]`. Data is cached in target/bench-data.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64: fast, deterministic, good enough for synthetic data.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.unit().max(1e-300), self.unit());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

fn generate(dir: &Path, towns: usize, years: usize, inds: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let n_cty = (towns / 14).max(31);
    let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("regions.csv"))?);
    writeln!(w, "code,name,level,parent")?;
    for p in 0..31 {
        writeln!(w, "p{p:02},Province p{p:02},province,")?;
    }
    for c in 0..n_cty {
        writeln!(w, "c{c:05},County c{c:05},county,p{:02}", c % 31)?;
    }
    for t in 0..towns {
        writeln!(w, "t{t:06},Town t{t:06},town,c{:05}", t % n_cty)?;
    }
    let names: Vec<String> =
        ["gdp", "population", "fiscal_revenue"].iter().map(|s| s.to_string()).chain((3..inds).map(|k| format!("ind{k:02}"))).collect();
    let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("indicators.csv"))?);
    writeln!(w, "code,label,unit,kind,rollup")?;
    for n in &names {
        writeln!(w, "{n},{n},万元,flow,sum")?;
    }
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join("facts.csv"))?);
    writeln!(w, "region,year,indicator,value")?;
    let mut rng = Rng(20261129);
    for (k, name) in names.iter().enumerate() {
        let _ = k;
        for t in 0..towns {
            let mut v = (3.0 + rng.normal()).exp();
            for y in 0..years {
                if y > 0 {
                    v *= (0.06 + 0.08 * rng.normal()).exp();
                }
                if rng.unit() >= 0.01 {
                    writeln!(w, "t{t:06},{},{name},{v:.4}", 2005 + y)?;
                }
            }
        }
    }
    w.flush()?;
    std::fs::write(
        dir.join("yearbook.toml"),
        "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n",
    )?;
    Ok(())
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let towns = args.iter().position(|a| a == "--towns").and_then(|i| args.get(i + 1)).and_then(|s| s.parse().ok()).unwrap_or(40_000usize);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-data/panel-{towns}"));
    if !dir.join("yearbook.toml").exists() {
        let t = Instant::now();
        generate(&dir, towns, 20, 20).expect("generate panel");
        eprintln!("generated {} in {:.1} s", dir.display(), t.elapsed().as_secs_f64());
    }
    let rss0 = peak_rss_mb();
    let t = Instant::now();
    let ws = yearbook::Workspace::open(&dir.join("yearbook.toml"), None).expect("load");
    let load_s = t.elapsed().as_secs_f64();
    let rss_load = peak_rss_mb();
    let panel = ws.panel();
    let mb = ws.stats.fact_bytes as f64 / 1e6;
    let raw_mb = panel.n_facts as f64 * 8.0 / 1e6;
    let ctx = &ws.data;
    let n_ind = panel.indicators.len();
    let series: Vec<_> = (0..n_ind).map(|i| ctx.indicator_series(i)).collect();

    // yoy over every indicator, native kernels (best of 5).
    let mut yoy_s = f64::MAX;
    let mut checksum = 0.0;
    for _ in 0..5 {
        let t = Instant::now();
        let mut sum = 0.0;
        let mut kernel_s = 0.0;
        for s in &series {
            let t = Instant::now();
            let g = yearbook::kernel::time::growth(s, 1).expect("yoy");
            kernel_s += t.elapsed().as_secs_f64();
            sum += g.data.iter().filter(|v| !v.is_nan()).sum::<f64>();
        }
        let _ = t;
        yoy_s = yoy_s.min(kernel_s);
        checksum = sum;
    }
    // The same through Rhai: one script evaluation per indicator.
    let t = Instant::now();
    for ind in &panel.indicators {
        ws.eval(&format!("yoy({})", ind.code)).expect("rhai yoy");
    }
    let yoy_rhai_s = t.elapsed().as_secs_f64();
    // Roll-up of every indicator to county and province.
    let county = panel.regions().find_level("county").expect("level");
    let province = panel.regions().find_level("province").expect("level");
    let mut roll_s = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        for s in &series {
            yearbook::kernel::rollup::rollup(s, county).expect("rollup");
            yearbook::kernel::rollup::rollup(s, province).expect("rollup");
        }
        roll_s = roll_s.min(t.elapsed().as_secs_f64());
    }
    // The per-cell fallback: a closure over every cell of one indicator, compiled (the
    // arithmetic closure) and through the script engine (the same arithmetic beside a
    // string, which the compiler refuses), against the same arithmetic as a kernel.
    let cells = panel.regions().len() * panel.periods().len;
    let t = Instant::now();
    ws.eval("map(gdp, |x| x * 2.0 + 1.0)").expect("map");
    let map_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    ws.eval("map(gdp, |x| { let unused = \"\"; x * 2.0 + 1.0 })").expect("map");
    let engine_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    ws.eval("gdp * 2.0 + 1.0").expect("kernel");
    let kernel_s = t.elapsed().as_secs_f64();
    println!(
        "per_cell_map_s={map_s:.3} ({:.2}M cells/s) engine_map_s={engine_s:.3} ({:.2}M cells/s) native_s={kernel_s:.4} ({:.0}M cells/s) ratio={:.0}x",
        cells as f64 / map_s / 1e6,
        cells as f64 / engine_s / 1e6,
        cells as f64 / kernel_s / 1e6,
        map_s / kernel_s
    );
    let rss_end = peak_rss_mb();
    println!("towns={towns} regions={} periods={} indicators={n_ind} facts={}", panel.regions().len(), panel.periods().len, panel.n_facts);
    println!("load_s={load_s:.3} csv_mb={mb:.1} throughput_mb_s={:.0}", mb / load_s);
    println!(
        "raw_f64_mb={raw_mb:.1} panel_mb={:.1} peak_rss_mb_before={rss0:.1} after_load={rss_load:.1} end={rss_end:.1} ratio_to_raw={:.2}",
        panel.bytes() as f64 / 1e6,
        rss_end / raw_mb
    );
    println!(
        "yoy_all_native_s={yoy_s:.4} cells_per_s={:.0}M yoy_all_rhai_s={yoy_rhai_s:.4} yoy_checksum={checksum:.6e}",
        (panel.bytes() / 8) as f64 / yoy_s / 1e6
    );
    println!("rollup_county_and_province_all_s={roll_s:.4}");
}
