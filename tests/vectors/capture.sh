#!/bin/bash
# SPDX-License-Identifier: MIT
#
# capture.sh: captures the known-answer frames in tests/vectors/captured.h (used by
# tests/test_csum.c and tests/test_pkt.c). It builds a throw-away namespace pair lr-cap-a / lr-cap-b joined by the veth
# lr-cap0 / lr-cap1 (198.18.200.1/24 and .2/24), turns every offload off so the kernel writes
# real checksums, and records with an AF_PACKET socket on lr-cap1 while namespace a sends an ARP
# request (implicitly), an ICMP echo (kernel ping socket), a UDP datagram and a TCP connection
# carrying 5 data bytes. Frames are printed as C arrays on stdout. Needs root; removes everything
# it created, also on failure. Run: sudo tests/vectors/capture.sh > /tmp/frames.txt
set -euo pipefail

A=lr-cap-a
B=lr-cap-b
TMP=$(mktemp -d /tmp/lr-cap.XXXXXX)

cleanup()
{
	ip netns del "$A" 2>/dev/null || true # best effort
	ip netns del "$B" 2>/dev/null || true # best effort
	rm -rf "$TMP"
}
trap cleanup EXIT

ip netns add "$A"
ip netns add "$B"
ip link add lr-cap0 netns "$A" type veth peer name lr-cap1 netns "$B"
for ns in "$A" "$B"; do
	# No IPv6: its autoconfiguration traffic would only add noise to the capture.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	# Lets root open an unprivileged ICMP "ping socket", so the kernel writes the echo request.
	ip netns exec "$ns" sysctl -qw net.ipv4.ping_group_range="0 0"
done
ip -n "$A" addr add 198.18.200.1/24 dev lr-cap0
ip -n "$B" addr add 198.18.200.2/24 dev lr-cap1
ip netns exec "$A" ethtool -K lr-cap0 tx off rx off gso off tso off gro off >/dev/null
ip netns exec "$B" ethtool -K lr-cap1 tx off rx off gso off tso off gro off >/dev/null
ip -n "$A" link set lr-cap0 up
ip -n "$B" link set lr-cap1 up

# Receiver side: a TCP listener that reads what arrives, a UDP socket so the datagram is not
# answered with ICMP port unreachable, and the AF_PACKET recorder.
ip netns exec "$B" python3 - >/dev/null 2>&1 <<'PY' &
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("198.18.200.2", 9000))
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("198.18.200.2", 9001))
s.listen()
s.settimeout(5)
c, _ = s.accept()
c.recv(100)
c.close()
PY
ip netns exec "$B" python3 - "$TMP/frames" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
s.bind(("lr-cap1", 0))
s.settimeout(0.2)
out = open(sys.argv[1], "w")
end = time.time() + 3.0
while time.time() < end:
    try:
        data, addr = s.recvfrom(65535)
    except socket.timeout:
        continue
    out.write("%d %s\n" % (addr[2], data.hex()))
out.close()
PY
sleep 0.7

ip netns exec "$A" python3 - <<'PY'
import socket, time
# ICMP echo through a ping socket: the kernel fills in the id and the checksum.
p = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
p.sendto(b"\x08\x00\x00\x00\x00\x00\x00\x01linerate", ("198.18.200.2", 0))
time.sleep(0.2)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("198.18.200.1", 12345))
u.sendto(b"linerate-vector", ("198.18.200.2", 9000)) # 15 bytes: odd UDP length
time.sleep(0.2)
t = socket.create_connection(("198.18.200.2", 9001), timeout=2)
t.sendall(b"hello") # odd TCP segment length
time.sleep(0.2)
t.close()
PY
wait

echo "/* Captured on Linux $(uname -r) by tests/vectors/capture.sh (AF_PACKET on lr-cap1). */"
python3 - "$TMP/frames" <<'PY'
import sys
kinds = {0: "host", 1: "broadcast", 2: "multicast", 3: "otherhost", 4: "outgoing"}
for n, line in enumerate(open(sys.argv[1])):
    pkttype, hexs = line.split()
    b = bytes.fromhex(hexs)
    print("/* frame %d: %d bytes, %s */" % (n, len(b), kinds.get(int(pkttype), pkttype)))
    print("static const uint8_t frame_%d[] = {" % n)
    for i in range(0, len(b), 12):
        print("\t" + " ".join("0x%02x," % x for x in b[i:i + 12]))
    print("};")
PY
