# SPDX-License-Identifier: MIT
# linerate top-level Makefile: delegates to one Makefile per folder; flags live in common.mk.
#   make deps       install the Debian packages the project needs (idempotent, quick when present)
#   make            build libcommon.a and every program into build/ (V=1 for full commands)
#   make test       deps, build, then every Criterion test (unit and integration)
#   make test-asan  the same tests under -fsanitize=address,undefined (build/asan/)
#   make bench      deps, build, then the main job (PROFILE=full for RFC 2544 trial lengths)
#   make clean      remove build/
TOP := $(CURDIR)
include common.mk

SUBDIRS := common bench traffic_gen kernel_baseline bypass

.PHONY: all deps test test-asan bench regress clean format tests-build $(SUBDIRS:%=dir-%)

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

test: deps
	$(Q)$(MAKE) tests-build
	$(Q)$(MAKE) -C tests TOP=$(TOP) BUILD=$(BUILD) SAN=$(SAN) run

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

format:
	$(Q)clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(TOP)/build
