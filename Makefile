# tenken - one non-recursive Makefile. `make help` lists the targets.
#
# Build directories: build/ (default), build/asan (make check),
# build/static (make static). Sources are found by wildcard, so adding a
# probe, a renderer or a unit test needs no edit here.

VERSION  := 0.1.0
B        ?= build
CC       ?= cc
PKG      ?= pkg-config
PREFIX   ?= /usr/local
PKGS     := jansson libcrypto sqlite3 zlib liblzma liblz4 libzstd libelf expat
# libudev has no static library in Debian: the dynamic build reads devices
# through it, the static one (and every --root scan) through sysfs.
UDEV     ?= 1
ifeq ($(UDEV),1)
PKGS     += libudev
UDEV_DEF := -DHAVE_LIBUDEV=1
endif

WARN     := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
            -Wno-unused-parameter -Werror
HARDEN   := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE -fno-strict-aliasing
OPT      ?= -O2 -g
CFLAGS_ALL = -std=gnu11 $(OPT) $(WARN) $(HARDEN) -D_GNU_SOURCE -DTENKEN_VERSION='"$(VERSION)"' $(UDEV_DEF) \
             -I. -I$(B) $(shell $(PKG) --cflags $(PKGS)) $(EXTRA_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = -pie -Wl,-z,relro,-z,now $(EXTRA_LDFLAGS) $(LDFLAGS)
# libbz2 has no pkg-config file in Debian.
LIBS     := $(shell $(PKG) --libs $(PKGS)) -lbz2 -lm

LIB_SRC  := $(sort $(filter-out scanner/main.c,$(wildcard lib/*.c engine/*.c scanner/*.c probes/*.c probes/*/*.c report/*.c evidence/*.c store/*.c fleet/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/obj/%.o) $(B)/obj/embedded.o
DATA     := $(sort $(wildcard baselines/*.json baselines/*/*.json))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TESTS    := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
TOOLS    := $(patsubst tests/tools/%.c,$(B)/tools/%,$(wildcard tests/tools/*.c))

.PHONY: all static test check bench fuzz fuzz-build fuzz-long install format format-check lint clean help fixtures-regen scan deb

all: $(B)/tenken

# The binary takes every object; tests take what they use from the archive.
$(B)/tenken: $(B)/obj/scanner/main.o $(LIB_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

$(B)/libtenken.a: $(LIB_OBJ)
	@rm -f $@ && ar rcs $@ $^

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# Shipped baselines are compiled in: the static binary needs nothing beside it.
$(B)/embed: tools/embed.c
	@mkdir -p $(B)
	$(CC) -O1 -o $@ $<
$(B)/embedded.c: $(B)/embed $(DATA)
	$(B)/embed baselines $(DATA:baselines/%=%) > $@.tmp && mv $@.tmp $@
$(B)/obj/embedded.o: $(B)/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# Unit tests: one cmocka binary per module.
$(B)/tests/%: tests/unit/%.c $(B)/libtenken.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(shell $(PKG) --cflags cmocka) $(LDFLAGS_ALL) -o $@ $< $(B)/libtenken.a \
		$(LIBS) $(shell $(PKG) --libs cmocka)

$(B)/tools/%: tests/tools/%.c $(B)/libtenken.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< $(B)/libtenken.a $(LIBS)

# make bench's own programs (bench/*.c: the raw-input floor).
BENCH_TOOLS := $(patsubst bench/%.c,$(B)/bench/%,$(wildcard bench/*.c))
$(B)/bench/%: bench/%.c $(B)/libtenken.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< $(B)/libtenken.a $(LIBS)

# Scan this host and print the text report (exit 1 = failed findings, not an error).
scan: $(B)/tenken
	@if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then S=sudo; else S=; fi; \
	$$S $(B)/tenken scan --format text || [ $$? -eq 1 ]

test: $(B)/tenken $(TESTS) $(TOOLS)
	@B=$(B) TEST_CFLAGS="$(EXTRA_CFLAGS)" sh tests/run.sh

# The suite under AddressSanitizer and UndefinedBehaviorSanitizer.
check:
	$(MAKE) B=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
		EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" test

# One fully static binary: runs on any Linux without libraries installed.
static:
	$(MAKE) B=build/static PKG="$(PKG) --static" OPT="-O2" UDEV=0 \
		EXTRA_LDFLAGS="-static" LDFLAGS_ALL="-static -Wl,-z,relro,-z,now" \
		HARDEN="-D_FORTIFY_SOURCE=2 -fstack-protector-strong -fno-strict-aliasing" \
		build/static/tenken
	@cp build/static/tenken tenken-static && file tenken-static

# Coverage-guided fuzzing of the parsers (clang + libFuzzer: Debian's clang
# and libclang-rt-14-dev). Each tests/fuzz/fuzz_*.c runs FUZZ_SECONDS, its
# corpus seeded with the fixture files; a crash stops with the input saved.
# tests/fuzz/run.sh prints one table of executions per target.
FUZZ_SECONDS ?= 30
FUZZERS  := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
fuzz-build:
	$(MAKE) B=build/fuzz CC=clang OPT="-O1 -g" WARN="-Wall -Wno-unused-parameter" HARDEN="" \
		EXTRA_CFLAGS="$(FUZZ_FLAGS)" build/fuzz/libtenken.a
	@set -e; for f in $(FUZZERS); do \
		clang -O1 -g -D_GNU_SOURCE -I. $(FUZZ_FLAGS) -fsanitize=fuzzer -o build/fuzz/$$f \
			tests/fuzz/$$f.c build/fuzz/libtenken.a $(LIBS); \
	done
fuzz: fuzz-build
	@B=build/fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

# The long schedule: FUZZ_EXECS runs per target (default 10^7), FUZZ_JOBS
# targets at a time (default the cores), corpora and the running total
# of executions under FUZZ_CORPUS (kept between runs; packaging/fuzz/ runs
# it nightly).
FUZZ_EXECS ?= 10000000
fuzz-long: fuzz-build
	@B=build/fuzz FUZZ_EXECS=$(FUZZ_EXECS) sh tests/fuzz/run.sh

bench: $(B)/tenken $(TOOLS) $(BENCH_TOOLS)
	@B=$(B) sh tests/bench.sh

install: $(B)/tenken
	install -D -m 0755 $(B)/tenken $(DESTDIR)$(PREFIX)/bin/tenken
	install -D -m 0644 packaging/tenken.8 $(DESTDIR)$(PREFIX)/share/man/man8/tenken.8

# The Debian package (debian/rules builds in build/, reusing what is built
# there); the .deb and its .changes, moved out of ../ into build/deb/.
deb:
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL dpkg-buildpackage -us -uc -b
	@mkdir -p build/deb && mv ../tenken_$(VERSION)_* ../tenken-dbgsym_$(VERSION)_* build/deb/
	@ls build/deb/*.deb

fixtures-regen: $(B)/tenken $(TOOLS)
	@B=$(B) REGEN=1 sh tests/fixtures.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')
format-check:
	@clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

# Raw file access outside the confined layer, and banned functions
# (tools/lint.py says which and why). make test runs it too (tests/e2e/lint.sh).
lint:
	@python3 tools/lint.py

clean:
	rm -rf build tenken-static

help:
	@echo "make            build $(B)/tenken (dynamic)"
	@echo "make scan       build and scan this host (text report)"
	@echo "make static     fully static ./tenken-static"
	@echo "make test       unit, fixture and end-to-end tests"
	@echo "make check      the tests under ASan+UBSan"
	@echo "make bench      wall time and peak memory of full scans"
	@echo "make lint       raw I/O outside the confined layer, banned functions"
	@echo "make fuzz       libFuzzer over the parsers (FUZZ_SECONDS=30 each)"
	@echo "make fuzz-long  each fuzz target FUZZ_EXECS=10^7 times, FUZZ_JOBS at a time (nightly)"
	@echo "make install    into PREFIX=$(PREFIX)"
	@echo "make deb        the Debian package, in build/deb/"

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
