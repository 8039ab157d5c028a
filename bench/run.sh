#!/usr/bin/env bash
# Measures auditpack on synthetic projects of growing size and prints the
# figures docs/performance.md reports:
#
#   - the machine: cores, CPU model, memory, load, Go version;
#   - per scale (x1, x10, x100 by default): wall time and peak memory of a
#     full signed `auditpack build` and of `auditpack evidence verify`
#     (GNU time -v), and the SHA-256 throughput of `openssl dgst -sha256`
#     over the same evidence files with as many parallel processes as
#     cores, from a warm page cache for both, so the ratio compares hashing
#     and not the disk;
#   - the stage benchmarks of bench/stages_test.go (go test -bench);
#   - the targets of docs/performance.md, each next to its measured figure
#     and the ratio, all from this one run: peak RSS and wall time of the
#     signed build at x10 and x100 (wall against one `openssl dgst -sha256`
#     process over the same evidence files), `auditpack diff` of two x100
#     packages as directories and as zips, `auditpack check --format sarif`
#     at x100, the size of results.json at x100, and evidence verify against
#     `xargs -P cores openssl dgst` and `openssl speed -multi cores`.
#
# Usage: bench/run.sh [WORKDIR]        (default: /tmp/auditpack-bench)
#   SCALES="1 10 100"    scales of the whole-run measurements
#   STAGE_SCALES="1,10"  scales of the stage benchmarks (empty: none; add 100 for the
#                        large one; it writes 3.2 GiB more and takes minutes)
# Projects are generated once per WORKDIR and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/auditpack-bench}
scales=${SCALES:-1 10 100}
stage_scales=${STAGE_SCALES-1,10}
# big is the scale whose packages the diff targets compare.
big=${BIG_SCALE:-100}
mkdir -p "$work"

if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq time >/dev/null
  else
    echo "bench: /usr/bin/time (GNU time) is missing: apt-get install time" >&2
    exit 1
  fi
fi
command -v openssl >/dev/null || { echo "bench: openssl is missing" >&2; exit 1; }

cores=$(nproc)
echo "## Machine"
echo
echo "- cores: $cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
echo "- SHA extensions: $(grep -qm1 -w sha_ni /proc/cpuinfo && echo yes || echo no)"
echo "- memory: $(free -g | awk '/^Mem:/ {print $2 " GiB total, " $7 " GiB available"}')"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $(go version)"
echo

go build -o "$work/auditpack" ./cmd/auditpack
if [ ! -f "$work/key/signing-key.pem" ]; then
  "$work/auditpack" keygen --out "$work/key" --days 3650 >/dev/null
fi

# measure LABEL CMD... runs CMD under GNU time; prints "seconds kilobytes".
measure() {
  local log="$work/time.log"
  /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1 || true
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  echo "$wall $rss"
}

echo "## Whole runs"
echo
echo "| scale | components | flows | evidence files | evidence | build (s) | build peak RSS (MiB) | verify (s) | verify peak RSS (MiB) | verify MB/s | openssl MB/s | ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for s in $scales; do
  dir="$work/p$s"
  [ -f "$dir/auditpack.yaml" ] || go run ./bench/synth --scale "$s" --out "$dir" >/dev/null
  ev="$dir/evidence"
  bytes=$(find "$ev" -type f ! -name manifest.json -printf '%s\n' | awk '{s+=$1} END {print s}')
  files=$(find "$ev" -type f ! -name manifest.json | wc -l)
  comps=$(grep -c '"kind": "\(process\|datastore\|external-entity\)"' "$dir/model.json" || true)
  flows=$(grep -c '"source":' "$dir/model.json" || true)
  # Warm the page cache so both hashers read from memory.
  find "$ev" -type f -print0 | xargs -0 cat >/dev/null
  read -r vt vr < <(measure "$work/auditpack" evidence verify --quiet --as-of 2026-11-15 "$ev")
  start=$(date +%s.%N)
  find "$ev" -type f ! -name manifest.json -print0 | xargs -0 -P "$cores" -n 64 openssl dgst -sha256 >/dev/null
  ot=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')
  rm -rf "$work/out$s"
  read -r bt br < <(measure "$work/auditpack" build --quiet --config "$dir/auditpack.yaml" \
    --key "$work/key/signing-key.pem" --cert "$work/key/signing-cert.pem" --out "$work/out$s")
  [ -f "$work/out$s/SHA256SUMS.p7s" ] || echo "bench: build at x$s wrote no package" >&2
  awk -v s="$s" -v c="$comps" -v f="$flows" -v n="$files" -v b="$bytes" -v bt="$bt" -v br="$br" \
      -v vt="$vt" -v vr="$vr" -v ot="$ot" 'BEGIN {
    vm = b / 1e6 / vt; om = b / 1e6 / ot
    printf "| x%s | %d | %d | %d | %.0f MiB | %.1f | %.0f | %.2f | %.0f | %.0f | %.0f | %.0f%% |\n",
      s, c, f, n, b / 1048576, bt, br / 1024, vt, vr / 1024, vm, om, 100 * vm / om }'
  # Figures the targets table needs, kept per scale.
  one_start=$(date +%s.%N)
  find "$ev" -type f ! -name manifest.json -print0 | xargs -0 -n 64 openssl dgst -sha256 >/dev/null
  ot1=$(awk -v a="$one_start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')
  rsize=$(stat -c %s "$work/out$s/results.json" 2>/dev/null || echo 0)
  eval "build_rss_$s=$br build_wall_$s=$bt openssl1_$s=$ot1 results_$s=$rsize verify_mbs_$s=$(awk -v b="$bytes" -v t="$vt" 'BEGIN {print b/1e6/t}') openssl_mbs_$s=$(awk -v b="$bytes" -v t="$ot" 'BEGIN {print b/1e6/t}')"
  read -r ct cr < <(measure "$work/auditpack" check --quiet --config "$dir/auditpack.yaml" --format sarif --fail-on none)
  eval "sarif_rss_$s=$cr"
  if [ "$s" = "$big" ]; then
    # A second package of the same system a quarter later, for diff.
    rm -rf "$work/out${s}b" "$work/out${s}b.zip"
    "$work/auditpack" build --quiet --config "$dir/auditpack.yaml" --as-of 2027-02-15 --zip \
      --key "$work/key/signing-key.pem" --cert "$work/key/signing-cert.pem" --out "$work/out${s}b" >/dev/null 2>&1 || true
    rm -rf "$work/out${s}z" "$work/out${s}z.zip"
    "$work/auditpack" build --quiet --config "$dir/auditpack.yaml" --zip \
      --key "$work/key/signing-key.pem" --cert "$work/key/signing-cert.pem" --out "$work/out${s}z" >/dev/null 2>&1 || true
    read -r dt dr < <(measure "$work/auditpack" diff "$work/out$s" "$work/out${s}b")
    read -r zt zr < <(measure "$work/auditpack" diff "$work/out${s}z.zip" "$work/out${s}b.zip")
    diff_ok=$("$work/auditpack" diff "$work/out$s" "$work/out${s}b" >/dev/null 2>&1; echo $?)
  fi
done
echo
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

speed=$(openssl speed -multi "$cores" -evp sha256 -bytes 1048576 -seconds 3 2>/dev/null |
  awk '/^sha256|^SHA256/ {v=$NF; sub(/k$/, "", v); print v * 1000 / 1e6}' | tail -1)
echo "## Targets (this run)"
echo
echo "| target | limit | measured | ratio to limit |"
echo "|---|---|---|---|"
row() { awk -v n="$1" -v l="$2" -v m="$3" -v u="$4" 'BEGIN {
  if (m == "" || m == 0) { printf "| %s | %s %s | not measured | |\n", n, l, u; exit }
  printf "| %s | %s %s | %.1f %s | %.2f |\n", n, l, u, m, u, m / l }'; }
get() { eval "echo \${$1:-}"; }
for s in $scales; do
  case $s in 10) lim=150 ;; 100) lim=500 ;; *) lim= ;; esac
  if [ -n "$lim" ]; then row "x$s signed build, peak RSS" "$lim" "$(awk -v k="$(get build_rss_$s)" 'BEGIN {print k/1024}')" MiB; fi
  if [ "$s" = "$big" ]; then
    awk -v s="$s" -v w="$(get build_wall_$s)" -v o="$(get openssl1_$s)" 'BEGIN {
      if (o > 0) printf "| x%s signed build, wall / one openssl dgst over the evidence | 5 | %.1f s / %.1f s = %.2f | %.2f |\n", s, w, o, w / o, w / o / 5 }'
    row "x$s check --format sarif, peak RSS" 400 "$(awk -v k="$(get sarif_rss_$s)" 'BEGIN {print k/1024}')" MiB
    row "x$s results.json" 300 "$(awk -v b="$(get results_$s)" 'BEGIN {print b/1e6}')" MB
    row "x$s diff (directories), peak RSS" 500 "$(awk -v k="${dr:-0}" 'BEGIN {print k/1024}')" MiB
    row "x$s diff (directories), wall" 15 "${dt:-0}" s
    row "x$s diff (zips), peak RSS" 500 "$(awk -v k="${zr:-0}" 'BEGIN {print k/1024}')" MiB
    row "x$s diff (zips), wall" 15 "${zt:-0}" s
    echo "| x$s diff exit code (0 = compared) | 0 | ${diff_ok:-not run} | |"
    awk -v s="$s" -v v="$(get verify_mbs_$s)" -v o="$(get openssl_mbs_$s)" -v sp="$speed" 'BEGIN {
      printf "| x%s evidence verify / xargs -P openssl dgst | ≥ 1 (floor) | %.0f MB/s / %.0f MB/s | %.2f |\n", s, v, o, v / o
      if (sp > 0) printf "| x%s evidence verify / openssl speed -multi | towards 1 | %.0f MB/s / %.0f MB/s | %.2f |\n", s, v, sp, v / sp }'
  fi
done
echo

[ -n "$stage_scales" ] || exit 0
echo "## Stages (go test -bench, scales $stage_scales)"
echo
echo '```'
AUDITPACK_BENCH_SCALES="$stage_scales" go test -run '^$' -bench . -benchtime 3x -benchmem -timeout 2h ./bench/ |
  grep -E '^Benchmark'
echo '```'
