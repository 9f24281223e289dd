/*
 * The program's version, compiled into this one file only (the Makefile
 * writes it into hotich-version.h when it changes), so a binary never
 * carries two versions.  The fuzz build passes -DHOTICH_VERSION instead.
 */
#include "common/common.h"

#ifndef HOTICH_VERSION
#include "hotich-version.h"
#endif

const char *hotich_version(void)
{
	return HOTICH_VERSION;
}

const char *hotich_release(void)
{
	return HOTICH_RELEASE;
}
