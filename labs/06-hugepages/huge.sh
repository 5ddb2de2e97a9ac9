#!/bin/sh
# SPDX-License-Identifier: MIT
# huge.sh N command... (lab 06, given): runs the command with N more 2 MB huge pages reserved in
# /proc/sys/vm/nr_hugepages than there were, and puts nr_hugepages back to what it was on
# every exit (the command's end, its failure, Ctrl-C, kill; not SIGKILL). N more, not "at
# least N free": pages another job has reserved may be gone a moment later. Needs root. Run it
# under the machine's topology lock where other jobs use huge pages (flock /tmp/lr-topo.lock).
set -u
want=$1
shift
nr=/proc/sys/vm/nr_hugepages
before=$(cat $nr)
trap 'echo "$before" > $nr' EXIT
trap 'exit 130' INT TERM HUP
if ! echo $((before + want)) > $nr 2>/dev/null || [ "$(cat $nr)" -lt $((before + want)) ]; then
	echo "huge.sh: could not reserve $want huge pages more than $before (root? memory?);" \
		"nr_hugepages is $(cat $nr)" >&2
fi
"$@"
