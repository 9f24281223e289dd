/*
 * interpose: two costs Tesseract 5 charges on every line it reads, which
 * buy nothing here, and which this file takes back by defining a handful
 * of libgomp and Leptonica symbols in the executable.  The dynamic linker
 * binds libtesseract's calls to the executable's definitions first (ELF
 * symbol interposition, the mechanism of LD_PRELOAD); every call we do not
 * want is handed on to the real function, found with dlsym(RTLD_NEXT).
 *
 * 1. One-thread OpenMP teams.  LSTM::Forward and FullyConnected::Forward
 *    open a `#pragma omp parallel for num_threads(4)` for every time step
 *    of every line: tens of thousands of regions a page.  We read pages in
 *    parallel, so ocr_page_read() makes those regions inactive
 *    (max-active-levels 0) and libgomp gives them one thread, yet it still
 *    builds a team and ends it with a futex_wake system call, measured at
 *    about a fifth of a page's time.  A region that libgomp would give one
 *    thread is run here as a plain call, with omp_get_thread_num() 0 and
 *    omp_get_num_threads() 1 inside it, exactly what the one-thread team
 *    would have seen.  Any region that could get more threads (the
 *    worker's own pages) goes to libgomp untouched.
 *    libtesseract imports GOMP_parallel, GOMP_parallel_sections,
 *    GOMP_sections_next, GOMP_sections_end_nowait, omp_get_thread_num and
 *    omp_get_num_threads (nm -D); the unit test checks that the regions are
 *    met and that the text read is byte for byte the same either way.
 *
 * 2. PNG round trips.  ImageData::SetPixInternal stores every line image
 *    it recognises as PNG (pixWriteMem) and decodes it again before
 *    scaling: zlib and libpng were a tenth of a page's time.  While our
 *    engine is recognising (ocr_interpose_begin/end, thread-local),
 *    a PNG asked of pixWriteMem is written as Leptonica's own serialised
 *    image (IFF_SPIX), which pixReadMem reads back by its magic number:
 *    the same pixels without compression.  Outside those calls
 *    pixWriteMem is Leptonica's.
 *
 * HOTICH_INTERPOSE=0 in the environment turns both off (the bench measures
 * the difference with it).
 */
#define _GNU_SOURCE
#include "ocr/ocr_int.h"

#include <dlfcn.h>
#include <omp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*region_fn)(void *);

static struct {
	void (*parallel)(region_fn, void *, unsigned, unsigned);
	void (*parallel_sections)(region_fn, void *, unsigned, unsigned, unsigned);
	unsigned (*sections_next)(void);
	void (*sections_end_nowait)(void);
	int (*thread_num)(void);
	int (*num_threads)(void);
	int (*write_mem)(l_uint8 **, size_t *, PIX *, l_int32);
	int on;
} real;

static pthread_once_t real_once = PTHREAD_ONCE_INIT;

/* Inside an inlined region: its depth, and the sections it still owes. */
static __thread int inline_depth;
static __thread unsigned section_next, section_count;
static __thread int recognizing;
/* Statistics for the tests. */
static unsigned long inlined_count, unpacked_count;

static void *lookup(const char *name, const char *version)
{
	void *p = version ? dlvsym(RTLD_NEXT, name, version) : NULL;
	if (!p)
		p = dlsym(RTLD_NEXT, name);
	if (!p) {
		/* Only cli/ prints, but without the real function nothing can run. */
		fprintf(stderr, "hotich: cannot find '%s' in the loaded libraries\n", name);
		abort();
	}
	return p;
}

static void resolve(void)
{
	real.parallel = lookup("GOMP_parallel", "GOMP_4.0");
	real.parallel_sections = lookup("GOMP_parallel_sections", "GOMP_4.0");
	real.sections_next = lookup("GOMP_sections_next", "GOMP_1.0");
	real.sections_end_nowait = lookup("GOMP_sections_end_nowait", "GOMP_1.0");
	real.thread_num = lookup("omp_get_thread_num", "OMP_1.0");
	real.num_threads = lookup("omp_get_num_threads", "OMP_1.0");
	real.write_mem = lookup("pixWriteMem", NULL);
	const char *env = getenv("HOTICH_INTERPOSE");
	real.on = !(env && !strcmp(env, "0"));
}

static void ensure(void)
{
	pthread_once(&real_once, resolve);
}

void ocr_interpose_set(int on)
{
	ensure();
	real.on = on;
}

int ocr_interpose_on(void)
{
	ensure();
	return real.on;
}

void ocr_interpose_stats(unsigned long *regions, unsigned long *images)
{
	*regions = __atomic_load_n(&inlined_count, __ATOMIC_RELAXED);
	*images = __atomic_load_n(&unpacked_count, __ATOMIC_RELAXED);
}

/* Would libgomp give this region one thread?  (gomp_resolve_num_threads) */
static int one_thread(unsigned requested)
{
	if (!real.on)
		return 0;
	return inline_depth > 0 || requested == 1 || omp_get_thread_limit() == 1 ||
	       omp_get_active_level() >= omp_get_max_active_levels();
}

static void run_inline(region_fn fn, void *data)
{
	__atomic_add_fetch(&inlined_count, 1, __ATOMIC_RELAXED);
	inline_depth++;
	fn(data);
	inline_depth--;
}

/* The symbols below are exported by the executable; they keep libgomp's names. */
void GOMP_parallel(region_fn fn, void *data, unsigned nthreads, unsigned flags);
void GOMP_parallel_sections(region_fn fn, void *data, unsigned nthreads, unsigned count,
			    unsigned flags);
unsigned GOMP_sections_next(void);
void GOMP_sections_end_nowait(void);

void GOMP_parallel(region_fn fn, void *data, unsigned nthreads, unsigned flags)
{
	ensure();
	if (one_thread(nthreads))
		run_inline(fn, data);
	else
		real.parallel(fn, data, nthreads, flags);
}

/* A region of sections run inline hands out 1..count, then 0, in order. */
void GOMP_parallel_sections(region_fn fn, void *data, unsigned nthreads, unsigned count,
			    unsigned flags)
{
	ensure();
	if (!one_thread(nthreads)) {
		real.parallel_sections(fn, data, nthreads, count, flags);
		return;
	}
	unsigned saved_next = section_next, saved_count = section_count;
	section_next = 1;
	section_count = count;
	run_inline(fn, data);
	section_next = saved_next;
	section_count = saved_count;
}

unsigned GOMP_sections_next(void)
{
	ensure();
	if (inline_depth > 0)
		return section_next <= section_count ? section_next++ : 0;
	return real.sections_next();
}

void GOMP_sections_end_nowait(void)
{
	ensure();
	if (inline_depth == 0)
		real.sections_end_nowait();
}

int omp_get_thread_num(void)
{
	ensure();
	return inline_depth > 0 ? 0 : real.thread_num();
}

int omp_get_num_threads(void)
{
	ensure();
	return inline_depth > 0 ? 1 : real.num_threads();
}

void ocr_interpose_begin(void)
{
	ensure();
	recognizing++;
}

void ocr_interpose_end(void)
{
	recognizing--;
}

l_ok pixWriteMem(l_uint8 **pdata, size_t *psize, PIX *pix, l_int32 format)
{
	ensure();
	if (recognizing > 0 && real.on && format == IFF_PNG) {
		__atomic_add_fetch(&unpacked_count, 1, __ATOMIC_RELAXED);
		format = IFF_SPIX;
	}
	return real.write_mem(pdata, psize, pix, format);
}
