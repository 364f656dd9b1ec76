#!/usr/bin/env bash
# The panel benchmark side by side: yearbook against DuckDB, Polars and pandas on the
# same CSV files, alternating over several rounds, with wall time and peak RSS from
# GNU time. Fails loudly if yearbook's counts and checksums differ from DuckDB's.
#
#   bench/compare.sh [--towns 40000] [--rounds 3] [--tools "yearbook duckdb polars pandas"] [--parquet]
#
# --parquet adds yearbook and DuckDB reading the same data as Parquet files (written
# once by DuckDB from the CSV, untimed): tools yearbook-parquet and duckdb-parquet
# (DuckDB querying the files directly, its fastest configuration).
#
# Installs its own Python tools in bench/.venv (numpy, duckdb, polars, pandas) and
# generates the data with ../shared/bench/gen_panel.py into bench/data/<towns>.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${SHARED:-$root/../shared}
towns=40000
rounds=3
tools="yearbook duckdb polars pandas"
while [ $# -gt 0 ]; do
  case "$1" in
    --towns) towns=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    --parquet) tools="$tools yearbook-parquet duckdb-parquet"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
venv=$here/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check numpy duckdb polars pandas pyarrow
fi
py=$venv/bin/python

data=$here/data/$towns
if [ ! -f "$data/facts.csv" ]; then
  mkdir -p "$data"
  "$py" "$shared/bench/gen_panel.py" --towns "$towns" --out "$data"
fi

(cd "$root" && cargo build --release --quiet)
yb=$root/target/release/yearbook
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

case " $tools " in *-parquet*)
  # The Parquet files, written once by DuckDB (untimed), and the bench config reading them.
  [ -f "$data/facts.parquet" ] || "$py" "$shared/bench/anchor_duckdb_parquet.py" "$data" > /dev/null
  mkdir -p "$out/pq/scripts"
  cp "$root/config/bench/indicators.csv" "$out/pq/"
  cp "$root/config/bench/scripts/bench.rhai" "$out/pq/scripts/"
  sed -e 's/"\(regions\|facts\|targets\|reported_growth\)\.csv"/"\1.parquet"/' "$root/config/bench/panel.toml" > "$out/pq/panel.toml"
  grep -q '"facts.parquet"' "$out/pq/panel.toml" || { echo "could not point the bench config at Parquet files" >&2; exit 1; }
esac

run_tool() { # tool -> prints "seconds max_rss_kb" and leaves its stdout in $out/$1.txt
  local tool=$1
  case "$tool" in
    yearbook) cmd=("$yb" run -c "$root/config/bench/panel.toml" --data "$data" --out "$out/yb" --format json --fail-on never --verbose) ;;
    yearbook-parquet) cmd=("$yb" run -c "$out/pq/panel.toml" --data "$data" --out "$out/ybp" --format json --fail-on never --verbose) ;;
    duckdb|polars|pandas) cmd=("$py" "$shared/bench/anchor_$tool.py" "$data") ;;
    duckdb-parquet) cmd=("$py" "$shared/bench/anchor_duckdb_parquet.py" "$data") ;;
  esac
  /usr/bin/time -f "%e %M" -o "$out/$tool.time" "${cmd[@]}" > "$out/$tool.txt" 2> "$out/$tool.err"
  cat "$out/$tool.time"
}

declare -A best_s best_kb
for r in $(seq 1 "$rounds"); do
  for tool in $tools; do
    case "$tool" in yearbook*) ;; *) "$py" -c "import ${tool%-parquet}" 2>/dev/null || continue ;; esac
    read -r s kb < <(run_tool "$tool")
    echo "round $r $tool: ${s} s, $((kb / 1024)) MB $(grep -ho 'load_s=[0-9.]* compute_s=[0-9.]*' "$out/$tool.txt" "$out/$tool.err" 2>/dev/null | head -1)" >&2
    if [ -z "${best_s[$tool]:-}" ] || awk "BEGIN{exit !($s < ${best_s[$tool]})}"; then best_s[$tool]=$s; fi
    if [ -z "${best_kb[$tool]:-}" ] || [ "$kb" -gt "${best_kb[$tool]}" ]; then best_kb[$tool]=$kb; fi
  done
done

# yearbook's answers, from findings.json, in the anchors' format; each must equal DuckDB's.
sums() {
"$py" - "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
rules = {r["rule"]: r for r in j["rules"]}
for r in rules.values():
    if r["error"]: sys.exit(f"rule {r['rule']} failed: {r['error']}")
note = lambda rule: next(f for f in j["findings"] if f["rule"] == rule)
y = note("yoy_all")["values"]
print(f"yoy_rows={int(y['rows']['value'])} violations={rules['reported_gdp_growth']['fails']} "
      f"under_target={rules['fiscal_target']['fails']} top_rows={rules['top_gdp_growth']['notes']} "
      f"yoy_sum={y['value']['value']:.6e} province_sum={note('rollups')['values']['value']['value']:.6e}")
PY
}
for pair in "yearbook:yb:duckdb" "yearbook-parquet:ybp:duckdb-parquet"; do
  IFS=: read -r tool dir anchor <<< "$pair"
  [ -f "$out/$dir/findings.json" ] && [ -f "$out/$anchor.txt" ] || continue
  want=$(grep -o 'yoy_rows=.*' "$out/$anchor.txt")
  got=$(sums "$out/$dir/findings.json")
  echo "$anchor: $want"
  echo "$tool: $got"
  [ "$want" = "$got" ] || { echo "MISMATCH: $tool's counts or checksums differ from $anchor's" >&2; exit 1; }
done

echo
# Each tool against DuckDB on the same input: CSV tools against duckdb, Parquet ones
# against duckdb-parquet.
printf "%-17s %10s %12s %14s %12s\n" tool "wall s" "peak MB" "vs duckdb t" "vs duckdb mem"
for tool in $tools; do
  [ -n "${best_s[$tool]:-}" ] || continue
  ratio_t=-; ratio_m=-
  case "$tool" in *-parquet) anchor=duckdb-parquet ;; *) anchor=duckdb ;; esac
  if [ -n "${best_s[$anchor]:-}" ]; then
    ratio_t=$(awk "BEGIN{printf \"%.2fx\", ${best_s[$anchor]} / ${best_s[$tool]}}")
    ratio_m=$(awk "BEGIN{printf \"%.2fx\", ${best_kb[$anchor]} / ${best_kb[$tool]}}")
  fi
  printf "%-17s %10s %12s %14s %12s\n" "$tool" "${best_s[$tool]}" "$((best_kb[$tool] / 1024))" "$ratio_t" "$ratio_m"
done
for tool in duckdb duckdb-parquet polars pandas; do [ -f "$out/$tool.txt" ] && echo "$tool: $(cat "$out/$tool.txt")"; done
for tool in yearbook-parquet; do [ -f "$out/$tool.err" ] && echo "$tool: $(grep -ho 'load_s=[0-9.]* compute_s=[0-9.]*' "$out/$tool.err" | head -1)"; done
yc=$(grep -o 'compute_s=[0-9.]*' "$out/yearbook.err" | cut -d= -f2)
yl=$(grep -o 'load_s=[0-9.]*' "$out/yearbook.err" | cut -d= -f2)
echo "yearbook: load_s=$yl compute_s=$yc (last round)"
if [ -f "$out/duckdb.txt" ] && [ -n "$yc" ]; then
  dc=$(grep -o 'compute_s=[0-9.]*' "$out/duckdb.txt" | cut -d= -f2)
  echo "compute after loading, last round: duckdb ${dc} s / yearbook ${yc} s = $(awk "BEGIN{printf \"%.1fx\", $dc / $yc}")"
fi
echo "(wall: best of $rounds rounds; peak: largest; ratios > 1 mean yearbook is faster / smaller)"
