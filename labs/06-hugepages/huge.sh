#!/bin/sh
# SPDX-License-Identifier: MIT
# huge.sh N command... (lab 06, given): runs the command with at least N free 2 MB huge pages,
# reserving the missing ones in /proc/sys/vm/nr_hugepages, and puts nr_hugepages back to what
# it was on every exit (the command's end, its failure, Ctrl-C, kill). Needs root. Run it
# under the machine's topology lock where other jobs use huge pages (flock /tmp/lr-topo.lock).
set -u
want=$1
shift
nr=/proc/sys/vm/nr_hugepages
before=$(cat $nr)
free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
if [ "$free" -lt "$want" ]; then
	trap 'echo "$before" > $nr' EXIT
	trap 'exit 130' INT TERM HUP
	if ! echo $((before + want - free)) > $nr 2>/dev/null; then
		echo "huge.sh: cannot reserve $want huge pages (run as root)" >&2
	fi
fi
"$@"
