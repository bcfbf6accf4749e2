/* The final one-screen summary page.  On a machine without a serial port the
 * screen is the only output, and the per-probe table scrolls the verdict
 * away; so when the run ends the screen is cleared and one page is drawn:
 * machine, platform, totals, disagreements with the manuals per set, and
 * the key finding lines other modules registered.  Screen only: the serial
 * log already has all of it, and its last line stays `faultprobe: done`.
 *
 * Fits 80x25 (VGA text) and anything larger; lines are cut at the screen's
 * width, findings that do not fit are counted ("+N more on serial"). */
#ifndef FP_SUMMARY_SCREEN_H
#define FP_SUMMARY_SCREEN_H

#include <stdbool.h>

#include "facts.h"

/* What the run is on, for the page header (copied). */
void summary_note_run(const struct run_facts *facts);
/* One probe record: counted per set (the set name must be a string with
 * static storage, as probe_def.set is). */
void summary_note_probe(const char *set, bool faulted, bool agrees);
/* A key finding line for the page (copied; at most SUMMARY_MAX_FINDINGS,
 * later ones are counted only).  Any module may call it, e.g. the
 * fingerprint verdict or a set's headline deviation. */
#define SUMMARY_MAX_FINDINGS 12
void summary_add_finding(const char *line);

struct summary_totals {
	const char *platform;
	unsigned probes, faults, unexpected, disagreements;
};
/* Clears the screen and draws the page.  No-op without a screen. */
void summary_screen_show(const struct summary_totals *t);

#endif
