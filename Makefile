# SPDX-License-Identifier: MIT
# linerate top-level Makefile: delegates to one Makefile per folder; flags live in common.mk.
#   make deps       install the Debian packages the project needs (idempotent, quick when present)
#   make            build libcommon.a and every program into build/ (V=1 for full commands)
#   make test       deps, build, labs-check, then every Criterion test (unit and integration)
#   make labs-check every lab's starter fails its check and every solution passes (labs/)
#   make test-asan  the same tests under -fsanitize=address,undefined (build/asan/)
#   make bench      deps, build, then the main job (PROFILE=full for RFC 2544 trial lengths)
#   make install    the programs, plots/, man pages and bash completion under
#                   $(DESTDIR)$(PREFIX) (PREFIX=/usr/local); make uninstall removes them
#   make man        only the man pages, into build/man/ (help2man, from --help and --version)
#   make flags      rewrite docs/flags.md, every flag of every program, from the option tables
#   make refbench-tools  the reference programs bench/ref/refbench.py builds from Debian's
#                   sources (DPDK's l3fwd example, from dpdk-doc) into build/ref/
#   make clean      remove build/
TOP := $(CURDIR)
include common.mk

SUBDIRS := common bench traffic_gen kernel_baseline bypass

.PHONY: all deps test test-asan bench regress clean format tests-build install uninstall man flags \
	labs-check refbench-tools \
	$(SUBDIRS:%=dir-%)

all: $(SUBDIRS:%=dir-%)

dir-common:
	$(Q)$(MAKE) -C common TOP=$(TOP) BUILD=$(BUILD) SAN=$(SAN)

$(filter-out dir-common,$(SUBDIRS:%=dir-%)): dir-common
	$(Q)$(MAKE) -C $(@:dir-%=%) TOP=$(TOP) BUILD=$(BUILD) SAN=$(SAN)

# tgen links the I/O backends of kernel_baseline/ and bypass/; lr-paths (bench/) links tgen's.
dir-traffic_gen: dir-kernel_baseline dir-bypass
dir-bench: dir-traffic_gen

deps:
	$(Q)$(TOP)/bench/deps.sh

tests-build: all
	$(Q)$(MAKE) -C tests TOP=$(TOP) BUILD=$(BUILD) SAN=$(SAN)

# labs-check runs before the Criterion suite, so the suite's summary stays the last line
test: deps
	$(Q)$(MAKE) tests-build
	$(Q)$(MAKE) labs-check
	$(Q)$(MAKE) -C tests TOP=$(TOP) BUILD=$(BUILD) SAN=$(SAN) run

# The course labs' graders are real: starters fail, solutions pass (labs/Makefile).
labs-check: all
	$(Q)$(MAKE) --no-print-directory -C labs labs-check

test-asan: deps
	$(Q)$(MAKE) tests-build BUILD=$(TOP)/build/asan SAN=1
	$(Q)$(MAKE) -C tests TOP=$(TOP) BUILD=$(TOP)/build/asan SAN=1 run

# The main job: every experiment, results/<timestamp>/ with plots and a report (bench/bench.c).
# PROFILE=full uses RFC 2544 trial lengths, PROFILE=smoke takes seconds; BENCH_FLAGS adds more
# (e.g. BENCH_FLAGS="--only fwd-afp").
bench: deps
	$(Q)$(MAKE) all
	$(Q)$(BINDIR)/linerate bench $(if $(PROFILE),--profile $(PROFILE)) $(BENCH_FLAGS)

# The CI regression gate (bench/regress.c, docs/regress.md). make reports any failure as 2; the
# gate's own code (2 rebaseline needed, 3 regression) comes from build/bin/linerate regress.
# REGRESS_PLANT=fwdN|loopN measures lr-paths built with a planted regression in common/fwd.c or
# fwd_run.c (bench/Makefile; fwd4 and loop4 are about +2%, fwd44 and loop44 about +20%).
regress: all
	$(Q)$(BINDIR)/linerate regress --baseline $(TOP)/bench/baseline.json $(if $(REGRESS_PLANT),--paths-bin $(BINDIR)/lr-paths-plant-$(REGRESS_PLANT)) $(REGRESS_FLAGS)

# Installation. The programs find the gnuplot scripts in $(PREFIX)/share/linerate/plots (beside
# their bin/), so 'linerate plot' and 'linerate bench' work from any directory without --plots.
# lr-paths (the regression gate's harness) stays in the source tree: 'linerate regress' is a
# developer's tool run from a checkout.
PREFIX ?= /usr/local
INSTALL_PROGS := linerate tgen fwd-sock fwd-afp fwd-xdp fwd-dpdk echo-sock echo-afp echo-xdp echo-dpdk
MANDIR := $(BUILD)/man
man_name_linerate := the linerate harness: line-rate table, topology, bench, plots, CI gate
man_name_tgen := the linerate traffic generator: sweeps, RFC 2544, latency, TCP echo load
man_name_fwd-sock := IPv4 forwarder on Linux UDP sockets (linerate)
man_name_fwd-afp := IPv4 forwarder on AF_PACKET rings (linerate)
man_name_fwd-dpdk := IPv4 forwarder on DPDK (linerate)
man_name_fwd-xdp := IPv4 forwarder on AF_XDP sockets (linerate)
man_name_echo-xdp := TCP echo server on linerate's TCP stack over AF_XDP
man_name_echo-sock := TCP echo server on Linux sockets (linerate)
man_name_echo-afp := TCP echo server on linerate's TCP stack over AF_PACKET
man_name_echo-dpdk := TCP echo server on linerate's TCP stack over DPDK

man: all
	@mkdir -p $(MANDIR)
	$(Q)$(foreach p,$(INSTALL_PROGS),help2man --no-info --no-discard-stderr --section=1 \
		--source="linerate $(LR_VERSION)" --name="$(man_name_$(p))" \
		--output=$(MANDIR)/$(p).1 $(BINDIR)/$(p) &&) true

install: all man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/linerate/plots \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(INSTALL_PROGS:%=$(BINDIR)/%) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(TOP)/plots/*.gp $(DESTDIR)$(PREFIX)/share/linerate/plots/
	install -m 644 $(INSTALL_PROGS:%=$(MANDIR)/%.1) $(DESTDIR)$(PREFIX)/share/man/man1/
	for p in $(INSTALL_PROGS); do \
		install -m 644 $(TOP)/bench/linerate-completion.bash \
			$(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$p || exit 1; \
	done

uninstall:
	rm -f $(INSTALL_PROGS:%=$(DESTDIR)$(PREFIX)/bin/%) \
		$(INSTALL_PROGS:%=$(DESTDIR)$(PREFIX)/share/man/man1/%.1) \
		$(INSTALL_PROGS:%=$(DESTDIR)$(PREFIX)/share/bash-completion/completions/%)
	rm -rf $(DESTDIR)$(PREFIX)/share/linerate

# bench/ref's reference programs built from packaged sources (bench/ref/Makefile): l3fwd.
refbench-tools:
	$(Q)$(MAKE) -C bench/ref TOP=$(TOP) BUILD=$(BUILD)

# docs/flags.md: every flag of every program, from the option tables (bench/flags-doc.sh).
flags: all
	$(Q)$(TOP)/bench/flags-doc.sh $(BINDIR) > $(TOP)/docs/flags.md.tmp && \
		mv $(TOP)/docs/flags.md.tmp $(TOP)/docs/flags.md

format:
	$(Q)clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(TOP)/build
