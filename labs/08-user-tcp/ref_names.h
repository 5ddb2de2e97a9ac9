/* SPDX-License-Identifier: MIT */
/* ref_names.h (lab 08, given): `make perf` compiles the reference (solution/parts.c with the
 * given utcp.c and echo.c) with this header first, so its symbols get a ref_ prefix and both
 * TCPs live in one program. */
#define seq_lt           ref_seq_lt
#define seq_leq          ref_seq_leq
#define seq_gt           ref_seq_gt
#define seq_geq          ref_seq_geq
#define seq_in_window    ref_seq_in_window
#define rsm_init         ref_rsm_init
#define rsm_window       ref_rsm_window
#define rsm_read         ref_rsm_read
#define rsm_add          ref_rsm_add
#define rto_init         ref_rto_init
#define rto_sample       ref_rto_sample
#define rto_on_send      ref_rto_on_send
#define rto_on_ack       ref_rto_on_ack
#define rto_on_timeout   ref_rto_on_timeout
#define utcp_init        ref_utcp_init
#define utcp_listen      ref_utcp_listen
#define utcp_connect     ref_utcp_connect
#define utcp_input       ref_utcp_input
#define utcp_output      ref_utcp_output
#define utcp_tick        ref_utcp_tick
#define utcp_deadline    ref_utcp_deadline
#define utcp_send        ref_utcp_send
#define utcp_recv        ref_utcp_recv
#define echo_pattern     ref_echo_pattern
#define echo_cfg_default ref_echo_cfg_default
#define echo_run         ref_echo_run
