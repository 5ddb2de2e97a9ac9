#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# quote.sh check|update README...: keeps the code a lab README quotes identical to the live
# code. A quote in a README is
#     <!-- quote common/ring.c ring_mx_enqueue -->
#     ```c
#     ...
#     ```
# and stands for the lines between "/* ring_mx_enqueue. 8< */" and "/* >8 End of
# ring_mx_enqueue. */" in that file (paths from the repository root). update rewrites every
# quoted block from the code; check exits 1, naming the quote, when a block differs or its
# markers are gone (labs-check runs it, so a README never teaches code that no longer exists).
set -uo pipefail
mode=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)

rc=0
for readme in "$@"; do
	tmp=$(mktemp)
	awk -v top="$top" '
		function snip(file, name,   line, b, e, on, out) {
			b = "/* " name ". 8< */"; e = "/* >8 End of " name ". */"; out = ""
			while ((getline line < (top "/" file)) > 0) {
				if (index(line, e)) on = 0
				if (on) out = out line "\n"
				if (index(line, b)) on = 1
			}
			close(top "/" file)
			return out
		}
		/^<!-- quote [^ ]+ .+ -->$/ {
			print
			file = $3; name = $4; for (i = 5; i < NF; i++) name = name " " $i
			code = snip(file, name)
			if (code == "") { print "quote.sh: no code between the 8< markers of \"" name "\" in " file > "/dev/stderr"; bad = 1 }
			getline fence; print fence
			printf "%s", code
			while ((getline line) > 0 && line !~ /^```$/) ;
			print "```"
			next
		}
		{ print }
		END { exit bad }' "$readme" > "$tmp" || rc=1
	if ! cmp -s "$tmp" "$readme"; then
		if [ "$mode" = update ]; then
			cp "$tmp" "$readme"
			echo "quote.sh: updated $readme"
		else
			echo "quote.sh: $readme quotes code that changed since; run: labs/quote.sh update $readme" >&2
			diff -u "$readme" "$tmp" | head -20 >&2
			rc=1
		fi
	fi
	rm -f "$tmp"
done
exit "$rc"
