# SPDX-License-Identifier: MIT
# bash completion for linerate's programs (make install puts one copy per program under
# share/bash-completion/completions). Nothing here lists an option by hand: the commands and
# options come from each program's --help, which cli.c generates from the same option table
# that parses them, so the completion cannot drift from the programs.

# Prints the long options of "$@ --help", one per line.
_linerate_options()
{
	"$@" --help 2>/dev/null | grep -oE -- '--[a-z0-9][a-z0-9-]*' | sort -u
}

# Prints the commands of a program whose --help has a "commands:" section (linerate, tgen).
_linerate_commands()
{
	"$1" --help 2>/dev/null | sed -n '/^commands:/,$ s/^  \([a-z0-9][a-z0-9-]*\) .*/\1/p'
}

_linerate_complete()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prog=${COMP_WORDS[0]} cmds words
	local -a cmd=("$prog")

	cmds=$(_linerate_commands "$prog")
	if [[ -n $cmds && $COMP_CWORD -eq 1 && $cur != -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$cmds" -- "$cur")
		return
	fi
	[[ -n $cmds && $COMP_CWORD -gt 1 ]] && cmd+=("${COMP_WORDS[1]}")
	if [[ $cur == -* ]]; then
		words=$(_linerate_options "${cmd[@]}")
		mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
		return
	fi
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

complete -F _linerate_complete linerate tgen fwd-sock fwd-afp fwd-dpdk echo-sock echo-afp \
	echo-dpdk
