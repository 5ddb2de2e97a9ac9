#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# perf.sh YOURS_DIR REF_DIR OUT_DIR: lab 05's measure-and-plot step. Runs lab05-pipeline (the
# forwarding pipeline on the in-memory path, RX on core 0, TX on core 1) for batch 1, 8 and 32:
# first with no ring at all (one thread: the source's own ceiling), then through your ring,
# the reference ring and the mutex ring, in alternating rounds (LAB05_ROUNDS, default 3),
# and grades the median of yours against the median of the reference of this same run.
# Writes OUT_DIR/perf.csv (every trial), OUT_DIR/summary.csv and OUT_DIR/rings.png.
set -uo pipefail
yours=$1 ref=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../perf-lib.sh"
rounds=${LAB05_ROUNDS:-3}
ratio=${LAB05_PERF_RATIO:-0.7}
dur=${LAB05_DURATION:-500ms}
batches="1 8 32"
mkdir -p "$out"
raw=$out/perf.csv
echo "who,batch,mpps" > "$raw"

trial() { # who binary ring batch
	local line
	line=$("$2" --ring "$3" --batch "$4" --duration "$dur" 2>/dev/null) || line=""
	echo "$1,$4,$(echo "${line:-x,0,0}" | cut -d, -f3)" >> "$raw"
}

echo "== lab 05 perf: $rounds rounds of ${dur} per point, batch $batches (about $((rounds * 12 * ${dur%ms} / 1000 + 5)) s)"
for r in $(seq "$rounds"); do
	for b in $batches; do
		trial ceiling "$ref/pipeline" none "$b"
		trial reference "$ref/pipeline" lab05 "$b"
		trial yours "$yours/pipeline" lab05 "$b"
		trial mutex "$ref/pipeline" mutex "$b"
	done
	echo "  round $r of $rounds done"
done

sum=$out/summary.csv
echo "batch,ceiling,ceiling_min,ceiling_max,reference,reference_min,reference_max,yours,yours_min,yours_max,mutex,mutex_min,mutex_max" > "$sum"
for b in $batches; do
	row=$b
	for who in ceiling reference yours mutex; do
		row="$row,$(median_of "$raw" "$who,$b" | tr ' ' ',')"
	done
	echo "$row" >> "$sum"
done
echo "== medians (Mpps through the pipeline; ceiling = one thread, no ring):"
table_print "$sum"

rc=0
echo "== grade: your ring against the reference, same run"
while IFS=, read -r b _ _ _ refm _ _ yourm _ _ _ _ _; do
	[ "$b" = batch ] && continue
	grade "batch $b" "$yourm" "$refm" "$ratio" || rc=1
done < "$sum"

if command -v gnuplot >/dev/null; then
	gnuplot -e "sum='$sum'; png='$out/rings.png'" "$here/rings.gp" && echo "== plot: $out/rings.png"
fi
[ "$rc" = 0 ] && echo "== lab 05 perf: PASS" || echo "== lab 05 perf: FAIL (your ring is slower than ${ratio} x the reference)"
exit "$rc"
