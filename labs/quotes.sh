#!/bin/sh
# SPDX-License-Identifier: MIT
# labs/quotes.sh [--fix] README...: a lab README quotes live project code, never a copy that
# drifts. A quote is a line "<!-- 8< path/to/file.c: NAME -->" followed by a ```c block; the
# block must equal the text between "/* NAME. 8< */" and "/* >8 End of NAME. */" in that file
# (the markers' own lines left out). --fix rewrites the blocks from the code.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
fix=0
[ "${1:-}" = --fix ] && { fix=1; shift; }
bad=0
for md in "$@"; do
	tmp=$(mktemp)
	awk -v top="$top" -v fix="$fix" -v md="$md" '
	# The end marker may lower-case the name'"'"'s first letter ("/* The loop. 8< */" ... "/* >8 End
	# of the loop. */"). A quote whose end marker is missing is an error, never the rest of
	# the file.
	function extract(file, name,    line, on, out, start, stop, stop_lc, ended) {
		start = "/* " name ". 8< */"; stop = "/* >8 End of " name ". */"
		stop_lc = "/* >8 End of " tolower(substr(name, 1, 1)) substr(name, 2) ". */"
		on = 0; out = ""; ended = 0
		while ((getline line < file) > 0) {
			if (on && (index(line, stop) || index(line, stop_lc))) { ended = 1; break }
			if (on) out = out line "\n"
			if (index(line, start)) on = 1
		}
		close(file)
		if (on && !ended) {
			printf "%s: \"%s\" in %s has no end marker \"%s\"\n", md, name, file, stop > "/dev/stderr"
			return ""
		}
		return out
	}
	/^<!-- 8< / {
		spec = $0; sub(/^<!-- 8< /, "", spec); sub(/ -->$/, "", spec)
		file = spec; sub(/:.*/, "", file); name = spec; sub(/^[^:]*: /, "", name)
		want = extract(top "/" file, name)
		if (want == "") { printf "%s: no \"%s\" between 8< markers in %s\n", md, name, file > "/dev/stderr"; status = 1 }
		print; getline; print   # the ```c line
		got = ""
		while ((getline line) > 0 && line != "```") got = got line "\n"
		if (got != want) {
			if (fix) printf "%s: quote of %s (%s) rewritten\n", md, name, file > "/dev/stderr"
			else { printf "%s: the quote of %s (%s) differs from the code: run labs/quotes.sh --fix %s\n", md, name, file, md > "/dev/stderr"; status = 1 }
		}
		printf "%s", (fix ? want : got); print "```"
		next
	}
	{ print }
	END { exit status }' "$md" > "$tmp" || bad=1
	if [ "$fix" = 1 ]; then cat "$tmp" > "$md"; fi
	rm -f "$tmp"
done
exit $bad
