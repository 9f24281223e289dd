/*
 * common: the ground every stage stands on.
 *
 * Error records, allocation that dies on failure, growable strings, UTF-8
 * text (NFC, folding, title case, encoding via utf8proc), a PRNG, SHA-256
 * (libcrypto), time stamps, the data directory, and the log.  Beside it:
 * record.h (the record), raster.h (a page image), csvin.h (CSV files).  Nothing here knows about
 * registers; see record.h for the plain data the stages exchange.
 *
 * Thread-safety: every function is safe to call from OpenMP workers except
 * log_*() (call from the main thread only) and err_*() on a shared record.
 */
#ifndef HOTICH_COMMON_H
#define HOTICH_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes of the command-line contract. */
enum {
	EXIT_OK = 0,
	EXIT_FATAL = 1,
	EXIT_USAGE = 2,
	EXIT_PARTIAL = 3, /* finished, but some inputs failed */
};

/* ---- errors ---------------------------------------------------------- */

/*
 * An error record: functions return 0 or a negative code and fill one.
 * First error wins: err_set() on a record that already holds a message
 * does nothing, so the root cause survives the unwinding.
 */
struct err {
	int code;	/* 0 when clear */
	char msg[512];
};
#define ERR_INIT {0, ""}

int err_set(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3))); /* returns -1 */
void err_clear(struct err *e);

/* ---- allocation: dies on failure (handled once, here) --------------- */

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);		/* xstrdup(NULL) is NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);
/* Grow an array *p of *cap elements so that it holds at least n. */
#define ALLOC_GROW(p, n, cap) do { \
	if ((n) > (cap)) { \
		(cap) = (cap) ? (cap) * 2 : 8; \
		if ((cap) < (n)) (cap) = (n); \
		(p) = xrealloc((p), (cap) * sizeof(*(p))); \
	} } while (0)

/* ---- growable string (git's strbuf) --------------------------------- */

struct strbuf {
	char *buf;	/* always NUL-terminated once initialised */
	size_t len, alloc;
};
#define STRBUF_INIT {NULL, 0, 0}
void sb_init(struct strbuf *sb);
void sb_release(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *sb_detach(struct strbuf *sb); /* caller frees; sb is reset */
const char *sb_str(const struct strbuf *sb); /* "" when empty */

/* ---- UTF-8 text (utf8proc) ------------------------------------------- */

/* Each returns a new string (caller frees); NULL only for NULL input. */
char *text_nfc(const char *s);		/* NFC; invalid UTF-8 becomes U+FFFD */
char *text_squeeze(const char *s);	/* NFC, trim, runs of space -> one */
char *text_fold(const char *s);		/* lower case, no diacritics, đ->d */
char *text_lower(const char *s);
char *text_upper(const char *s);
char *text_title(const char *s);	/* "NGUYỄN THỊ" -> "Nguyễn Thị" */
int text_valid_utf8(const char *s, size_t n);
size_t text_codepoints(const char *s);	/* number of code points */
/* Decode one code point at s (n bytes left); returns bytes used, <=0 bad. */
int text_decode(const char *s, size_t n, int32_t *cp);
/*
 * Step through s[0..len): `for (size_t i = 0; text_next(s, len, &i, &cp);)`.
 * 1 with *cp and *i moved past it; 0 at the end or at invalid UTF-8 (none
 * after text_nfc), where the loop stops.
 */
int text_next(const char *s, size_t len, size_t *i, int32_t *cp);
/*
 * Encode cp as UTF-8 into out (no NUL): 1 to 4 bytes.  What is not a
 * Unicode scalar value (a surrogate, negative, above U+10FFFF) is written
 * as U+FFFD, as text_nfc does with invalid input.
 */
int text_encode(int32_t cp, char out[4]);
/* Append cp to sb as UTF-8 (text_encode). */
void sb_add_cp(struct strbuf *sb, int32_t cp);
/* Levenshtein distance over code points. */
int text_distance(const char *a, const char *b);
/* The same over a[0..na) and b[0..nb) (byte counts; need not end in NUL). */
int text_distance_n(const char *a, size_t na, const char *b, size_t nb);

/* ---- PRNG: xoshiro256** seeded by splitmix64 ------------------------- */

/*
 * Deterministic streams (the same seed gives the same numbers on every
 * machine), for the fixtures' content and dedup's sampling; not for
 * secrets.  A stream is used by one thread.
 */
struct rng {
	uint64_t s[4];
};
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
double rng_unit(struct rng *r);			/* [0, 1) */
uint64_t rng_mix(uint64_t a, uint64_t b);	/* derive a sub-seed */

/* ---- hashing (libcrypto) --------------------------------------------- */

#define SHA256_HEX_LEN 64
/* hex must hold SHA256_HEX_LEN + 1 bytes. */
int sha256_file(const char *path, char hex[SHA256_HEX_LEN + 1], struct err *e);
void sha256_buf(const void *p, size_t n, char hex[SHA256_HEX_LEN + 1]);

/* ---- time -------------------------------------------------------------- */

/* ISO 8601 UTC "2026-11-22T20:31:00Z" (20 bytes and a NUL) into out. Thread-safe. */
void time_iso_now(char out[32]);
double time_now(void); /* monotonic seconds */

/* ---- paths --------------------------------------------------------------- */

/*
 * The data directory (reference lists): $HOTICH_DATA, else ./data beside
 * the working directory or the executable, else the installed share dir.
 * Returns a path inside it (caller frees), or NULL with e set.
 */
char *data_path(const char *name, struct err *e);
void data_set_argv0(const char *argv0);

/* ---- version ---------------------------------------------------------- */

const char *hotich_version(void);	/* the commit: "0.1-42-gabc1234" (static storage) */
const char *hotich_release(void);	/* the release: "0.1.0" (static storage) */

/* ---- log (main thread only) ------------------------------------------ */

enum log_level { LOG_QUIET = 0, LOG_INFO = 1, LOG_DEBUG = 2 };
extern enum log_level log_level;
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * prefix and the message on stderr as one line, its control characters
 * (C0, DEL, C1) written \xHH: a file name with ESC or a newline in it can
 * neither repaint the terminal nor forge a line.  Every message goes so.
 */
void log_vline(const char *prefix, const char *fmt, va_list ap);
void log_linef(const char *prefix, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Start a log line on stderr with the time, "2026-12-02T20:13:15Z ", so a
 * night's log says when each thing happened.  Every log line has one;
 * usage errors (someone at the terminal) do not. */
void log_stamp(void);

#endif
