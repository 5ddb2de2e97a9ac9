#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# labs-check.sh TOP LAB...: proves every lab's grader is real (`make labs-check`). For each lab:
# its starter code must FAIL its check, and every task of the lab (each labNN_taskN suite in
# its tests) must be among the failing ones, so no task's tests pass on code nobody wrote;
# its reference solution must PASS. Earlier labs are linked as their solutions, so each lab is
# judged on its own code. Also checks the READMEs' quotes against the live code (quote.sh).
# Prints the time per lab; exits 1 on any defect.
set -uo pipefail
top=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
logs=$top/build/labs
mkdir -p "$logs"
fail=0
summary=""

if "$here/quote.sh" check "${@/%//README.md}"; then
	echo "==== labs-check: the code the READMEs quote is the live code"
else
	fail=1
fi
for l in "$@"; do
	t0=$(date +%s)
	n=${l%%-*}
	echo "==== labs-check $l: the starter must fail, in every task"
	if make --no-print-directory -C "$here/$l" check VARIANT=starter PRIOR=solution > "$logs/$l-starter.log" 2>&1; then
		echo "DEFECT: $l: the grader PASSES on the starter code ($logs/$l-starter.log)"
		fail=1
		s1="starter PASSED (defect)"
	else
		tasks=$(grep -ho "Test(lab${n}_task[0-9]*" "$here/$l"/tests/*.c | sed 's/.*_task//' | sort -un)
		failing=$(sed -n "s/^  lab-$n task \([0-9]*\):.*/\1/p" "$logs/$l-starter.log" | sort -un)
		sed -n '/^failing tasks:/,/^  still marked/p' "$logs/$l-starter.log" | grep -v 'still marked'
		missing=$(comm -23 <(echo "$tasks") <(echo "$failing"))
		if [ -z "$failing" ]; then
			echo "DEFECT: $l: the starter failed without naming a task (build error or crash?):"
			tail -20 "$logs/$l-starter.log"
			fail=1
			s1="starter broken"
		elif [ -n "$missing" ]; then
			echo "DEFECT: $l: the tests of task(s) $(echo $missing) pass on the starter code"
			fail=1
			s1="task passes on starter"
		else
			s1="starter fails ($(echo "$tasks" | wc -l) tasks)"
		fi
	fi
	echo "==== labs-check $l: the solution must pass"
	if make --no-print-directory -C "$here/$l" check VARIANT=solution PRIOR=solution > "$logs/$l-solution.log" 2>&1; then
		grep -E '^\[====\] Synthesis|PASS' "$logs/$l-solution.log"
		s2="solution passes"
	else
		echo "DEFECT: $l: the solution FAILS its check:"
		tail -30 "$logs/$l-solution.log"
		fail=1
		s2="solution FAILS"
	fi
	summary+=$(printf '  %-14s %-28s %-16s %4ss' "$l" "$s1" "$s2" $(($(date +%s) - t0)))$'\n'
done
echo "==== labs-check summary (lab, starter, solution, seconds):"
printf '%s' "$summary"
[ "$fail" = 0 ] && echo "==== labs-check: PASS" || echo "==== labs-check: FAIL"
exit "$fail"
