/* How the stages hand a warning to the command that runs them. */
#include "pipeline/pipeline.h"

#include <stdarg.h>
#include <stdlib.h>

void stage_warnf(stage_warn_fn *warn, void *ctx, const char *fmt, ...)
{
	if (!warn)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	warn(ctx, msg);
	free(msg);
}
