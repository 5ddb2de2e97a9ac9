# SPDX-License-Identifier: MIT
# labs/lab.mk: the rules every lab shares; labs/NN-name/Makefile sets LAB (its folder name),
# LAB_SRCS (the files the student edits, found in the lab folder, or in solution/ with
# VARIANT=solution), LAB_TESTS (its Criterion tests) and optionally LAB_PROGS and LAB_RUN (a
# command the tests run under, such as lab 06's huge.sh), then includes this.
#
#   make check    this lab's tests and every earlier lab's (cumulative), under ASan and UBSan
#   make test     this lab's tests alone
#   make perf     the lab's measurement (its own rule, in its Makefile)
#   VARIANT=solution builds from solution/ instead (instructors, and `make labs-check`)
LABS_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
TOP := $(abspath $(LABS_DIR)/..)
LAB_DIR := $(LABS_DIR)/$(LAB)
VARIANT ?= starter
# the earlier labs of a cumulative check: your own code, as VARIANT says; `make labs-check`
# grades a starter with the earlier labs solved (EARLIER_VARIANT=solution)
EARLIER_VARIANT ?= $(VARIANT)
SRC_DIR := $(if $(filter solution,$(VARIANT)),$(LAB_DIR)/solution,$(LAB_DIR))
OUT := $(TOP)/build/labs/$(LAB)/$(VARIANT)
CC ?= cc
LAB_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -fno-omit-frame-pointer -pthread \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE \
	-I$(LAB_DIR) -I$(LABS_DIR)/shared -I$(TOP)/common -DLR_BINDIR='"$(TOP)/build/bin"' -DLAB_DIR='"$(LAB_DIR)"'
LAB_CFLAGS += $(LAB_CFLAGS_EXTRA)
LAB_LDLIBS := -lm $(LAB_LIBS_EXTRA)
STUDENT := $(LAB_SRCS:%=$(SRC_DIR)/%)
# earlier labs: every labs/NN-* folder that sorts before this one
EARLIER := $(filter-out $(LAB),$(patsubst $(LABS_DIR)/%/Makefile,%,\
	$(shell ls $(LABS_DIR)/*/Makefile | sort | awk '{ print } /\/$(LAB)\/Makefile$$/ { exit }')))

.PHONY: check test perf clean
check:
	@for lab in $(EARLIER); do \
		$(MAKE) --no-print-directory -C $(LABS_DIR)/$$lab VARIANT=$(EARLIER_VARIANT) test || exit 1; \
	done
	@$(MAKE) --no-print-directory test

test: $(OUT)/tests
	@echo "== lab $(LAB) ($(VARIANT)): tests"
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(LAB_RUN) $(OUT)/tests --jobs 1 \
		--short-filename || { echo "lab $(LAB): checks failed (the TODO(lab-$(firstword $(subst -, ,$(LAB))))" \
		"markers in $(LAB_SRCS) name what is left)"; exit 1; }

$(OUT)/tests: $(STUDENT) $(LAB_EXTRA) $(LAB_TESTS:%=$(LAB_DIR)/%) $(wildcard $(LAB_DIR)/*.h) $(LABS_DIR)/lab.mk
	@mkdir -p $(OUT)
	$(CC) $(LAB_CFLAGS) -o $@ $(STUDENT) $(LAB_TESTS:%=$(LAB_DIR)/%) $(LAB_EXTRA) -lcriterion \
		$(LAB_LDLIBS)

clean:
	rm -rf $(OUT)
