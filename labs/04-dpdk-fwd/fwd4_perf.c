// SPDX-License-Identifier: MIT
/*
 * fwd4_perf.c (lab 04, given): what your lab_fwd_round() costs per frame against the
 * reference's, on the ring ports of harness.c, on one core. 1023 frames of 64 B fill the
 * in-port; the clock (TSC) runs only while rounds drain them; then, with the clock stopped,
 * what the out-port transmitted gets TTL 64 and its checksum back and refills the in-port. So
 * the figure is the round's own cost, with no generator to be the limit. Yours and the
 * reference alternate for ROUNDS windows of WINDOW_S each and the best counts. Grade: PASS
 * when yours costs at most 1.25x the reference's cycles (80% of its rate) in this run.
 */
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <stdio.h>

#include "fwd4.h"
#include "harness.h"

#define WINDOW_S 0.4
#define ROUNDS   4
#define FRAMES   1023

unsigned ref_lab_fwd_round(struct lab_fwd *f);

static struct lab_ports P;

/* Puts what the out-port sent back into the in-port, as new (the clock is stopped). */
static void refill(void)
{
	static uint16_t csum;
	void *m[64];
	unsigned n;

	while ((n = rte_ring_dequeue_burst(P.out_ring, m, 64, NULL))) {
		for (unsigned i = 0; i < n; i++) {
			struct rte_ipv4_hdr *ip = lab_ip(m[i]);

			ip->time_to_live = 64;
			if (!csum) {
				ip->hdr_checksum = 0;
				csum = rte_ipv4_cksum(ip);
			}
			ip->hdr_checksum = csum;
		}
		rte_ring_enqueue_burst(P.in_ring, m, n, NULL);
	}
}

/* One window with round(); returns TSC cycles per frame forwarded. */
static double window(struct lab_fwd *f, unsigned (*round)(struct lab_fwd *))
{
	uint64_t spent = 0, tx0 = f->st.tx, budget = (uint64_t)(WINDOW_S * rte_get_tsc_hz());

	while (spent < budget) {
		uint64_t t0;

		refill();
		t0 = rte_get_tsc_cycles();
		while (!rte_ring_empty(P.in_ring))
			round(f);
		spent += rte_get_tsc_cycles() - t0;
	}
	return f->st.tx > tx0 ? (double)spent / (double)(f->st.tx - tx0) : -1;
}

int main(void)
{
	struct lab_fwd f;
	double yours = 1e30, ref = 1e30, ghz;

	if (lab_ports_up(&P, 1024))
		return 2;
	f = (struct lab_fwd){.in_port = P.in_port, .out_port = P.out_port};
	for (unsigned i = 0; i < FRAMES; i++) {
		struct rte_mbuf *m = lab_frame(&P, 64);

		if (!m || rte_ring_enqueue(P.out_ring, m)) {
			fprintf(stderr, "fwd4_perf: cannot make the frames\n");
			return 2;
		}
	}
	for (unsigned r = 0; r < ROUNDS; r++) {
		double y = window(&f, lab_fwd_round), x = window(&f, ref_lab_fwd_round);

		if (y < 0) {
			fprintf(stderr,
				"fwd4_perf: your round forwarded nothing (make check first)\n");
			return 1;
		}
		yours = y < yours ? y : yours;
		ref = x < ref ? x : ref;
	}
	ghz = rte_get_tsc_hz() / 1e9;
	printf("64 B IPv4 frames, one core, best of %u windows of %.1f s of rounds:\n", ROUNDS,
	       WINDOW_S);
	printf("  yours       %7.1f cycles/frame = %6.2f Mpps on this core\n", yours,
	       ghz * 1e3 / yours);
	printf("  reference   %7.1f cycles/frame = %6.2f Mpps\n", ref, ghz * 1e3 / ref);
	printf("  budget at 10G line rate: %.1f cycles/frame (linerate table)\n", 67.2 * ghz);
	printf("  counters: rx %lu = tx %lu + bad %lu + ttl %lu + refused %lu\n",
	       (unsigned long)f.st.rx, (unsigned long)f.st.tx, (unsigned long)f.st.bad,
	       (unsigned long)f.st.ttl, (unsigned long)f.st.refused);
	FILE *dat = fopen("fwd4.dat", "w");

	if (dat) {
		fprintf(dat, "\"yours\" %.1f %.1f\n\"reference\" %.1f %.1f\n", yours, 67.2 * ghz,
			ref, 67.2 * ghz);
		fclose(dat);
	}
	printf("reference / yours = %.2f: %s\n", ref / yours,
	       ref >= 0.8 * yours ? "PASS (80% of the reference's rate or more)"
				  : "FAIL (below 80% of the reference measured in this run)");
	return ref >= 0.8 * yours ? 0 : 1;
}
