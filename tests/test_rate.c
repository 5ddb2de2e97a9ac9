// SPDX-License-Identifier: MIT
/*
 * test_rate.c: line-rate arithmetic against the table in ANCHORS.md (Mpps per frame size and
 * link speed, to the three decimals given there) and link-speed parsing.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>

#include "rate.h"

static const struct {
	unsigned len;
	double mpps[5]; /* 1G, 10G, 25G, 40G, 100G */
} anchors[] = {
	{64, {1.488, 14.881, 37.202, 59.524, 148.810}},
	{128, {0.845, 8.446, 21.115, 33.784, 84.459}},
	{256, {0.453, 4.529, 11.322, 18.116, 45.290}},
	{512, {0.235, 2.350, 5.874, 9.398, 23.496}},
	{1024, {0.120, 1.197, 2.993, 4.789, 11.973}},
	{1280, {0.096, 0.962, 2.404, 3.846, 9.615}},
	{1518, {0.081, 0.813, 2.032, 3.251, 8.127}},
};
static const double speeds[5] = {1e9, 10e9, 25e9, 40e9, 100e9};

Test(rate, pps_matches_anchors_table)
{
	for (size_t i = 0; i < sizeof(anchors) / sizeof(anchors[0]); i++)
		for (size_t j = 0; j < 5; j++) {
			double mpps = rate_pps(anchors[i].len, speeds[j]) / 1e6;

			cr_expect(fabs(mpps - anchors[i].mpps[j]) <= 0.0005,
				  "%u B at %g bit/s: %.4f Mpps, ANCHORS.md says %.3f",
				  anchors[i].len, speeds[j], mpps, anchors[i].mpps[j]);
		}
}

Test(rate, budget_at_64B_40G_is_16_8ns_and_33_cycles_at_2GHz)
{
	cr_expect(fabs(rate_budget_ns(64, 40e9) - 16.8) < 1e-9);
	cr_expect(fabs(rate_budget_cycles(64, 40e9, 2e9) - 33.6) < 1e-9);
}

Test(rate, l2_bit_rate_counts_frame_bytes_only)
{
	/* 64 B at 10G line rate: 14.88 Mpps x 512 bit = 7.619 Gbit/s of frames. */
	cr_expect(fabs(rate_l2_bps(rate_pps(64, 10e9), 64) / 1e9 - 7.619) < 0.001);
	/* 1518 B: frames fill 1518 / 1538 of the wire. */
	cr_expect(fabs(rate_l2_bps(rate_pps(1518, 10e9), 1518) / 1e9 - 9.870) < 0.001);
}

Test(rate, rfc2544_sizes)
{
	static const unsigned want[7] = {64, 128, 256, 512, 1024, 1280, 1518};

	for (int i = 0; i < 7; i++)
		cr_expect_eq(rate_rfc2544_sizes[i], want[i]);
}

Test(rate, link_names_parse_and_print)
{
	static const char *const names[] = {"1G", "2.5G", "10G", "25G", "40G", "100G"};
	static const double bps[] = {1e9, 2.5e9, 10e9, 25e9, 40e9, 100e9};
	char buf[16];
	double v;

	for (int i = 0; i < 6; i++) {
		cr_assert_eq(rate_link_parse(names[i], &v), 0, "%s", names[i]);
		cr_expect_eq(v, bps[i]);
		cr_expect_str_eq(rate_link_name(v, buf, sizeof(buf)), names[i]);
	}
	cr_expect_eq(rate_link_parse("10g", &v), 0, "case-insensitive");
	cr_expect_eq(rate_link_parse("7G", &v), -EINVAL);
	cr_expect_eq(rate_link_parse("", &v), -EINVAL);
	cr_expect_eq(rate_link_parse("10", &v), -EINVAL);
}
