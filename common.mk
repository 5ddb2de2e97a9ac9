# SPDX-License-Identifier: MIT
# Flags and helpers shared by every sub-Makefile. Included with TOP set to the repository root.
# BUILD selects the output tree (build/ normally, build/asan for the sanitizer variant).

BUILD ?= $(TOP)/build
CC ?= cc
SAN ?=

GIT_COMMIT := $(shell git -C $(TOP) rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell git -C $(TOP) diff --quiet HEAD 2>/dev/null || echo -dirty)
DPDK_VERSION := $(shell pkg-config --modversion libdpdk 2>/dev/null || echo none)
LR_VERSION := $(shell cat $(TOP)/VERSION 2>/dev/null || echo 0)

CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wno-missing-field-initializers -D_GNU_SOURCE -pthread \
          -I$(TOP)/common -DLR_GIT_COMMIT='"$(GIT_COMMIT)"' -DLR_DPDK_VERSION='"$(DPDK_VERSION)"' \
          -DLR_VERSION='"$(LR_VERSION)"'
LDLIBS := -lm -pthread -ljansson
ifneq ($(SAN),)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

LIBCOMMON := $(BUILD)/libcommon.a
# The AF_XDP layer (kernel_baseline/io_xdp.c, xdp_prog.c) and what it links: fwd-xdp, echo-xdp,
# and everything that links tgen's engines (tgen, the tests, lr-paths).
LIBAXDP := $(BUILD)/libaxdp.a
XDP_LIBS := $(shell pkg-config --libs libxdp libbpf 2>/dev/null || echo -lxdp -lbpf)
BINDIR := $(BUILD)/bin
OBJDIR := $(BUILD)/obj

# DPDK is found only through pkg-config; programs that need it check DPDK_OK first.
DPDK_CFLAGS := $(shell pkg-config --cflags libdpdk 2>/dev/null)
DPDK_LIBS := $(shell pkg-config --libs libdpdk 2>/dev/null)
define require_dpdk
	@pkg-config --exists libdpdk || { echo "error: DPDK not found by 'pkg-config libdpdk' (install it with 'make deps', which adds libdpdk-dev)" >&2; exit 1; }
endef

ifeq ($(V),1)
Q :=
else
Q := @
endif
MAKEFLAGS += --no-print-directory

# Compile one C file into $(OBJDIR)/<dir>/<name>.o with dependency tracking.
$(OBJDIR)/%.o: $(TOP)/%.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $*.c")
	$(Q)$(CC) $(CFLAGS) $(EXTRA_CFLAGS) -MMD -MP -c -o $@ $<
