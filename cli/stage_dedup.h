/* cli/stage_dedup: the dedup stage, per kind (for hotich dedup's report). */
#ifndef HOTICH_CLI_STAGE_DEDUP_H
#define HOTICH_CLI_STAGE_DEDUP_H

#include "cli/cli.h"
#include "dedup/dedup.h"

/* Link one kind's pending records; counts added to c, the run's stats in st. */
int stage_dedup_kind(struct store *s, enum book_kind kind, struct stage_counts *c,
		     struct dedup_stats *st, long long *possible, struct err *e);

#endif
