# SPDX-License-Identifier: MIT
# linerate top-level Makefile: delegates to one Makefile per folder; flags live in common.mk.
#   make deps       install the Debian packages the project needs (idempotent, quick when present)
#   make            build libcommon.a and every program into build/ (V=1 for full commands)
#   make test       deps, build, then every Criterion test (unit and integration)
#   make test-asan  the same tests under -fsanitize=address,undefined (build/asan/)
#   make bench      deps, build, then the main job
#   make clean      remove build/
TOP := $(CURDIR)
include common.mk

SUBDIRS := common bench traffic_gen kernel_baseline bypass

.PHONY: all deps test test-asan bench clean format tests-build $(SUBDIRS:%=dir-%)

all: $(SUBDIRS:%=dir-%)

dir-common:
	$(Q)$(MAKE) -C common TOP=$(TOP) BUILD=$(BUILD) SAN=$(SAN)

$(filter-out dir-common,$(SUBDIRS:%=dir-%)): dir-common
	$(Q)$(MAKE) -C $(@:dir-%=%) TOP=$(TOP) BUILD=$(BUILD) SAN=$(SAN)

# tgen links the I/O backends of kernel_baseline/ and bypass/.
dir-traffic_gen: dir-kernel_baseline dir-bypass

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

# The main job. Until the bench harness lands it checks the machine and measures what exists.
bench: deps
	$(Q)$(MAKE) all
	$(Q)$(BINDIR)/linerate doctor
	$(Q)$(BINDIR)/linerate table --link 10G
	$(Q)$(BINDIR)/linerate ringbench

format:
	$(Q)clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(TOP)/build
