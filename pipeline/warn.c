/* How the stages hand a warning to the command that runs them. */
#include "pipeline/pipeline.h"

#include <stdarg.h>
#include <stdio.h>

void stage_warnf(stage_warn_fn *warn, void *ctx, const char *fmt, ...)
{
	if (!warn)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warn(ctx, msg);
}
