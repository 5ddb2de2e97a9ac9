#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks that the documentation points at files that exist: every repository path a Markdown
# file names (bench/regress.c, docs/results.md, plots/linerate.gp, ...) and every relative
# Markdown link. Prints each dangling reference as FILE: PATH and exits 1 when there is one.
# Placeholders in capitals (plots/NAME.gp) are not paths. Run from anywhere; tests/it_cli.c runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
while IFS= read -r md; do
	dir=$(dirname "$md")
	# repository paths named in the text
	for p in $(grep -ohE '\b(bench|common|traffic_gen|kernel_baseline|bypass|plots|labs|tests|docs)/[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.(c|h|md|gp|sh|py|json)\b' "$md" | sort -u); do
		[[ $p =~ /[A-Z]+\. ]] && continue
		[[ -e $p || -e $dir/$p ]] || { echo "$md: $p"; bad=1; }
	done
	# relative links: [text](path) and ![alt](path), anchors and URLs left out
	for l in $(grep -oE '\]\([^)#[:space:]]+' "$md" | sed 's/^](//' | grep -vE '^(https?|mailto):' | sort -u); do
		[[ -e $dir/$l || $l == results/* || $l == */results/* ]] || { echo "$md: $l"; bad=1; }
	done
done < <(git ls-files '*.md')
exit $bad
