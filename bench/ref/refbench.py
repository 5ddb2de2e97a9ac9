#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""refbench.py: linerate's programs against the reference tools, side by side in one run.

Issues 3 and 4 ask for ratios against the tools users already trust: tgen against
dpdk-testpmd --forward-mode=txonly (memif) and netsniff-ng's trafgen (AF_PACKET on a veth);
the forwarders against dpdk-testpmd (io on net_af_packet, mac on memif) and, issue 11, against
DPDK's own l3fwd example on memif (built by `make refbench-tools`). Every comparison here
alternates A and B for --rounds rounds in one run, measures both the same way, and prints the
medians and the ratio. Generator on core 0, device under test (or receiver) on core 1.

    bench/ref/refbench.py [--rounds N] [--log FILE] [--dut-share PCT] [--ring-log2 N] PART...
    parts: tgen-memif tgen-ceiling tgen-afp fwd-ndr fwd-max fwd-cycles fwd-ab fwd-anchors
           fwd-instr
           fwd-cpu fwd-batch fwd-ring

Needs root, a built tree (make) and the lr- topology, which it brings up itself
(`linerate topo up`) and takes down at the end. Nothing else may use the topology meanwhile.
"""
import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
B = os.path.join(TOP, 'build', 'bin')
RUN = '/run/linerate'
M_IN, M_OUT = RUN + '/lr-fwd-in.sock', RUN + '/lr-fwd-out.sock'
M_REF = RUN + '/lr-ref.sock'
L3FWD = os.path.join(TOP, 'build', 'ref', 'l3fwd')


def memif(n, role, sock, zc=False):
    """A memif port's devargs; a client's rings get 2^RING_LOG2[0] slots when that is set (the
    client sizes the rings both ends use)."""
    return 'net_memif%d,role=%s,id=0,socket=%s,socket-abstract=no%s%s' % (
        n, role, sock, ',zero-copy=yes' if zc else '',
        ',rsize=%d' % RING_LOG2[0] if RING_LOG2[0] and role == 'client' else '')


# --dut-share (issue 11): on this 2-core machine tgen costs about as many cycles per frame on
# memif as the forwarders do (both ends copy every frame), so nothing tells a DUT-limited NDR
# from tgen's ceiling. A CFS bandwidth quota gives the DUT a fixed share of its core (quota
# CG_QUOTA_US per period, the finest cgroup v1 allows), i.e. a core that much slower, the same
# for every DUT; tgen keeps its whole core. The DUT then stops for up to period - quota at a
# time; rings of 2^RING_LOG2 slots (rsize, set by tgen, the memif client) hold what arrives
# meanwhile, so the pauses cost no frames below the DUT's rate.
DUT_SHARE = [100]
RING_LOG2 = [None]
CG_QUOTA_US = 1000
CG_NAME = 'lr-refbench-dut'


def cgroup_dir():
    """The cgroup directory of the DUT's CPU quota and whether it is cgroup v2."""
    if os.path.exists('/sys/fs/cgroup/cgroup.controllers'):
        return '/sys/fs/cgroup/' + CG_NAME, True
    return '/sys/fs/cgroup/cpu/' + CG_NAME, False


def cgroup_setup(share):
    """Creates the DUT's cgroup with share percent of one core; exits naming the problem when
    the kernel offers no CPU bandwidth control."""
    path, v2 = cgroup_dir()
    period = round(CG_QUOTA_US * 100 / share)
    try:
        os.makedirs(path, exist_ok=True)
        if v2:
            with open(path + '/cpu.max', 'w') as f:
                f.write('%d %d' % (CG_QUOTA_US, period))
        else:
            with open(path + '/cpu.cfs_quota_us', 'w') as f:
                f.write('-1')
            with open(path + '/cpu.cfs_period_us', 'w') as f:
                f.write(str(period))
            with open(path + '/cpu.cfs_quota_us', 'w') as f:
                f.write(str(CG_QUOTA_US))
    except OSError as e:
        sys.exit('refbench: --dut-share %d needs CPU bandwidth control (cgroup v2 cpu.max or v1 '
                 'cpu.cfs_quota_us): %s; run without --dut-share' % (share, e))
    return period


def cgroup_stat():
    """(periods, throttled periods) of the DUT's cgroup so far."""
    path, _ = cgroup_dir()
    try:
        with open(path + '/cpu.stat') as f:
            st = dict(line.split() for line in f if len(line.split()) == 2)
        return int(st.get('nr_periods', 0)), int(st.get('nr_throttled', 0))
    except OSError:
        return 0, 0


def cgroup_remove():
    path, _ = cgroup_dir()
    if os.path.isdir(path):
        try:
            os.rmdir(path)
        except OSError as e:
            log('refbench: could not remove %s: %s' % (path, e))


# A zero-copy memif client (issue 11): its mbufs live in the memory it shares with the server,
# which needs huge pages in one file per segment list. -m reserves the pools' memory at start:
# once a zero-copy port has shared the memory, growing it for the next port's pool fails.
ZC_EAL = ['--single-file-segments', '-m', '256']


AFPKT = 'qpairs=1,blocksz=4096,framesz=2048,framecnt=2048'
EAL_QUIET = ['--no-pci', '--no-telemetry', '--in-memory']
LOG = [None]


def log(*a):
    s = ' '.join(str(x) for x in a)
    print(s, flush=True)
    if LOG[0]:
        LOG[0].write(s + '\n')
        LOG[0].flush()


def med(v):
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else float('nan')


def topo(up):
    subprocess.run([B + '/linerate', 'topo', 'up' if up else 'down'] +
                   (['--hugepages', '512'] if up else []), capture_output=True)


class Proc:
    """A background program whose output lines are kept with their arrival times."""

    def __init__(self, cmd, netns=None, stdin=False):
        if netns:
            cmd = ['ip', 'netns', 'exec', netns] + cmd
        self.lines = []
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                  text=True, bufsize=1)
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for line in self.p.stdout:
            self.lines.append((time.time(), line))

    def text(self):
        return ''.join(line for _, line in self.lines)

    def wait_for(self, what, secs=20):
        end = time.time() + secs
        while time.time() < end:
            if what in self.text():
                return True
            if self.p.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError('%s: no "%s" in: %s' % (self.p.args[0], what, self.text()[-1500:]))

    def send(self, cmd):
        self.p.stdin.write(cmd + '\n')
        self.p.stdin.flush()

    def stop(self, sig=signal.SIGINT, secs=20):
        if self.p.poll() is None:
            self.p.send_signal(sig)
        try:
            self.p.wait(timeout=secs)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.t.join(timeout=2)
        return self.text()


# ---- tgen against the reference generators --------------------------------------------------

def rx_counter(rxp):
    """Sends 'show port stats 0' to an interactive testpmd; returns (time, RX-packets)."""
    n = len(rxp.lines)
    t = time.time()
    rxp.send('show port stats 0')
    end = t + 5
    while time.time() < end:
        for _, line in rxp.lines[n:]:
            m = re.search(r'RX-packets:\s*(\d+)', line)
            if m:
                return t, int(m.group(1))
        time.sleep(0.02)
    raise RuntimeError('testpmd receiver: no port stats')


def memif_round(gen, size, secs=12, window=(4, 10), huge='off', zc=False, info=None):
    """One generator into a testpmd rxonly memif receiver; the receiver's rate over window.
    tgen only: huge, its --hugepages; zc, its port a zero-copy client; info, a dict that gets
    tgen's result row."""
    os.makedirs(RUN, exist_ok=True)
    if os.path.exists(M_REF):
        os.unlink(M_REF)
    rxp = Proc(['stdbuf', '-oL', 'dpdk-testpmd', '-l', '0,1', '--main-lcore', '0', '--no-huge',
                '-m', '1024',
                '--file-prefix', 'lr-ref-rx', '--no-pci', '--no-telemetry', '--vdev',
                memif(0, 'server', M_REF), '--', '-i', '--nb-cores=1'], stdin=True)
    try:
        rxp.wait_for('Checking link statuses')  # the prompt has no newline
        rxp.send('set fwd rxonly')
        rxp.send('start')
        time.sleep(1)
        if gen == 'tgen':
            g = Proc([B + '/tgen', '-l', '0', '--no-pci'] + (ZC_EAL if zc else []) +
                     ['--', 'run', '--engine', 'dpdk',
                      '--hugepages', huge, '--tx-port', memif(0, 'client', M_REF, zc),
                      '--rx-port', 'none', '--rate', 'max', '--duration', '%ds' % secs,
                      '--size', str(size), '--link', '100G', '--cpu', '0', '--ramp', 'off',
                      '--format', 'json'])
        else:
            g = Proc(['dpdk-testpmd', '-l', '0,1', '--main-lcore', '1', '--no-huge', '-m',
                      '1024', '--file-prefix', 'lr-ref-tx', '--no-pci', '--no-telemetry',
                      '--vdev', memif(0, 'client', M_REF), '--', '--forward-mode=txonly',
                      '--txpkts=%d' % (size - 4), '--nb-cores=1', '--stats-period', '1'])
        time.sleep(window[0])
        t0, c0 = rx_counter(rxp)
        time.sleep(window[1] - window[0])
        t1, c1 = rx_counter(rxp)
        if gen == 'tgen':
            g.p.wait(timeout=secs + 20)
            for line in g.stop().splitlines():
                if line.startswith('{') and info is not None:
                    info.update(json.loads(line))
        else:
            g.stop()
        return (c1 - c0) / (t1 - t0)
    finally:
        try:
            rxp.send('quit')
        except BrokenPipeError:  # it ended already: its output says why
            log('  receiver ended early: ' + rxp.text()[-600:].replace('\n', ' | '))
        rxp.stop(secs=10)


def part_tgen_memif(rounds):
    log('== tgen --engine dpdk vs dpdk-testpmd txonly, 64 B into one net_memif receiver '
        '(testpmd rxonly, core 1); rate = receiver RX-packets over a 6 s window')
    r = {'tgen': [], 'testpmd': []}
    for i in range(rounds):
        for gen in ('tgen', 'testpmd'):
            pps = memif_round(gen, 64)
            r[gen].append(pps)
            log('  round %d %-8s %8.3f Mpps' % (i, gen, pps / 1e6))
    a, b = med(r['tgen']), med(r['testpmd'])
    log('  median tgen %.3f Mpps, testpmd txonly %.3f Mpps: ratio %.3f' % (a / 1e6, b / 1e6, a / b))


TRAFGEN_CFG = """{
  0x02, 0x00, 0x00, 0x00, 0x02, 0x02,
  0x02, 0x00, 0x00, 0x00, 0x02, 0x01,
  0x08, 0x00,
  0x45, 0x00, 0x00, 0x2e, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, csumip(14, 33),
  198, 18, 2, 1, 198, 18, 2, 2,
  0x27, 0x10, 0x23, 0x28, 0x00, 0x1a, 0x00, 0x00,
  fill(0x00, 18)
}
"""


def sink_rx():
    out = subprocess.run(['ip', 'netns', 'exec', 'lr-sink', 'cat', '/proc/net/dev'],
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.strip().startswith('lr-s1:'):
            return int(line.split(':', 1)[1].split()[1])
    raise RuntimeError('lr-s1 not found in lr-sink (is the topology up?)')


def afp_round(gen, cfg, batch, secs=9, window=(3, 7)):
    """64 B frames into lr-s0 (lr-gen); the rate lr-s1 (lr-sink) counts over window."""
    if gen == 'tgen':
        g = Proc([B + '/tgen', 'run', '--engine', 'afp', '--tx-dev', 'lr-s0', '--rx-dev', 'none',
                  '--dst-ip', '198.18.2.2', '--rate', 'max', '--duration', '%ds' % secs,
                  '--size', '64', '--ramp', 'off', '--cpu', '0', '--format', 'json'] +
                 (['--batch', str(batch)] if batch else []))
    else:
        g = Proc(['timeout', '-s', 'INT', str(secs), 'ip', 'netns', 'exec', 'lr-gen', 'taskset',
                  '-c', '0', 'trafgen', '--dev', 'lr-s0', '--conf', cfg, '--cpus', '1', '-q'])
    time.sleep(window[0])
    t0, c0 = time.time(), sink_rx()
    time.sleep(window[1] - window[0])
    t1, c1 = time.time(), sink_rx()
    g.p.wait(timeout=secs + 20)
    out = g.stop()
    tx = re.search(r'"note":"([^"]*)"', out)
    return (c1 - c0) / (t1 - t0), tx.group(1) if tx else ''


def part_tgen_afp(rounds):
    log('== tgen --engine afp vs trafgen (netsniff-ng), 64 B into lr-s0 on core 0; rate = '
        'what lr-s1 counts over a 4 s window')
    with tempfile.NamedTemporaryFile('w', suffix='.cfg', prefix='lr-ref-', delete=False) as f:
        f.write(TRAFGEN_CFG)
        cfg = f.name
    r = {}
    try:
        for i in range(rounds):
            for gen, batch in (('tgen', None), ('tgen', 256), ('trafgen', None)):
                pps, how = afp_round(gen, cfg, batch)
                key = gen + (' --batch %d' % batch if batch else '')
                r.setdefault(key, []).append(pps)
                log('  round %d %-18s %8.0f pps %s' % (i, key, pps, how))
    finally:
        os.unlink(cfg)
    t = med(r['trafgen'])
    for k, v in r.items():
        log('  median %-18s %8.0f pps, ratio to trafgen %.3f' % (k, med(v), med(v) / t))


# ---- the forwarders against testpmd ------------------------------------------------------------

class Dut:
    def __init__(self, name, cmd, ready, kind='fwd', netns=None, gen='afp'):
        self.name, self.cmd, self.ready, self.kind, self.gen = name, cmd, ready, kind, gen
        self.netns = netns

    def start(self, share=None, ready_secs=20):
        """Starts the DUT; with a share below 100 (default: --dut-share) in the quota cgroup,
        all its threads, before it forwards anything."""
        share = DUT_SHARE[0] if share is None else share
        self.p = Proc(self.cmd, netns=self.netns)
        if share < 100:
            with open(cgroup_dir()[0] + '/cgroup.procs', 'w') as f:
                f.write(str(self.p.p.pid))
        self.p.wait_for(self.ready, ready_secs)
        time.sleep(0.5)

    def stop(self):
        out = self.out = self.p.stop()
        if self.kind == 'fwd':
            for line in out.splitlines():
                if line.startswith('{'):
                    return json.loads(line)
            return {}
        if self.kind == 'l3fwd':  # it counts nothing it could report
            return {}
        m = re.search(r'CPU cycles/packet=([0-9.]+)', out)
        tx = re.findall(r'TX-packets: (\d+)', out)
        return {'cycles_per_pkt': float(m.group(1)) if m else None,
                'tx_pkts': int(tx[-1]) if tx else None}


def tgen_cmd(dut, mode, zc=(False, False)):
    """tgen's command line against dut; zc: whether its (tx, rx) memif ports are zero-copy."""
    if dut.gen == 'memif':
        return ([B + '/tgen', '-l', '0', '--no-pci'] + (ZC_EAL if any(zc) else []) + ['--'] +
                mode + ['--engine', 'dpdk', '--hugepages', 'on', '--tx-port',
                        memif(0, 'client', M_IN, zc[0]), '--rx-port',
                        memif(1, 'client', M_OUT, zc[1]), '--link', '100G'])
    extra = ['--engine', 'sock', '--dst-ip', '198.18.0.2'] if dut.gen == 'sock' else []
    return [B + '/tgen'] + mode + extra


def tgen_run(dut, rate, dur='2s', size=64, zc=(False, False)):
    cmd = tgen_cmd(dut, ['run', '--rate', rate, '--duration', dur, '--size', str(size),
                         '--cpu', '0', '--format', 'json'], zc)
    r = subprocess.run(cmd, capture_output=True, text=True)
    for line in r.stdout.splitlines():
        if line.startswith('{'):
            return json.loads(line)
    raise RuntimeError('tgen: ' + r.stdout + r.stderr)


def tgen_ndr(dut, tests=None, zc=(False, False)):
    cmd = tgen_cmd(dut, ['rfc2544', '--size', '64', '--cpu', '0'] +
                   (['--tests', tests] if tests else []), zc)
    r = subprocess.run(cmd, capture_output=True, text=True)
    m = re.search(r'NDR ([0-9.]+) (k|M)pps[^\n]*', r.stdout)
    if not m:
        return None, ' '.join((r.stdout + r.stderr).split())[-300:]
    return float(m.group(1)) * (1e3 if m.group(2) == 'k' else 1e6), m.group(0)


def ndr_verdict(line):
    """What ended an NDR search, from tgen rfc2544's NDR line: 'DUT-limited' when the DUT lost
    frames above the NDR or its backpressure set the ceiling, 'generator-bound' when tgen's own
    ceiling did, 'undecided' when tgen could not tell which of the two (traffic_gen/modes.c)."""
    if 'loss seen at' in line or "the DUT's backpressure ceiling" in line:
        return 'DUT-limited'
    if 'generator could not offer' in line or "the generator's ceiling" in line:
        return 'generator-bound'
    if 'undecided' in line:
        return 'undecided'
    return '?'


def fwd(name, args, **kw):
    return Dut(name, [B + '/' + args[0]] + args[1:] + ['--format', 'json'],
               'relaying' if args[0] == 'fwd-sock' else 'forwarding', **kw)


def duts():
    tp_veth = ['dpdk-testpmd', '-l', '0,1', '--main-lcore', '0'] + EAL_QUIET + [
        '--vdev', 'net_af_packet0,iface=lr-d0,' + AFPKT, '--vdev',
        'net_af_packet1,iface=lr-d1,' + AFPKT, '--', '--forward-mode=io', '--nb-cores=1',
        '--stats-period', '100', '--record-core-cycles']
    tp_memif = ['dpdk-testpmd', '-l', '0,1', '--main-lcore', '0'] + EAL_QUIET + [
        '--vdev', memif(0, 'server', M_IN), '--vdev', memif(1, 'server', M_OUT), '--',
        '--forward-mode=mac', '--eth-peer=1,02:00:00:00:01:01', '--eth-peer=0,02:00:00:00:00:01',
        '--nb-cores=1', '--stats-period', '100', '--record-core-cycles']
    tp_io = [x if x != '--forward-mode=mac' else '--forward-mode=io' for x in tp_memif
             if not x.startswith('--eth-peer')]
    memif_dpdk = ['fwd-dpdk', '-l', '1', '--', '--memif', '--hugepages', 'on']
    l3fwd = Dut('l3fwd memif', ['stdbuf', '-oL', L3FWD, '-l', '1'] + EAL_QUIET + [
        '--vdev', memif(0, 'server', M_IN), '--vdev', memif(1, 'server', M_OUT), '--'] +
        L3FWD_ARGS + ['--rule_ipv4', L3FWD_ROUTES[0], '--rule_ipv6', L3FWD_ROUTES[1]],
        'entering main loop', kind='l3fwd', gen='memif')
    return {
        'fwd-sock': fwd('fwd-sock', ['fwd-sock'], gen='sock'),
        'fwd-afp': fwd('fwd-afp', ['fwd-afp']),
        'fwd-afp --poll': fwd('fwd-afp --poll', ['fwd-afp', '--poll']),
        'fwd-dpdk af_packet': fwd('fwd-dpdk af_packet', ['fwd-dpdk', '-l', '1', '--']),
        'fwd-dpdk af_xdp': fwd('fwd-dpdk af_xdp', ['fwd-dpdk', '-l', '1', '--', '--pmd', 'af_xdp']),
        'testpmd io af_packet': Dut('testpmd io af_packet', tp_veth, 'start packet forwarding',
                                    kind='testpmd', netns='lr-dut'),
        'fwd-dpdk memif': fwd('fwd-dpdk memif', memif_dpdk, gen='memif'),
        'testpmd mac memif': Dut('testpmd mac memif', tp_memif, 'start packet forwarding',
                                 kind='testpmd', gen='memif'),
        'l3fwd memif': l3fwd,
        'testpmd io memif': Dut('testpmd io memif', tp_io, 'start packet forwarding',
                                kind='testpmd', gen='memif'),
    }


VETH_AND_MEMIF = ['fwd-sock', 'fwd-afp', 'fwd-afp --poll', 'fwd-dpdk af_packet', 'fwd-dpdk af_xdp',
                  'testpmd io af_packet', 'fwd-dpdk memif', 'testpmd mac memif', 'l3fwd memif']
ANCHORS = ['fwd-dpdk memif', 'testpmd mac memif', 'l3fwd memif']

# l3fwd on the memif pair: port 0 in, port 1 out, both polled by lcore 1; LPM routes that send
# tgen's flow (dst 198.18.1.1, common/topo_defs.h) out of port 1 to the sink's MAC and the
# reverse subnet back out of port 0 to the generator's, as fwd-dpdk and testpmd mac
# --eth-peer do. --parse-ptype: memif reports no packet types, which l3fwd's LPM path needs.
L3FWD_ARGS = ['-p', '0x3', '--config', '(0,0,1),(1,0,1)', '--parse-ptype', '--lookup', 'lpm',
              '--eth-dest', '0,02:00:00:00:00:01', '--eth-dest', '1,02:00:00:00:01:01']
L3FWD_RULES = ('R198.18.0.0/24 0\nR198.18.1.0/24 1\n',
               # l3fwd wants an IPv6 file as well; this prefix sees no traffic
               'R2001:0db8:0000:0000:0000:0000:0000:0000/32 0\n')
L3FWD_ROUTES = [os.path.join(tempfile.gettempdir(), 'lr-ref-l3fwd-v%d.cfg' % v) for v in (4, 6)]


def l3fwd_ready():
    """Builds l3fwd if needed (make refbench-tools) and writes its route files; exits with the
    reason when it cannot be built."""
    if not os.path.exists(L3FWD):
        r = subprocess.run(['make', '-C', TOP, 'refbench-tools'], capture_output=True, text=True)
        if r.returncode or not os.path.exists(L3FWD):
            sys.exit('refbench: cannot build l3fwd (make refbench-tools): ' +
                     (r.stderr or r.stdout)[-800:])
    for path, rules in zip(L3FWD_ROUTES, L3FWD_RULES):
        with open(path, 'w') as f:
            f.write(rules)


def cycles_during(dut, rate, secs=5):
    """Starts traffic; the caller stops the DUT while it still flows (testpmd's memif counters
    reset when the peer leaves, which would hide its cycles/packet line): same for every DUT."""
    cmd = tgen_cmd(dut, ['run', '--rate', rate, '--duration', '%ds' % secs, '--size', '64',
                         '--cpu', '0', '--format', 'json'])
    g = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(secs - 1.0)
    return g


def sink_drop(on):
    """On veth the sink's receive path runs in softirq on the sending CPU, the DUT's: frames
    addressed to lr-k1 go up lr-sink's IP stack (and earn ICMP port unreachables) at the DUT's
    expense, frames for another MAC (testpmd io leaves the MACs alone) are dropped at once.
    Dropping at lr-k1's ingress hook, after the generator's AF_PACKET tap has counted the frame,
    charges every DUT the same. Only for the afp/dpdk receivers (tgen's sock engine needs the
    stack)."""
    nft = ['ip', 'netns', 'exec', 'lr-sink', 'nft']
    subprocess.run(nft + ['delete', 'table', 'netdev', 'lr_refbench'], capture_output=True)
    if on:
        subprocess.run(nft + ['add', 'table', 'netdev', 'lr_refbench'], check=True)
        subprocess.run(nft + ['add', 'chain', 'netdev', 'lr_refbench', 'in',
                              '{ type filter hook ingress device lr-k1 priority 0; policy drop; }'],
                       check=True)


def with_dut(dut, fn, share=None):
    for _ in range(3):
        topo(True)
        try:
            sink_drop(dut.gen == 'afp')
            dut.start(share)
            try:
                res = fn(dut)
            finally:
                row = dut.stop()
            return res, row
        except Exception as e:  # a DUT that did not come up: retry on a fresh topology
            log('   (retry %s: %s)' % (dut.name, str(e)[:200]))
            time.sleep(5)
    raise RuntimeError('gave up on ' + dut.name)


def part_fwd_ndr(D, rounds):
    log('== highest loss-free rate at 64 B (tgen rfc2544, short trials; veth: the sink drops '
        'at lr-k1 ingress after tgen counted, except for fwd-sock, whose generator needs the '
        'stack)')
    for n in VETH_AND_MEMIF:
        (v, line), _ = with_dut(D[n], tgen_ndr)
        log('%-22s NDR %s  | %s' % (n, '%.0f pps' % v if v else '?', line.strip()))


def part_fwd_max(D, rounds):
    log('== unpaced (tgen --rate max, 2 s, 64 B): delivered rate; DUT cycles/pkt')
    for n in VETH_AND_MEMIF:
        t, row = with_dut(D[n], lambda d: tgen_run(d, 'max'))
        log('%-22s tx %9.0f pps rx %9.0f pps (%s) | DUT cycles/pkt %s' % (
            n, t['tx_pps'], t['rx_pps'], t['status'], row.get('cycles_per_pkt')))


def part_fwd_cycles(D, rounds):
    log('== cycles/packet at the same offered rate (DUT stopped while traffic flows), 64 B')
    for n, rates in [('fwd-dpdk memif', ['1Mpps', '5Mpps', 'max']),
                     ('testpmd mac memif', ['1Mpps', '5Mpps', 'max']),
                     ('fwd-dpdk af_packet', ['100kpps']), ('testpmd io af_packet', ['100kpps']),
                     ('fwd-afp', ['100kpps']), ('fwd-afp --poll', ['100kpps'])]:
        for rate in rates:
            g, row = with_dut(D[n], lambda d: cycles_during(d, rate))
            g.communicate()
            log('%-22s %-7s: DUT cycles/pkt %s' % (n, rate, row.get('cycles_per_pkt')))


def part_fwd_ab(D, rounds):
    log('== A/B, alternating: unpaced delivered rate (tgen rx pps) and DUT cycles/pkt '
        '(veth: the sink drops at lr-k1 ingress after tgen counted)')
    for a, b in [('fwd-dpdk memif', 'testpmd mac memif'), ('fwd-dpdk memif', 'l3fwd memif'),
                 ('fwd-afp', 'testpmd io af_packet')]:
        r = {a: [], b: []}
        for i in range(rounds):
            for n in (a, b):
                t, row = with_dut(D[n], lambda d: tgen_run(d, 'max', dur='3s'))
                r[n].append(t['rx_pps'])
                log('%-22s round %d: rx %10.0f pps (%s) | cycles/pkt %s' % (
                    n, i, t['rx_pps'], t['status'], row.get('cycles_per_pkt')))
        log('  median %s %.0f pps vs %s %.0f pps: ratio %.3f' % (
            a, med(r[a]), b, med(r[b]), med(r[a]) / med(r[b])))


def tsc_hz():
    out = subprocess.run([B + '/linerate', 'table'], capture_output=True, text=True).stdout
    m = re.search(r'TSC ([0-9.]+) GHz', out)
    if not m:
        raise RuntimeError('linerate table: no TSC frequency in: ' + out[:300])
    return float(m.group(1)) * 1e9


def cpu_seconds(pid):
    """User + system CPU time of a process, all its threads (/proc/PID/stat, fields 14 and 15)."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def saturated_cycles(dut, tsc, secs=6, skip=2):
    """The DUT's CPU cycles per delivered packet under an unpaced generator, measured from
    outside, so that a DUT without a cycle counter (l3fwd) is measured like the others: the
    DUT's CPU time (/proc, sampled every 50 ms) over a window of tgen's live lines (every 0.5 s,
    the first `skip` left out: link-up and ramp), divided by the frames tgen received in that
    window. A polling DUT spends its empty polls in that time too, so this is an upper bound of
    its busy cycles per packet, equal to them when the DUT never waits for input (saturated);
    the DUTs that count their own busy cycles (fwd-dpdk, testpmd) show how close it comes.
    Returns (the tgen process, still running: the caller stops the DUT first, as cycles_during
    does, then waits for it; the figures)."""
    cmd = tgen_cmd(dut, ['run', '--rate', 'max', '--duration', '%ds' % secs, '--size', '64',
                         '--cpu', '0', '--format', 'json', '--stats-interval', '500ms'])
    g = Proc(cmd)
    samples = []
    end = time.time() + secs - 1.0
    while time.time() < end:
        samples.append((time.time(), cpu_seconds(dut.p.p.pid)))
        time.sleep(0.05)
    live = []
    for t, line in list(g.lines):
        m = re.search(r'\| rx\s+([0-9.]+) Mpps', line)
        if m and t <= samples[-1][0]:
            live.append((t, float(m.group(1)) * 1e6))
    live = live[skip:]
    if len(live) < 2:
        return g, {'error': 'too few live lines: ' + g.text()[-400:]}

    def cpu_at(t):
        return min(samples, key=lambda s: abs(s[0] - t))[1]

    pkts = sum(rx * (t - live[k][0]) for k, (t, rx) in enumerate(live[1:]))
    wall = live[-1][0] - live[0][0]
    cpu = cpu_at(live[-1][0]) - cpu_at(live[0][0])
    return g, {'rx_pps': pkts / wall, 'cpu_frac': cpu / wall,
               'cycles_per_pkt': cpu * tsc / pkts if pkts else None}


def ratio(a, b):
    return a / b if b else float('nan')


def fmt(v, f='%.1f'):
    return f % v if v is not None and v == v else '-'


def part_fwd_anchors(D, rounds):
    share = DUT_SHARE[0]
    log('== the forwarding anchors on memif (issue 11), 64 B, DUT on core 1, tgen --engine dpdk '
        'on core 0: fwd-dpdk vs testpmd mac vs l3fwd (LPM, --parse-ptype); per round each DUT\'s '
        'NDR (tgen rfc2544 --tests throughput) with its verdict, then its cycles/packet under '
        'an unpaced generator: its own count (busy cycles: fwd-dpdk, testpmd '
        '--record-core-cycles) and, for all three alike, its CPU time x TSC / frames delivered '
        '(an upper bound of busy cycles, equal when the DUT never waits for input)')
    if share < 100:
        log('   every DUT gets %d%% of core 1 (CFS quota %d us per %d us period, cgroup %s), '
            'tgen\'s memif rings 2^%d slots; tgen\'s ceiling per round: its NDR through '
            'testpmd io with a whole core (a lower bound of the ceiling when testpmd io set it). '
            'Own busy-cycle counts include the time the quota stopped a DUT mid-burst, so '
            'under a quota only CPU time / frames is compared' % (
                share, CG_QUOTA_US, round(CG_QUOTA_US * 100 / share), cgroup_dir()[0],
                RING_LOG2[0]))
    tsc = tsc_hz()
    r = {n: {'ndr': [], 'ok_ndr': [], 'verdicts': [], 'own': [], 'sat': [], 'rx': [],
             'cpu': []} for n in ANCHORS}
    ceil, unpaced = [], []
    for i in range(rounds):
        if share < 100:
            t, _ = with_dut(D['testpmd io memif'], lambda d: tgen_try(d, 'max', (False, False)),
                            share=100)
            (v, line), _ = with_dut(D['testpmd io memif'], lambda d: tgen_ndr(d, 'throughput'),
                                    share=100)
            ceil.append(v)
            unpaced.append(t.get('tx_pps'))
            log('%-18s round %d: through testpmd io, unpaced tx %s rx %s Mpps %s| NDR %s Mpps, '
                '%s | %s' % ('tgen ceiling', i, fmt(t.get('tx_pps') and t['tx_pps'] / 1e6, '%.3f'),
                             fmt(t.get('rx_pps') and t['rx_pps'] / 1e6, '%.3f'),
                             t.get('error', '') + ' ' if 'error' in t else '',
                             fmt(v and v / 1e6, '%.3f'), ndr_verdict(line) if v else '?',
                             line.strip()[:160]))
        for n in ANCHORS:
            before = cgroup_stat()
            (v, line), _ = with_dut(D[n], lambda d: tgen_ndr(d, 'throughput'))
            after = cgroup_stat()
            verdict = ndr_verdict(line) if v else '?'
            r[n]['ndr'].append(v)
            r[n]['verdicts'].append(verdict)
            if verdict == 'DUT-limited':
                r[n]['ok_ndr'].append(v)
            log('%-18s round %d: NDR %s Mpps, %s | %s%s' % (
                n, i, fmt(v and v / 1e6, '%.3f'), verdict, line.strip()[:160],
                ' | quota stopped it in %d of %d periods' % (
                    after[1] - before[1], after[0] - before[0]) if share < 100 else ''))
        for n in ANCHORS:
            (g, sat), row = with_dut(D[n], lambda d: saturated_cycles(d, tsc))
            g.p.wait(timeout=30)
            g.stop()
            own = row.get('cycles_per_pkt') if share == 100 else None
            r[n]['own'].append(own)
            r[n]['sat'].append(sat.get('cycles_per_pkt'))
            r[n]['rx'].append(sat.get('rx_pps'))
            r[n]['cpu'].append(sat.get('cpu_frac'))
            log('%-18s round %d: unpaced rx %s Mpps, DUT CPU %s%% of a core | cycles/pkt: '
                'own count %s, CPU time / frames %s %s' % (
                    n, i, fmt(sat.get('rx_pps') and sat['rx_pps'] / 1e6, '%.3f'),
                    fmt(sat.get('cpu_frac') and 100 * sat['cpu_frac'], '%.0f'),
                    fmt(own), fmt(sat.get('cycles_per_pkt')), sat.get('error', '')))
    log('  medians over %d round(s) (TSC %.3f GHz%s):' % (
        rounds, tsc / 1e9, ', DUT share %d%%' % share if share < 100 else ''))
    for n in ANCHORS:
        x = r[n]
        log('  %-18s NDR %s Mpps (DUT-limited rounds %d of %d: %s; their median %s) | '
            'unpaced rx %s Mpps at %s%% CPU | cycles/pkt own %s, CPU time / frames %s' % (
                n, fmt(med(x['ndr']) / 1e6, '%.3f'), len(x['ok_ndr']), rounds,
                ', '.join(x['verdicts']), fmt(med(x['ok_ndr']) / 1e6, '%.3f'),
                fmt(med(x['rx']) / 1e6, '%.3f'), fmt(100 * med(x['cpu']), '%.0f'),
                fmt(med(x['own'])), fmt(med(x['sat']))))
    a = r['fwd-dpdk memif']
    if share < 100:
        # per round: the machine's speed drifts between rounds, both figures of one round share it
        per = [ratio(c, v) for c, v, verdict in zip(ceil, a['ndr'], a['verdicts'])
               if c and v and verdict == 'DUT-limited']
        log('  tgen ceiling (its NDR through testpmd io, whole core) %s Mpps, unpaced tx %s; over '
            'fwd-dpdk\'s DUT-limited NDR of the same round: %s, median %s (issue 11 asks >= 1.5)'
            % (fmt(med(ceil) / 1e6, '%.3f'), fmt(med(unpaced) / 1e6, '%.3f'),
               ', '.join(fmt(x, '%.2f') for x in per) or 'no round to compare',
               fmt(med(per), '%.2f')))
    for b in ('l3fwd memif', 'testpmd mac memif'):
        y = r[b]
        log('  fwd-dpdk / %-17s NDR %s (DUT-limited rounds only: %s), unpaced rx %s, '
            'cycles/pkt (CPU time / frames) %s%s' % (
                b, fmt(ratio(med(a['ndr']), med(y['ndr'])), '%.3f'),
                fmt(ratio(med(a['ok_ndr']), med(y['ok_ndr'])), '%.3f'),
                fmt(ratio(med(a['rx']), med(y['rx'])), '%.3f'),
                fmt(ratio(med(a['sat']), med(y['sat'])), '%.3f'),
                ', own counts %s' % fmt(ratio(med(a['own']), med(y['own'])), '%.3f')
                if b.startswith('testpmd') and share == 100 else ''))


def callgrind_window(dut, intervals=8):
    """Runs dut under callgrind while an unpaced tgen saturates it (valgrind slows it ~20x, so
    it never waits for input) and returns (instructions of its busiest thread in a window of
    `intervals` of tgen's 0.5 s live lines, frames tgen received in those lines, tgen's rx
    rates). Instrumentation goes on once traffic flows and three lines pass (instrumented code
    runs slower: the rate settles); the counters are zeroed just after one line arrives and
    dumped just after the last: both commands reach the DUT with the same delay, so the
    window covers the frames of those lines. Busiest thread: the forwarding lcore, not
    testpmd's prompt or DPDK's control threads."""
    out = os.path.join(tempfile.mkdtemp(prefix='lr-refbench-cg-'), 'cg.out')
    name = os.path.basename(dut.cmd[0] if dut.cmd[0] != 'stdbuf' else dut.cmd[2])
    saved = dut.cmd
    # --fair-sched: valgrind runs one thread at a time; without it the polling lcore starves
    # the thread that answers memif's control socket, and tgen never sees the link come up
    dut.cmd = ['valgrind', '--tool=callgrind', '--fair-sched=yes', '--instr-atstart=no',
               '--separate-threads=yes',
               '--callgrind-out-file=' + out] + [c for c in saved if c not in ('stdbuf', '-oL')]
    topo(True)
    try:
        dut.start(ready_secs=180)
    finally:
        dut.cmd = saved
    pid = str(dut.p.p.pid)
    g = None

    def live():
        return [float(m.group(1)) for _, line in list(g.lines)
                for m in [re.search(r'\| rx\s+([0-9.]+) Mpps', line)] if m]

    def wait_lines(n, secs=60):
        end = time.time() + secs
        while len(live()) < n:
            if g.p.poll() is not None or time.time() > end:
                raise RuntimeError('tgen: ' + g.text()[-400:])
            time.sleep(0.01)

    try:
        # the DUT's memif control thread answers slowly under valgrind: tgen may give up
        # waiting for the link (5 s) before it connects; then it starts again
        for _ in range(4):
            g = Proc(tgen_cmd(dut, ['run', '--rate', 'max', '--duration', '120s', '--size',
                                    '64', '--cpu', '0', '--stats-interval', '500ms',
                                    '--format', 'json']))
            end = time.time() + 30
            while (len([r for r in live() if r > 0]) < 2 and g.p.poll() is None and
                   time.time() < end):
                time.sleep(0.05)
            if len([r for r in live() if r > 0]) >= 2:
                break
            g.stop()
        else:
            raise RuntimeError('no traffic through %s under callgrind: %s' % (
                name, g.text()[-400:]))
        subprocess.run(['callgrind_control', '-i', 'on', pid], capture_output=True)
        wait_lines(len(live()) + 3)
        n0 = len(live())
        subprocess.run(['callgrind_control', '-z', pid], capture_output=True)
        wait_lines(n0 + intervals)
        subprocess.run(['callgrind_control', '-d', 'window', pid], capture_output=True)
        rates = live()[n0:n0 + intervals]
    finally:
        if g:
            g.stop()
        dut.stop()
    busiest = 0
    for f in os.listdir(os.path.dirname(out)):
        path = os.path.join(os.path.dirname(out), f)
        if '.1-' in f or f.endswith('.1'):  # the dump of the window, one file per thread
            with open(path) as fh:
                for line in fh:
                    if line.startswith('totals:'):
                        busiest = max(busiest, int(line.split()[1]))
        os.unlink(path)
    os.rmdir(os.path.dirname(out))
    return busiest, sum(rates) * 1e6 * 0.5, rates


def part_fwd_instr(D, rounds):
    log('== instructions per forwarded frame on memif (issue 11), 64 B, each DUT under valgrind '
        '--tool=callgrind saturated by an unpaced tgen: its busiest thread\'s instructions over '
        'a window of 8 of tgen\'s 0.5 s lines / the frames tgen received in them. Repeatable '
        'where cycles are not (this machine\'s speed moves 2x between minutes); memory stalls, '
        'which the memif copies add, are not in it')
    r = {n: [] for n in ANCHORS}
    # rings of 2^14 slots: a backlog of 16k frames keeps the DUT busy through a stall of tgen
    # (another process on core 0) of 30 ms, so no empty poll enters the count
    saved, RING_LOG2[0] = RING_LOG2[0], 14
    for i in range(rounds):
        for n in ANCHORS:
            try:
                ir, frames, rates = callgrind_window(D[n])
            except RuntimeError as e:
                log('%-18s round %d: %s' % (n, i, str(e)[:300]))
                continue
            r[n].append(ir / frames if frames and ir else None)
            log('%-18s round %d: %d instructions / %.0f frames = %s per frame (rx %s Mpps)' % (
                n, i, ir, frames, fmt(r[n][-1]), ' '.join('%.3f' % x for x in rates)))
    RING_LOG2[0] = saved
    log('  medians over %d round(s):' % rounds)
    for n in ANCHORS:
        log('  %-18s %s instructions per frame [%s]' % (
            n, fmt(med(r[n])), ' '.join(fmt(x) for x in r[n])))
    a = med(r['fwd-dpdk memif'])
    for b in ('l3fwd memif', 'testpmd mac memif'):
        log('  fwd-dpdk / %-17s %s' % (b, fmt(ratio(a, med(r[b])), '%.3f')))


def tgen_try(dut, rate, zc):
    """tgen_run that answers an error instead of raising: a setup that cannot run (both ports
    zero-copy) is a result here, not a reason to retry."""
    try:
        return tgen_run(dut, rate, zc=zc)
    except RuntimeError as e:
        return {'error': ' '.join(str(e).split())[-300:]}


ZC_VARIANTS = [('copy', (False, False)), ('zc tx', (True, False)), ('zc rx', (False, True)),
               ('zc tx+rx', (True, True))]


def part_tgen_ceiling(D, rounds):
    log('== tgen\'s ceiling on memif at 64 B (issue 11), tgen on core 0, the other side on '
        'core 1, with and without the client\'s zero-copy=yes (tx port, rx port, both; EAL %s): '
        '(a) tx only into testpmd rxonly: the receiver\'s rate and tgen\'s cycles per frame; '
        '(b) through testpmd io (a trivial forwarder): unpaced tx/rx and tgen\'s cycles per '
        'frame (transmit and receive accounting), and the paced NDR (tgen rfc2544 --tests '
        'throughput: loss and latency accounted) with its verdict; (c) through fwd-dpdk: '
        'unpaced rx, and how often io_dpdk\'s guard against a zero-copy peer\'s bad buffers '
        '(issue 18) fired' % ' '.join(ZC_EAL))
    r = {name: {'rxonly': [], 'tx_cyc': [], 'cyc': [], 'io_rx': [], 'ndr': [], 'verdicts': [],
                'fwd_rx': []} for name, _ in ZC_VARIANTS}
    guard_runs = guard_hits = 0
    for i in range(rounds):
        for name, zc in ZC_VARIANTS:
            x = r[name]
            if not zc[1]:  # tx only: the rx port's mode does not exist there
                info = {}
                x['rxonly'].append(memif_round('tgen', 64, secs=7, window=(3, 6), huge='on',
                                               zc=zc[0], info=info))
                x['tx_cyc'].append(info.get('cycles_per_pkt'))
            t, _ = with_dut(D['testpmd io memif'], lambda d: tgen_try(d, 'max', zc))
            (v, line), _ = with_dut(D['testpmd io memif'],
                                    lambda d: tgen_ndr(d, 'throughput', zc))
            f, _ = with_dut(D['fwd-dpdk memif'], lambda d: tgen_try(d, 'max', zc))
            hits = D['fwd-dpdk memif'].out.count('zero-copy=no')
            if any(zc):
                guard_runs += 1
                guard_hits += hits > 0
            x['cyc'].append(t.get('cycles_per_pkt'))
            x['io_rx'].append(t.get('rx_pps'))
            x['ndr'].append(v)
            x['verdicts'].append(ndr_verdict(line) if v else '?')
            x['fwd_rx'].append(f.get('rx_pps'))
            log('%-9s round %d: rxonly %s Mpps, tgen %s cycles/frame | through testpmd io: tx '
                '%s rx %s Mpps, tgen %s cycles/frame %s; NDR %s Mpps %s | through fwd-dpdk: rx '
                '%s Mpps, guard %d%s' % (
                    name, i, fmt(x['rxonly'][-1] / 1e6 if not zc[1] else None, '%.3f'),
                    fmt(x['tx_cyc'][-1] if not zc[1] else None),
                    fmt(t.get('tx_pps') and t['tx_pps'] / 1e6, '%.3f'),
                    fmt(t.get('rx_pps') and t['rx_pps'] / 1e6, '%.3f'),
                    fmt(t.get('cycles_per_pkt')), t.get('error', ''),
                    fmt(v and v / 1e6, '%.3f'), x['verdicts'][-1],
                    fmt(f.get('rx_pps') and f['rx_pps'] / 1e6, '%.3f'), hits,
                    ' ' + f['error'] if 'error' in f else ''))
    log('  medians over %d round(s), Mpps:' % rounds)
    base = r['copy']
    for name, _ in ZC_VARIANTS:
        x = r[name]
        log('  %-9s rxonly %s (tgen %s cycles/frame) | through testpmd io rx %s (tgen %s '
            'cycles/frame), NDR %s (%s) | through fwd-dpdk rx %s | ratio to copy: rxonly %s, '
            'tgen cycles/frame %s, NDR %s' % (
                name, fmt(med(x['rxonly']) / 1e6, '%.3f'), fmt(med(x['tx_cyc'])),
                fmt(med(x['io_rx']) / 1e6, '%.3f'), fmt(med(x['cyc'])),
                fmt(med(x['ndr']) / 1e6, '%.3f'), ', '.join(x['verdicts']),
                fmt(med(x['fwd_rx']) / 1e6, '%.3f'),
                fmt(ratio(med(x['rxonly']), med(base['rxonly'])), '%.3f'),
                fmt(ratio(med(x['cyc']), med(base['cyc'])), '%.3f'),
                fmt(ratio(med(x['ndr']), med(base['ndr'])), '%.3f')))
    log('  io_dpdk\'s zero-copy guard fired in %d of %d fwd-dpdk runs with a zero-copy port' %
        (guard_hits, guard_runs))


def part_fwd_cpu(D, rounds):
    log('== CPU at 10 kpps for 5 s (DUT user+sys over its run / its duration)')
    for n in ['fwd-afp', 'fwd-dpdk af_packet', 'fwd-sock', 'fwd-afp --poll']:
        t, row = with_dut(D[n], lambda d: tgen_run(d, '10kpps', dur='5s'))
        busy = row['cpu_user_s'] + row['cpu_sys_s']
        log('%-22s rx %d lost %d | user %.2f s sys %.2f s = %.1f%% of a core over %.1f s; '
            'machine softirq %.2f s' % (n, t['rx_pkts'], t['lost_pkts'], row['cpu_user_s'],
                                        row['cpu_sys_s'], 100 * busy / row['duration_s'],
                                        row['duration_s'], row['cpu_softirq_s']))


SWEEP = [('fwd-sock', ['fwd-sock'], 'sock', ['none', 'lockfree', 'mutex']),
         ('fwd-afp', ['fwd-afp'], 'afp', ['none', 'lockfree', 'mutex']),
         ('fwd-dpdk veth', ['fwd-dpdk', '-l', '1', '--'], 'afp',
          ['none', 'lockfree', 'mutex', 'rte']),
         ('fwd-dpdk memif', ['fwd-dpdk', '-l', '1', '--', '--memif', '--hugepages', 'on'],
          'memif', ['none', 'lockfree', 'mutex', 'rte'])]


def part_fwd_knob(D, knob, values):
    log('== %s sweep (tgen --rate max, 2 s, 64 B): delivered pps; DUT cycles/pkt' % knob)
    for n, base, gen, rings in SWEEP:
        for v in (values or rings):
            d = fwd(n, base + ['--' + knob, v], gen=gen)
            t, row = with_dut(d, lambda d: tgen_run(d, 'max'))
            log('%-16s %s %-8s: rx %9.0f pps (tx %9.0f, %s) | cycles/pkt %s' % (
                n, knob, v, t['rx_pps'], t['tx_pps'], t['status'], row.get('cycles_per_pkt')))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('parts', nargs='+', choices=['tgen-memif', 'tgen-ceiling', 'tgen-afp',
                                                 'fwd-ndr', 'fwd-max',
                                                 'fwd-cycles', 'fwd-ab', 'fwd-anchors', 'fwd-instr',
                                                 'fwd-cpu',
                                                 'fwd-batch', 'fwd-ring'])
    ap.add_argument('--rounds', type=int, default=3, help='A/B rounds (default 3)')
    ap.add_argument('--log', help='also append the output to this file')
    ap.add_argument('--dut-share', type=int, default=100, metavar='PCT',
                    help='give every DUT PCT%% of its core (CFS quota, 10..100; default 100: '
                    'all of it) and tgen\'s memif rings --ring-log2 slots: a DUT-bound setup '
                    'where tgen costs as much per frame as the DUT (fwd-anchors)')
    ap.add_argument('--ring-log2', type=int, default=None, metavar='N',
                    help='tgen\'s memif rings get 2^N slots (memif rsize, 1..14; default: the '
                    'PMD\'s 2^10, or 2^12 with --dut-share below 100)')
    a = ap.parse_args()
    if not 10 <= a.dut_share <= 100:
        sys.exit('refbench: --dut-share %d: give a percentage of one core from 10 to 100' %
                 a.dut_share)
    if a.ring_log2 is not None and not 1 <= a.ring_log2 <= 14:
        sys.exit('refbench: --ring-log2 %d: memif rings take 2^1 to 2^14 slots' % a.ring_log2)
    DUT_SHARE[0] = a.dut_share
    RING_LOG2[0] = a.ring_log2 if a.ring_log2 else (12 if a.dut_share < 100 else None)
    if os.geteuid() != 0:
        sys.exit('refbench: needs root (namespaces, DPDK); run it with sudo')
    if a.log:
        LOG[0] = open(a.log, 'a')
    log('==== refbench', time.strftime('%Y-%m-%d %H:%M:%S'), ' '.join(a.parts),
        '| load average %.2f' % os.getloadavg()[0])
    if a.dut_share < 100:
        cgroup_setup(a.dut_share)
    D = duts()
    if set(a.parts) & {'fwd-ndr', 'fwd-max', 'fwd-ab', 'fwd-anchors', 'fwd-instr'}:
        l3fwd_ready()
    veth = any(p != 'tgen-memif' for p in a.parts)
    if veth:
        topo(True)
    try:
        for p in a.parts:
            if p == 'tgen-memif':
                part_tgen_memif(a.rounds)
            elif p == 'tgen-afp':
                part_tgen_afp(a.rounds)
            elif p == 'tgen-ceiling':
                part_tgen_ceiling(D, a.rounds)
            elif p == 'fwd-batch':
                part_fwd_knob(D, 'batch', ['1', '8', '32', '256'])
            elif p == 'fwd-ring':
                part_fwd_knob(D, 'ring', None)
            else:
                globals()['part_' + p.replace('-', '_')](D, a.rounds)
    finally:
        if veth:
            sink_drop(False)
            topo(False)
        for path in L3FWD_ROUTES:
            if os.path.exists(path):
                os.unlink(path)
        if a.dut_share < 100:
            cgroup_remove()


if __name__ == '__main__':
    main()
