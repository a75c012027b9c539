#!/usr/bin/env bash
# Times the whole `vat check` process on generated ledgers, with peak RSS from /usr/bin/time -v,
# and, when python3-openpyxl is installed, the openpyxl read-only baseline on the same file.
#
#   scripts/bench-workbook.sh            # 1,000 and 200,000 rows, cached and computed
#   RUNS=10 scripts/bench-workbook.sh
#
# Targets: computing a 200k-row ledger < 1 s and < 150 MB. A workbook with saved results is
# recomputed too (a stale saved result is refused), so cached 200k now costs about what computed
# does; cached 1k stays in tens of milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/vat" ./cmd/vat
go run ./scripts/gen-workbooks -ledger "$work/cached-1k.xlsx" -rows 1000 >/dev/null
go run ./scripts/gen-workbooks -ledger "$work/cached-200k.xlsx" -rows 200000 >/dev/null
go run ./scripts/gen-workbooks -ledger "$work/computed-200k.xlsx" -rows 200000 -cached=false >/dev/null

# measure LABEL CMD...: best wall time and the peak RSS of that run over $runs runs.
measure() {
	local label=$1
	shift
	local best="" rss=""
	for _ in $(seq "$runs"); do
		# time(1) reports wall time in hundredths; take it from the clock in nanoseconds instead.
		local start end wall kb
		start=$(date +%s%N)
		/usr/bin/time -v -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
		end=$(date +%s%N)
		wall=$(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.4f", (e-s)/1e9}')
		kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
		if [[ -z $best ]] || awk -v a="$wall" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$wall rss=$kb; fi
	done
	printf '%-34s %8.3f s %8.1f MB\n' "$label" "$best" "$(awk -v k="$rss" 'BEGIN{print k/1024}')"
}

echo "best of $runs runs; wall clock and peak RSS of the whole process"
for f in cached-1k cached-200k computed-200k; do
	measure "vat check $f" "$work/vat" check --workbook "$work/$f.xlsx"
done

# Debian's python3-openpyxl installs for the system interpreter, which may not be first on PATH.
py=python3
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import openpyxl' 2>/dev/null; then py=$p; break; fi
done
if "$py" -c 'import openpyxl' 2>/dev/null; then
	cat >"$work/openpyxl_read.py" <<'PY'
import sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1], read_only=True, data_only=True)
for n in range(1, 10):
    dn = wb.defined_names[f"Box{n}"] if hasattr(wb.defined_names, "__getitem__") else wb.defined_names.get(f"Box{n}")
    for sheet, ref in dn.destinations:
        print(n, wb[sheet][ref.replace("$", "")].value)
PY
	for f in cached-1k cached-200k; do
		measure "openpyxl read-only $f" "$py" "$work/openpyxl_read.py" "$work/$f.xlsx"
	done
else
	echo "python3-openpyxl not installed (apt-get install -y --no-install-recommends python3-openpyxl) - baseline skipped"
fi
