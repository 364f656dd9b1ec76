#!/usr/bin/env bash
# yearbook against DuckDB on a many-core machine that has Python 3.12 with numpy but no
# DuckDB and no network (the device of issue 16). Two steps:
#
#   bench/many_cores.sh pack [DIR]      here, with network: builds the release binary and
#                                       puts it, the bench config, ../shared/bench's scripts
#                                       and a DuckDB wheel for CPython 3.12 into DIR
#                                       (default .manycores, git-ignored, ~35 MB)
#   bench/many_cores.sh measure [DIR]   there: generates the panels with gen_panel.py and
#                                       prints, for 40k and 160k towns, wall time, peak RSS
#                                       and yearbook's load/compute split beside DuckDB on
#                                       CSV and on Parquet, then the scaling over 1, 2, 4, 8
#                                       and all cores at 40k; checks that every yearbook run
#                                       gives the same counts and checksums as DuckDB and
#                                       that findings.json is byte-identical between 1
#                                       thread and all threads, and between CSV and Parquet.
#
# With the device tool: run `bench/many_cores.sh pack` here, then one call such as
#   run(command="bash bench/many_cores.sh measure", carry=[".manycores"], timeout_s=600)
# TOWNS="2000" SCALE_AT=2000 tries it small. About 6-8 minutes on 16 cores. Nothing else depends on it; tests never call it.
set -u
mode=${1:-}
D=${2:-.manycores}
here=$(cd "$(dirname "$0")/.." && pwd)

if [ "$mode" = pack ]; then
  set -e
  shared="$here/../shared/bench"
  (cd "$here" && cargo build --release --locked)
  rm -rf "$D"; mkdir -p "$D/whl" "$D/benchcfg"
  cp "$here/target/release/yearbook" "$D/yearbook"; strip "$D/yearbook" 2>/dev/null || true
  cp -r "$here/config/bench/." "$D/benchcfg/"
  cp "$shared/gen_panel.py" "$shared/anchor_duckdb.py" "$shared/anchor_duckdb_parquet.py" "$D/"
  # The DuckDB that bench/compare.sh measures with (its venv), else the newest.
  ver=$("$here/bench/.venv/bin/python" -c 'import duckdb; print("==" + duckdb.__version__)' 2>/dev/null || true)
  python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
    --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 -d "$D/whl" "duckdb$ver"
  du -sh "$D"
  exit 0
fi
[ "$mode" = measure ] || { echo "usage: bench/many_cores.sh pack|measure [DIR]" >&2; exit 2; }

PY=python3; N=$(nproc)
# The carried wheel, unless a DuckDB is installed already.
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site "$D"/whl/*.whl || exit 3
export PYTHONPATH=/tmp/site
$PY -c 'import os, numpy, duckdb; print("cores", os.cpu_count(), "numpy", numpy.__version__, "duckdb", duckdb.__version__)' || exit 3
# The Parquet config: the same rules over the .parquet files DuckDB writes.
sed -e 's/"\(regions\|facts\|targets\|reported_growth\)\.csv"/"\1.parquet"/' "$D/benchcfg/panel.toml" > "$D/benchcfg/panel_parquet.toml"

# t.py ENV CMD...: wall time, peak RSS of the child, and the lines worth keeping.
cat > /tmp/t.py <<'PY'
import resource, subprocess, sys, time, os
env = dict(os.environ)
for kv in sys.argv[1].split(","):
    if kv: k, v = kv.split("="); env[k] = v
t = time.perf_counter(); p = subprocess.run(sys.argv[2:], capture_output=True, text=True, env=env); e = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
out = (p.stdout + p.stderr).strip().splitlines()
keep = [l for l in out if "timings" in l or "yoy_rows" in l or "load" in l and "duckdb" not in l]
print(f"{e:.3f}s {rss}MB rc={p.returncode} | " + " ".join(keep)[:300])
PY
# yearbook: yb ENV CPUS CONFIG DATA OUT
yb() { $PY /tmp/t.py "$1" ${2:+taskset -c $2} "$D/yearbook" run -c "$3" --data "$4" --out "$5" --format json --fail-on never --verbose; }
dk() { $PY /tmp/t.py "" ${1:+taskset -c $1} $PY "$D/anchor_duckdb.py" "$2"; }
dp() { $PY /tmp/t.py "" ${1:+taskset -c $1} $PY "$D/anchor_duckdb_parquet.py" "$2"; }
same() {  # same A B: findings.json equal once the config's path is set aside
  if cmp -s <(sed 's|panel_parquet.toml|panel.toml|' "$1/findings.json") <(sed 's|panel_parquet.toml|panel.toml|' "$2/findings.json"); then echo "identical: $1 $2"; else echo "DIFFERENT: $1 $2"; fi
}
for T in ${TOWNS:-40000 160000}; do
  P=/tmp/p$T
  $PY "$D/gen_panel.py" --towns $T --out $P >/dev/null || exit 4
  $PY "$D/anchor_duckdb_parquet.py" $P >/dev/null   # writes the .parquet files (untimed)
  echo "== $T towns, $N cores ($(du -sm $P/*.csv | awk '{s+=$1} END {print s}') MB of CSV)"
  for r in 1 2; do
    echo -n "yearbook csv:     "; yb "" "" "$D/benchcfg/panel.toml" $P /tmp/o_csv
    echo -n "yearbook parquet: "; yb "" "" "$D/benchcfg/panel_parquet.toml" $P /tmp/o_pq
    echo -n "duckdb csv:       "; dk "" $P
    echo -n "duckdb parquet:   "; dp "" $P
  done
  same /tmp/o_csv /tmp/o_pq
  if [ $T = "${SCALE_AT:-40000}" ]; then
    for c in 1 2 4 8; do
      [ $c -le $N ] || continue
      echo -n "yearbook csv $c cores:     "; yb "RAYON_NUM_THREADS=$c" "0-$((c-1))" "$D/benchcfg/panel.toml" $P /tmp/o_$c
      echo -n "yearbook parquet $c cores: "; yb "RAYON_NUM_THREADS=$c" "0-$((c-1))" "$D/benchcfg/panel_parquet.toml" $P /tmp/o_pq_$c
    done
    for c in 1 2 8; do [ $c -le $N ] && { echo -n "duckdb csv $c cores:       "; dk "0-$((c-1))" $P; }; done
    same /tmp/o_1 /tmp/o_csv
    same /tmp/o_pq_1 /tmp/o_pq
  fi
  rm -rf $P
done
