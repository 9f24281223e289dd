/* The raster's one destructor (common/raster.h). */
#include "common/raster.h"

#include <stdlib.h>
#include <string.h>

void raster_release(struct raster *r)
{
	if (!r)
		return;
	free(r->data);
	memset(r, 0, sizeof(*r));
}
