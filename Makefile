# hotich: hand-written Makefile (see README.md).
#   make            build ./hotich
#   make test       deps, build, unit + shell tests; ends with "N passed, N failed"
#   make demo       deps, build, generate a sample book, run every stage that exists
#   make bench      measure; writes bench/RESULTS.md
#   make lint       style checks (banned functions, one module per library)
#   make fmt        clang-format the lines changed since FMT_BASE (default HEAD)
#   make install    PREFIX=/usr/local DESTDIR=
# Knobs: DEVELOPER=1 (-Werror), SAN=address,undefined

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
PKG_CONFIG ?= pkg-config
# RELEASE is the version users see; VERSION the commit the binary was built from.
RELEASE = 0.1.0
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo $(RELEASE))

PKGS = tesseract lept libtiff-4 sqlite3 ncursesw libutf8proc jansson pangocairo libcrypto xlsxwriter libsixel
# ncursesw's pkg-config adds -D_XOPEN_SOURCE=600; we define 700 once ourselves.
PKG_CFLAGS = $(filter-out -D_XOPEN_SOURCE% -D_DEFAULT_SOURCE,$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null))
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lcsv

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -fopenmp $(WARN) $(CFLAGS) \
	-I. $(PKG_CFLAGS) -DHOTICH_DATADIR='"$(PREFIX)/share/hotich"'
ALL_LDFLAGS = -fopenmp $(LDFLAGS)
ifeq ($(DEVELOPER),1)
ALL_CFLAGS += -Werror
endif
ifneq ($(SAN),)
ALL_CFLAGS += -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ALL_LDFLAGS += -fsanitize=$(SAN)
endif

# Every stage folder is a module; adding a .c file needs no Makefile edit.
MODULES = common store ingest ocr validate dedup export review report fixtures pipeline
LIB_SRC = $(foreach m,$(MODULES),$(wildcard $(m)/*.c)) $(filter-out cli/main.c,$(wildcard cli/*.c))
# Objects live in $(O); a sanitizer build gets its own tree so the two never mix.
O ?= build
ifneq ($(SAN),)
O := build/san
endif
LIB_OBJ = $(LIB_SRC:%.c=$(O)/%.o)
TEST_SRC = $(wildcard tests/unit/test_*.c)
TEST_BIN = $(TEST_SRC:tests/unit/%.c=$(O)/tests/%)

all: hotich

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# Only common/version.c sees the version, through a header rewritten only
# when the version changes (as git's GIT-VERSION-FILE): a second make
# rebuilds nothing.
$(O)/hotich-version.h: FORCE
	@mkdir -p $(dir $@)
	@echo '#define HOTICH_VERSION "$(VERSION)"' >$@.tmp
	@echo '#define HOTICH_RELEASE "$(RELEASE)"' >>$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi
$(O)/common/version.o: common/version.c $(O)/hotich-version.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I$(O) -MMD -MP -c $< -o $@
FORCE:

$(O)/libhotich.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# Linked to a temporary name and renamed: a test running the binary never
# sees a half-written file.
hotich: $(O)/cli/main.o $(O)/libhotich.a
	$(CC) $(ALL_LDFLAGS) -o $@.tmp $^ $(PKG_LIBS) -lm && mv -f $@.tmp $@

# Tests, bench and fuzz programs compile and link in one step; -MF names
# their dependency files so that a header change rebuilds them too.
DEPS = -MMD -MP -MF $@.d -MT $@
$(O)/tests/%: tests/unit/%.c $(O)/libhotich.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPS) $(shell $(PKG_CONFIG) --cflags cmocka) -o $@ $< $(O)/libhotich.a \
		$(ALL_LDFLAGS) $(PKG_LIBS) $(shell $(PKG_CONFIG) --libs cmocka) -lm

# Benchmark tools link the library too (not part of ./hotich).
BENCH_SRC = $(wildcard bench/*.c)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(O)/bench/%)
$(O)/bench/%: bench/%.c $(O)/libhotich.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPS) -o $@ $< $(O)/libhotich.a $(ALL_LDFLAGS) $(PKG_LIBS) -lm

# Fuzz targets (libFuzzer, clang): tests/fuzz/fuzz_*.c over common/ and ingest/,
# built apart in build/fuzz with ASan and UBSan.  tests/sh/fuzz.sh runs them briefly.
FUZZ_CC ?= clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -g -O1 $(FUZZ_SAN) \
	-fsanitize=fuzzer-no-link -I. $(PKG_CFLAGS) -DHOTICH_VERSION='"$(VERSION)"' \
	-DHOTICH_RELEASE='"$(RELEASE)"' \
	-DHOTICH_DATADIR='"$(PREFIX)/share/hotich"'
FUZZ_LIB_OBJ = $(patsubst %.c,build/fuzz/%.o,$(wildcard common/*.c ingest/*.c))
FUZZ_BIN = $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) $(PKG_LIBS) -lm
fuzz: $(FUZZ_BIN)

# Debian packages the build, tests and demo need. Does nothing when all are present.
DEB_PKGS = build-essential pkg-config libtesseract-dev tesseract-ocr tesseract-ocr-vie \
	tesseract-ocr-script-viet libleptonica-dev libtiff-dev libtiff-tools libsqlite3-dev sqlite3 \
	libncurses-dev libutf8proc-dev libjansson-dev libcmocka-dev libcsv-dev libcairo2-dev \
	libpango1.0-dev libssl-dev fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 \
	fonts-freefont-ttf fonts-noto-core tmux bc time gnuplot-nox python3 clang libclang-rt-14-dev \
	libxlsxwriter-dev libsixel-dev unzip jq \
	parallel slurm-wlm munge
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		if [ "$$(id -u)" != 0 ]; then SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null || exit 1; \
	fi

test: deps
	@$(MAKE) --no-print-directory hotich $(TEST_BIN) $(BENCH_BIN)
	@O=$(O) tests/run.sh

# The unit tests under ASan + UBSan, in build/san (CI runs this too).
san-unit: deps
	@$(MAKE) --no-print-directory SAN=address,undefined unit-bins
	@O=build/san tests/run.sh --unit
unit-bins: $(TEST_BIN)

demo: deps
	@$(MAKE) --no-print-directory hotich
	@tests/demo.sh

bench: deps
	@$(MAKE) --no-print-directory hotich $(BENCH_BIN)
	@bench/run.sh

lint:
	@tests/lint.sh

# Formats, with .clang-format, the lines changed since FMT_BASE (git
# clang-format, as git's own Makefile does): new code gets the house style
# and the hand-aligned tree is left as it is.  FMT_BASE=main for a branch.
FMT_BASE ?= HEAD
fmt:
	@git clang-format --force --style file --extensions c,h $(FMT_BASE)

install: hotich
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/hotich \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 hotich $(DESTDIR)$(PREFIX)/bin/hotich
	install -m 644 data/*.csv data/*.tsv data/SOURCES.md $(DESTDIR)$(PREFIX)/share/hotich/
	install -m 644 doc/hotich.1 $(DESTDIR)$(PREFIX)/share/man/man1/hotich.1
	install -m 644 doc/hotich.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/hotich

clean:
	rm -rf build hotich

.PHONY: FORCE all deps test san-unit unit-bins demo bench lint fmt install clean fuzz
-include $(LIB_OBJ:.o=.d) $(O)/cli/main.d $(TEST_BIN:=.d) $(BENCH_BIN:=.d)
-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_BIN:=.d)
