// SPDX-License-Identifier: MIT
/*
 * test_verdict.c: tgen_verdict() on synthetic trials, one test per case: a trial that kept its
 * schedule is ok; one that fell short with nothing refused is generator-bound; one whose
 * link refused frames (a full memif ring, short tx_burst, EAGAIN) while tgen's own work
 * allowed the asked rate is the DUT's limit (ok, "DUT backpressure"); refusals while tgen was
 * short of CPU too leave it undecided; drops on the generator's own receive side are
 * generator-bound, never DUT loss; above line rate and rx > tx are invalid; a stall is an
 * error; a paced trial short of its schedule that also lost frames is the DUT's loss when a
 * counter of the path saw it, else undecided; unpaced trials are generator-bound only when
 * nothing was lost and nothing refused. A
 * crr run that spent half its window inside connect(), or a closed-loop client that waited
 * for the server under 1% of the window, is client-bound (ec_client_bound).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "echo_client.h"
#include "tgen.h"

#define LINE_64 14880952.38

static struct tgen_cfg cfg;
static char why[128];

/* A 1 s paced trial at rate pps that sent tx frames and got rx back. */
static struct tgen_trial trial(double pps, uint64_t tx, uint64_t rx)
{
	return (struct tgen_trial){
		.frame_len = 64,
		.offered_pps = pps,
		.line_pps = LINE_64,
		.tx = tx,
		.rx = rx,
		.lost = (int64_t)tx - (int64_t)rx,
		.duration_s = 1.0,
		.tx_pps = (double)tx,
		.rx_pps = (double)rx,
		.idle_frac = 0.5,
	};
}

static void setup(void)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.rx_on = true;
	cfg.mode = TGEN_MODE_RFC2544;
	why[0] = 0;
}

TestSuite(verdict, .init = setup);

Test(verdict, schedule_kept_no_loss_is_ok)
{
	struct tgen_trial t = trial(1e6, 1000000, 1000000);

	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_OK);
	cr_assert_str_empty(why);
}

Test(verdict, schedule_kept_with_loss_is_the_duts_loss)
{
	struct tgen_trial t = trial(1e6, 1000000, 900000);

	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_OK);
}

Test(verdict, short_of_schedule_nothing_refused_is_generator_bound)
{
	struct tgen_trial t = trial(10e6, 6000000, 6000000);

	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_GENERATOR_BOUND);
	cr_assert(strstr(why, "refused nothing"), "%s", why);
}

Test(verdict, short_of_schedule_with_uncounted_loss_is_undecided)
{
	/* tgen sent 60% of the asked rate and 20% of that vanished where nothing counts */
	struct tgen_trial t = trial(1e6, 600000, 480000);

	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_UNDECIDED);
	cr_assert(strstr(why, "120000 lost with no drop counter"), "%s", why);
}

Test(verdict, short_of_schedule_with_loss_a_path_counter_saw_is_the_duts_loss)
{
	struct tgen_trial t = trial(1e6, 600000, 480000);

	tgen_counter_add(&t.drops, "softnet dropped", 120000);
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_OK);
	cr_assert(strstr(why, "120000 lost on the path"), "%s", why);
}

Test(verdict, saturated_tx_core_with_uncounted_loss_is_undecided)
{
	/* the schedule was kept, but tgen's core never idled and frames vanished */
	struct tgen_trial t = trial(1e6, 1000000, 900000);

	t.idle_frac = 0.001;
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_UNDECIDED);
	cr_assert(strstr(why, "TX core saturated") && strstr(why, "100000 lost"), "%s", why);
	t.rx = t.tx; /* nothing lost: the generator's limit, as before */
	t.lost = 0;
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_GENERATOR_BOUND);
}

Test(verdict, short_of_schedule_with_loss_on_tgens_own_rx_is_generator_bound)
{
	struct tgen_trial t = trial(1e6, 600000, 480000);

	tgen_counter_add_own_rx(&t.drops, "tgen rx ring", 120000);
	t.gen_rx_drops = 120000;
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_GENERATOR_BOUND);
}

Test(verdict, memif_ring_full_is_dut_backpressure_not_generator_bound)
{
	/* a throttled DUT behind memif: tx_burst came back short for 4 M frames */
	struct tgen_trial t = trial(10e6, 6000000, 6000000);

	t.refused = 6000000;
	t.gen_pps = 25e6; /* tgen's own work allowed 25 Mpps */
	t.idle_frac = 0;
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_OK);
	cr_assert(strstr(why, "DUT backpressure"), "%s", why);
}

Test(verdict, refusals_while_tgen_was_short_of_cpu_too_are_undecided)
{
	struct tgen_trial t = trial(10e6, 6000000, 6000000);

	t.refused = 1000000; /* refused, but tgen could not have done 10 Mpps either */
	t.gen_pps = 7e6;
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_UNDECIDED);
	cr_assert(strstr(why, "allowed only 7.000 Mpps"), "%s", why);
}

Test(verdict, saturated_core_nothing_refused_is_generator_bound)
{
	struct tgen_trial t = trial(1e6, 1000000, 1000000);

	t.idle_frac = 0.001;
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_GENERATOR_BOUND);
	cr_assert(strstr(why, "saturated"), "%s", why);
}

Test(verdict, saturated_core_spent_retrying_refusals_is_backpressure)
{
	struct tgen_trial t = trial(1e6, 1000000, 1000000);

	t.idle_frac = 0.001;
	t.refused = 5000;
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_OK);
	cr_assert(strstr(why, "DUT backpressure"), "%s", why);
}

Test(verdict, generator_rx_drops_are_never_dut_loss)
{
	struct tgen_trial t = trial(1e6, 1000000, 990000);

	t.gen_rx_drops = 10000;
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_GENERATOR_BOUND);
	cr_assert(strstr(why, "receive side dropped 10000"), "%s", why);
}

Test(verdict, generator_rx_drops_outweigh_backpressure)
{
	struct tgen_trial t = trial(10e6, 6000000, 5000000);

	t.refused = 6000000;
	t.gen_pps = 25e6;
	t.gen_rx_drops = 1000000;
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_GENERATOR_BOUND);
}

Test(verdict, above_line_rate_is_invalid)
{
	struct tgen_trial t = trial(15e6, 15000000, 15000000);

	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_INVALID);
}

Test(verdict, rx_above_tx_is_invalid)
{
	struct tgen_trial t = trial(1e6, 1000000, 1000001);

	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_INVALID);
}

Test(verdict, stall_is_an_error)
{
	struct tgen_trial t = trial(1e6, 10, 10);

	t.stalled = true;
	t.refused = 10;
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_ERROR);
	cr_assert(strstr(why, "refused every frame"), "%s", why);
}

Test(verdict, unpaced_lossless_nothing_refused_is_generator_bound)
{
	struct tgen_trial t = trial(0, 8000000, 8000000);

	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_GENERATOR_BOUND);
}

Test(verdict, unpaced_lossless_with_refusals_is_the_duts_pace)
{
	struct tgen_trial t = trial(0, 8000000, 8000000);

	t.refused = 200000;
	t.gen_pps = 20e6;
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_OK);
	cr_assert(strstr(why, "DUT backpressure"), "%s", why);
}

Test(verdict, unpaced_refusals_without_headroom_are_undecided)
{
	struct tgen_trial t = trial(0, 8000000, 8000000);

	t.refused = 2000;
	t.gen_pps = 8.1e6;
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_UNDECIDED);
}

Test(verdict, unpaced_with_loss_is_ok)
{
	struct tgen_trial t = trial(0, 8000000, 7000000);

	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_OK);
}

Test(verdict, transmit_only_ignores_receive_figures)
{
	struct tgen_trial t = trial(0, 8000000, 0);

	cfg.rx_on = false;
	t.gen_rx_drops = 5;
	cr_assert_eq(tgen_verdict(&cfg, &t, why, sizeof(why)), RES_OK);
}

Test(verdict, status_names_include_undecided)
{
	cr_assert_str_eq(res_status_name(RES_UNDECIDED), "undecided");
	cr_assert_str_eq(res_status_name(RES_STATUS_COUNT), "error");
}

Test(verdict, crr_connect_over_half_the_window_is_client_bound)
{
	cr_assert(ec_client_bound(true, 0.6, 0.3, 1.0), "connect() took 60%% of the window");
	cr_assert(ec_client_bound(true, 0.5, 0.3, 1.0));
	cr_assert_not(ec_client_bound(true, 0.2, 0.3, 1.0),
		      "a server-bound crr spends little in connect()");
	cr_assert_not(ec_client_bound(false, 0.6, 0.3, 1.0), "rr opens no connection");
	cr_assert_not(ec_client_bound(true, 0.1, 0.3, 0), "no window, no verdict");
}

Test(verdict, a_client_that_never_waited_for_the_server_is_client_bound)
{
	/* closed loop: a client that waits for answers 30% of the time has headroom; one that
	 * waited 0.5% was busy all the time, so the server may do more */
	cr_assert_not(ec_client_bound(false, 0, 0.3, 1.0));
	cr_assert(ec_client_bound(false, 0, 0.005, 1.0), "rr, waited 0.5%%");
	cr_assert(ec_client_bound(true, 0.03, 0.005, 1.0), "crr, waited 0.5%%");
	cr_assert_not(ec_client_bound(false, 0, -1, 1.0), "open loop: idle not measured");
}
