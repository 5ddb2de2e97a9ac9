// SPDX-License-Identifier: MIT
/*
 * capture.c: --pcap-out glue between the frame engines and pcapio.c. Received frames are
 * offered per burst with one timestamp, converted from the TSC time line to the Unix epoch
 * through an offset taken when the file is opened (a pcap reader wants wall-clock time).
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "io.h"
#include "log.h"
#include "lr.h"
#include "pcapio.h"
#include "tgen.h"
#include "tsc.h"

static int64_t epoch_offset; /* CLOCK_REALTIME - tsc_now_ns() */

int tgen_pcap_open(struct tgen_ctx *c)
{
	const struct tgen_cfg *cfg = c->cfg;
	enum pcapio_mode mode = PCAPIO_ALL;
	uint64_t n = 1;
	struct timespec ts;

	if (!cfg->pcap_out)
		return LR_EXIT_OK;
	if (cfg->pcap_first > 0) {
		mode = PCAPIO_FIRST_N;
		n = (uint64_t)cfg->pcap_first;
	} else if (cfg->pcap_every > 1) {
		mode = PCAPIO_ONE_IN_K;
		n = (uint64_t)cfg->pcap_every;
	}
	c->pcap = pcapio_open_out(cfg->pcap_out, mode, n);
	if (!c->pcap) {
		pr_err("--pcap-out: cannot create %s: %s", cfg->pcap_out, strerror(errno));
		return LR_EXIT_FAIL;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	epoch_offset = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec - (int64_t)tsc_now_ns();
	return LR_EXIT_OK;
}

void tgen_pcap_frames(struct tgen_ctx *c, const struct io_buf *bufs, unsigned n)
{
	uint64_t ts;

	if (likely(!c->pcap))
		return;
	ts = (uint64_t)((int64_t)tsc_now_ns() + epoch_offset);
	for (unsigned i = 0; i < n; i++)
		pcapio_write(c->pcap, bufs[i].data, bufs[i].len, ts);
}

void tgen_pcap_close(struct tgen_ctx *c)
{
	int ret;

	if (!c->pcap)
		return;
	ret = pcapio_close(c->pcap);
	if (ret)
		pr_err("--pcap-out: cannot write %s: %s", c->cfg->pcap_out, strerror(-ret));
	c->pcap = NULL;
}
