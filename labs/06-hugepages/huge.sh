#!/bin/sh
# SPDX-License-Identifier: MIT
# huge.sh N command... (lab 06, given): runs the command with N more 2 MB huge pages than the
# machine has (HugePages_Total), and puts /proc/sys/vm/nr_hugepages back to what it was on
# every exit (the command's end, its failure, Ctrl-C, kill; not SIGKILL). N more than the
# total, not "at least N free": pages another job has reserved may be gone a moment later, and
# pages still held above nr_hugepages (surplus: a file left in /dev/hugepages by a DPDK program
# that died) are the first a raised nr_hugepages takes back. Needs root. Run it under the
# machine's topology lock where other jobs use huge pages (flock /tmp/lr-topo.lock).
set -u
want=$1
shift
nr=/proc/sys/vm/nr_hugepages
before=$(cat $nr)
total=$(awk '/^HugePages_Total:/ { print $2 }' /proc/meminfo)
trap 'echo "$before" > $nr' EXIT
trap 'exit 130' INT TERM HUP
if ! echo $((total + want)) > $nr 2>/dev/null || [ "$(cat $nr)" -lt $((total + want)) ]; then
	echo "huge.sh: could not reserve $want huge pages more than the $total there are (root?" \
		"memory?); nr_hugepages is $(cat $nr)" >&2
fi
"$@"
