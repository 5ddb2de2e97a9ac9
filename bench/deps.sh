#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make deps: install every Debian package linerate needs to build, test and run.
# Idempotent: asks dpkg first and runs apt-get (update, then install) only for what is missing.
set -euo pipefail

packages=(
	build-essential pkg-config git         # compiler, make, build metadata
	dpdk dpdk-dev libdpdk-dev              # DPDK 22.11 LTS: libraries, PMDs, dpdk-testpmd
	dpdk-doc                               # DPDK example sources: bench/ref builds l3fwd from them
	libpcap-dev                            # pcap capture and replay
	libjansson-dev                         # JSON reading (common/json_read.c)
	libxdp-dev libbpf-dev                  # AF_XDP sockets and XDP programs (fwd-xdp, echo-xdp)
	libcriterion-dev                       # the test framework
	gnuplot-nox                            # plots
	iproute2 ethtool nftables iputils-ping # topology, offloads, loss injection, reachability
	valgrind                               # deterministic instruction counts
	netsniff-ng                            # trafgen, the AF_PACKET generator tgen is compared with
	python3                                # bench/ref/refbench.py, the side-by-side comparisons
	clang-format                           # house style
	help2man man-db                        # man pages from --help (make man, make install), man -l
	chromium                               # renders report.html in a test (headless screenshot)
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
	echo "deps: all ${#packages[@]} packages present"
	exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
	echo "deps: missing packages: ${missing[*]}; run 'make deps' as root (sudo make deps) to install them" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "deps: installed ${#missing[@]} packages"
