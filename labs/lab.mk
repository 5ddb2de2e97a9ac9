# SPDX-License-Identifier: MIT
# lab.mk: the build and grading rules every lab shares. A lab's Makefile is two lines:
#     include ../lab.mk
# and the lab folder follows the layout of labs/README.md:
#   *.c, *.h      the lab's code: the files with TODO(lab-NN) markers are the student's, the
#                 others are given; all are compiled into the lab
#   solution/*.c  the reference: a file here replaces the file of the same name above
#   harness/*.c   programs (one main each) linked with the lab's code: what `perf` measures
#   tests/*.c     the Criterion tests of the lab
#   perf.sh       the measure-and-plot step, called with the student's and the reference's
#                 harness folders
#
# Targets (from the lab folder, or `make -C labs/NN-name <target>`):
#   check   the tests of this lab and of every earlier lab, under ASan and UBSan
#   perf    perf.sh: the programs of VARIANT (yours by default) against the reference,
#           measured in the same run
#   clean   this lab's build files
# Variables:
#   VARIANT=starter|solution  which code of THIS lab is graded (default starter: your files)
#   PRIOR=starter|solution    which code of the EARLIER labs check links (default starter;
#                             `make labs-check` uses solution so that only this lab is judged)
#   TASK=N                    check runs only this lab's task N (a quick loop while working)

LABS_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
TOP := $(abspath $(LABS_DIR)/..)
include $(TOP)/common.mk

VARIANT ?= starter
PRIOR ?= starter
LBUILD := $(TOP)/build/labs
THIS := $(notdir $(abspath $(CURDIR)))
lab_num = $(firstword $(subst -, ,$(1)))
N := $(call lab_num,$(THIS))
ALL_LABS := $(sort $(notdir $(wildcard $(LABS_DIR)/[0-9][0-9]-*)))
UPTO := $(foreach l,$(ALL_LABS),$(if $(shell test $(call lab_num,$(l)) -le $(N) && echo y),$(l)))

ifeq ($(filter starter solution,$(VARIANT)),)
$(error VARIANT must be starter or solution, not '$(VARIANT)')
endif
ifeq ($(filter starter solution,$(PRIOR)),)
$(error PRIOR must be starter or solution, not '$(PRIOR)')
endif

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FLAGS_asan := $(CFLAGS) $(SAN_FLAGS) -I$(LABS_DIR)/include -DLAB_TOPDIR='"$(TOP)"' \
	-DLAB_BINDIR='"$(TOP)/build/bin"'
FLAGS_perf := $(CFLAGS) -I$(LABS_DIR)/include -DLAB_TOPDIR='"$(TOP)"' -DLAB_BINDIR='"$(TOP)/build/bin"'
LIB_asan := $(TOP)/build/asan/libcommon.a
LIB_perf := $(TOP)/build/libcommon.a

# The code of lab $(1) as variant $(2): its top-level .c files, each replaced by solution/ when
# the variant is solution and the reference has that file.
lab_src = $(firstword $(if $(filter solution,$(3)),$(wildcard $(LABS_DIR)/$(1)/solution/$(2))) $(LABS_DIR)/$(1)/$(2))
lab_cfiles = $(notdir $(wildcard $(LABS_DIR)/$(1)/*.c))
lab_objs = $(patsubst %.c,$(LBUILD)/$(3)/$(1)/$(2)/%.o,$(call lab_cfiles,$(1)))
variant_of = $(if $(filter $(THIS),$(1)),$(VARIANT),$(PRIOR))

# obj_rule lab file variant flavour
define obj_rule
$(LBUILD)/$(4)/$(1)/$(3)/$(2:.c=.o): $(call lab_src,$(1),$(2),$(3))
	@mkdir -p $$(dir $$@)
	$$(if $$(Q),@echo "  CC      labs/$(1)/$(if $(findstring /solution/,$(call lab_src,$(1),$(2),$(3))),solution/)$(2) ($(4))")
	$$(Q)$$(CC) $$(FLAGS_$(4)) -I$(LABS_DIR)/$(1) -MMD -MP -c -o $$@ $$<
-include $(LBUILD)/$(4)/$(1)/$(3)/$(2:.c=.d)
endef
$(foreach l,$(UPTO),$(foreach v,starter solution,$(foreach f,$(call lab_cfiles,$(l)),\
	$(eval $(call obj_rule,$(l),$(f),$(v),asan)))))
$(foreach v,starter solution,$(foreach f,$(call lab_cfiles,$(THIS)),\
	$(eval $(call obj_rule,$(THIS),$(f),$(v),perf))))

# Tests and harness programs do not depend on the variant.
define other_rule
$(LBUILD)/$(3)/$(1)/$(2:.c=.o): $(LABS_DIR)/$(1)/$(2)
	@mkdir -p $$(dir $$@)
	$$(if $$(Q),@echo "  CC      labs/$(1)/$(2) ($(3))")
	$$(Q)$$(CC) $$(FLAGS_$(3)) -I$(LABS_DIR)/$(1) -MMD -MP -c -o $$@ $$<
-include $(LBUILD)/$(3)/$(1)/$(2:.c=.d)
endef
lab_tests = $(patsubst $(LABS_DIR)/$(1)/%,%,$(wildcard $(LABS_DIR)/$(1)/tests/*.c))
HARNESS := $(patsubst $(LABS_DIR)/$(THIS)/%,%,$(wildcard $(LABS_DIR)/$(THIS)/harness/*.c))
$(foreach l,$(UPTO),$(foreach t,$(call lab_tests,$(l)),$(eval $(call other_rule,$(l),$(t),asan))))
$(foreach h,$(HARNESS),$(eval $(call other_rule,$(THIS),$(h),perf)))

CHECK_OBJS := $(foreach l,$(UPTO),$(call lab_objs,$(l),$(call variant_of,$(l)),asan) \
	$(patsubst %.c,$(LBUILD)/asan/$(l)/%.o,$(call lab_tests,$(l))))
CHECK_BIN := $(LBUILD)/asan/$(THIS)/check-$(VARIANT)-$(PRIOR)
PERF_BINS := $(foreach v,starter solution,$(patsubst harness/%.c,$(LBUILD)/perf/$(THIS)/$(v)/%,$(HARNESS)))

.PHONY: check perf perf-bins clean lib-asan lib-perf FORCE
.DEFAULT_GOAL := check

# libcommon (and, for perf, the programs) are built by the top Makefile; the recipes always run
# and make then looks at the library's time again, so a change in common/ relinks the lab.
lib-asan: $(LIB_asan)
lib-perf: $(LIB_perf)

$(LIB_asan): FORCE
	$(Q)$(MAKE) -s -C $(TOP) dir-common BUILD=$(TOP)/build/asan SAN=1

$(LIB_perf): FORCE
	$(Q)$(MAKE) -s -C $(TOP) all

FORCE:

$(CHECK_BIN): $(CHECK_OBJS) $(LIB_asan)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $(notdir $@)")
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $(CHECK_OBJS) $(LIB_asan) -lcriterion $(LAB_LDLIBS) $(LDLIBS)

check: $(CHECK_BIN)
	$(Q)LAB_FILTER='$(if $(TASK),lab$(N)_task$(TASK)/*)' $(LABS_DIR)/check.sh $(CHECK_BIN) $(THIS) \
		$(VARIANT) $(PRIOR) $(foreach l,$(UPTO),$(LABS_DIR)/$(l))

# harness program: its object, the lab's code of that variant, libcommon (not sanitized, -O2)
define prog_rule
$(LBUILD)/perf/$(THIS)/$(2)/$(1): $(LBUILD)/perf/$(THIS)/harness/$(1).o $(call lab_objs,$(THIS),$(2),perf) $(LIB_perf)
	@mkdir -p $$(dir $$@)
	$$(if $$(Q),@echo "  LD      $(2)/$(1)")
	$$(Q)$$(CC) -o $$@ $$^ $$(LAB_LDLIBS) $$(LDLIBS)
endef
$(foreach v,starter solution,$(foreach h,$(HARNESS),$(eval $(call prog_rule,$(notdir $(h:.c=)),$(v)))))

perf-bins: $(PERF_BINS)

perf: perf-bins
	$(Q)$(LABS_DIR)/$(THIS)/perf.sh $(LBUILD)/perf/$(THIS)/$(VARIANT) $(LBUILD)/perf/$(THIS)/solution \
		$(LBUILD)/out/$(THIS)

clean:
	rm -rf $(LBUILD)/asan/$(THIS) $(LBUILD)/perf/$(THIS) $(LBUILD)/out/$(THIS)
