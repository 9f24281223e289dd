/*
 * The program's version, compiled into this one file only (the Makefile
 * rebuilds it on every build), so a binary never carries two versions.
 */
#include "common/common.h"

const char *hotich_version(void)
{
	return HOTICH_VERSION;
}

const char *hotich_release(void)
{
	return HOTICH_RELEASE;
}
