#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check.sh BIN LAB VARIANT PRIOR LABDIR...: runs a lab's Criterion binary (the tests of the lab and
# of every earlier one, built under ASan/UBSan by lab.mk) with a time limit, then names what is
# unfinished: the failing tests grouped by lab and task (suites are named labNN_taskT), and the
# TODO(lab-NN) markers still in the student's files. Exit 0 when every test passed, 1 otherwise.
set -uo pipefail
bin=$1 lab=$2 variant=$3 prior=$4
shift 4
limit=${LAB_CHECK_TIMEOUT:-300}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

name() { [ "$1" = starter ] && echo "your code" || echo "the reference solution"; }
echo "== check $lab ($(name "$variant"); earlier labs: $(name "$prior"))${LAB_FILTER:+, only $LAB_FILTER}, under ASan/UBSan, limit ${limit}s"
# One job: tests that pin threads to both cores must not overlap.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} timeout --kill-after=10 "$limit" \
	"$bin" --jobs 1 ${LAB_FILTER:+--filter "$LAB_FILTER"} 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
[ "$rc" = 124 ] && echo "check: the tests did not finish within ${limit}s (a task that never returns?)"

# "[FAIL] lab05_task2::fifo_order: (0.00s)" -> "lab-05 task 2: fifo_order"
fails=$(sed -n 's/\x1b\[[0-9;]*m//g; s/^\[FAIL\] lab\([0-9][0-9]\)_task\([0-9]*\)::\([^:]*\).*/lab-\1 task \2: \3/p' "$log" |
	sort -u)
if [ "$rc" = 0 ] && [ -z "$fails" ]; then
	echo "== $lab: PASS (${LAB_FILTER:-every test of labs up to $lab})"
	exit 0
fi
echo "== $lab: FAIL"
if [ -n "$fails" ]; then
	echo "failing tasks:"
	echo "$fails" | awk -F': ' '{ t[$1] = t[$1] (t[$1] ? ", " : "") $2 } END { for (k in t) print "  " k ": " t[k] }' | sort
fi
for d in "$@"; do
	# only the code check graded: the lab's own files for VARIANT/PRIOR=starter
	want=$prior
	[ "$(basename "$d")" = "$lab" ] && want=$variant
	[ "$want" = starter ] || continue
	grep -Hn 'TODO(lab-' "$d"/*.c 2>/dev/null | sed 's/^/  still marked: /'
done
[ "$rc" = 0 ] && rc=1
exit "$rc"
