# SPDX-License-Identifier: MIT
# perf-lib.sh: what the labs' perf.sh scripts share (sourced, not run). Results are judged
# only against the reference measured in the same run, never against a fixed figure.

# median_of FILE KEY: the median, min and max of column 3 of the CSV rows whose first two
# columns are KEY ("who,batch"), printed as "median min max" (0 0 0 when there are none).
median_of() {
	awk -F, -v k="$2" '$1 "," $2 == k { v[n++] = $3 }
		END {
			if (!n) { print "0 0 0"; exit }
			for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			m = n % 2 ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
			printf "%g %g %g\n", m, v[0], v[n - 1]
		}' "$1"
}

# grade NAME STUDENT REF RATIO: prints one verdict line; returns 1 when STUDENT < RATIO * REF.
grade() {
	awk -v name="$1" -v s="$2" -v r="$3" -v q="$4" 'BEGIN {
		rel = r > 0 ? s / r : 0
		ok = r > 0 && s >= q * r
		printf "  %-28s yours %10.4f  reference %10.4f  = %5.2f x reference (need >= %.2f): %s\n",
			name, s, r, rel, q, ok ? "PASS" : "FAIL"
		exit ok ? 0 : 1
	}'
}

# table_print FILE: a CSV file as aligned columns (no dependency on column(1)).
table_print() {
	awk -F, '{ for (i = 1; i <= NF; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } if (NF > nf) nf = NF }
		END { for (r = 1; r <= NR; r++) { l = "   "; for (i = 1; i <= nf; i++) l = l sprintf("%-*s  ", w[i], c[r, i]); print l } }' "$1"
}
