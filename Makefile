# lianjie — plain GNU make + pkg-config.
#   make run    build, then start a demo world on SQLite at http://127.0.0.1:8080
#   make test   build (with ASan/UBSan) and run the unit tests, each fuzz target for 10 s and
#               the end-to-end tests
# Other targets: all asan unit e2e (e2e-sqlite, e2e-pg) fuzz fuzz-run bench format format-check
#   clean deps (fuzz/README.md: the libFuzzer targets, built with clang)
# Warnings are errors when CI=true or DEV=1.

PKGS      := libh2o-evloop libcjson sqlite3 libpq libcrypto libqrencode libpng libcurl expat
DEB_BUILD := gcc make pkg-config libh2o-evloop-dev libcjson-dev libsqlite3-dev libpq-dev libssl-dev \
             libqrencode-dev libpng-dev libcurl4-openssl-dev libexpat1-dev nodejs npm
DEB_TEST  := libcriterion-dev chromium postgresql
DEB_FUZZ  := clang libclang-rt-dev
CC        ?= cc

WARN := -std=gnu11 -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wvla -Wwrite-strings -Wno-unused-parameter -fno-common
ifneq ($(filter true 1,$(CI) $(DEV)),)
WARN += -Werror
endif

MODE ?= release
ifeq ($(MODE),asan)
OPT := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(MODE),fuzz)
# the server's objects instrumented for libFuzzer; the targets link them (fuzz/README.md)
CC  := clang
OPT := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
       -fno-omit-frame-pointer
else
OPT := -O2 -g
endif

BUILD   := build/$(MODE)
SRCS    := $(shell find src -name '*.c' | sort)
OBJS    := $(SRCS:%.c=$(BUILD)/%.o)
LIBOBJS := $(filter-out $(BUILD)/src/main.o,$(OBJS))
BIN     := $(BUILD)/lianjie
# the web client's npm packages (WeUI, jsQR); the server serves files out of web/node_modules
WEB_MODULES := web/node_modules/.package-lock.json

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  = $(WARN) $(OPT) $(PKG_CFLAGS) -MMD -MP
LDLIBS  = $(PKG_LIBS) -lpthread -lm

.PHONY: all run test unit e2e e2e-build e2e-sqlite e2e-pg asan fuzz fuzz-build fuzz-run bench \
        format format-check clean deps deps-test deps-fuzz

all: deps $(WEB_MODULES) $(BIN)

$(BIN): $(OBJS)
	@echo "LD $@"
	@$(CC) $(OPT) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS) -c $< -o $@

-include $(OBJS:.o=.d)

$(WEB_MODULES): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error

# Installs what the build needs when it is missing (Debian; root or sudo).
deps:
	@tools/deps.sh $(DEB_BUILD)

deps-test: deps
	@tools/deps.sh $(DEB_TEST)

run: all
	$(BIN) serve --demo --data ./lianjie-data --listen 127.0.0.1:8080

asan:
	@$(MAKE) --no-print-directory MODE=asan all

# unit tests (Criterion) link the server's objects minus main.o
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BIN  := $(BUILD)/unit-tests
$(UNIT_BIN): $(UNIT_SRCS) $(LIBOBJS)
	@echo "LD $@"
	@$(CC) $(CFLAGS) -Isrc -o $@ $(UNIT_SRCS) $(LIBOBJS) $(LDLIBS) $$(pkg-config --libs criterion)

# the store's contract runs again on PostgreSQL (suite store_pg, with a throwaway cluster)
unit: deps-test
	@$(MAKE) --no-print-directory MODE=asan build/asan/unit-tests
	ASAN_OPTIONS=detect_leaks=1 build/asan/unit-tests --jobs 2
	tools/with-pg.sh env ASAN_OPTIONS=detect_leaks=1 build/asan/unit-tests --jobs 2 --filter 'store_pg/*'

# npm packages for the browser tests (playwright-core drives Debian's chromium; no download)
E2E_MODULES := tests/e2e/node_modules/.package-lock.json
$(E2E_MODULES): tests/e2e/package.json tests/e2e/package-lock.json
	cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error

# the whole end-to-end suite on SQLite, then again with every server on PostgreSQL (a
# throwaway cluster: tools/with-pg.sh)
E2E_RUN := env LIANJIE_BIN=$(CURDIR)/build/asan/lianjie node --test --test-concurrency=2 tests/e2e/
e2e: e2e-sqlite e2e-pg

e2e-build: deps-test $(E2E_MODULES) $(WEB_MODULES)
	@$(MAKE) --no-print-directory MODE=asan build/asan/lianjie

e2e-sqlite: e2e-build
	$(E2E_RUN)

e2e-pg: e2e-build
	tools/with-pg.sh $(E2E_RUN)

test: deps-test
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory fuzz-run FUZZ_SECONDS=10
	@$(MAKE) --no-print-directory e2e

# libFuzzer targets, one per parser (fuzz/fuzz_<name>.c), linked to the server's objects built
# with clang in MODE=fuzz (build/fuzz/). fuzz-run runs each for FUZZ_SECONDS over a copy of its
# seed corpus in a temporary directory and fails on any crash, leak or timeout.
FUZZ_SRCS    := $(wildcard fuzz/fuzz_*.c)
FUZZ_BINS    := $(FUZZ_SRCS:fuzz/%.c=build/fuzz/%)
FUZZ_SECONDS ?= 15
FUZZ_LINK    := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -g -O1 \
                -fno-omit-frame-pointer

deps-fuzz: deps
	@tools/deps.sh $(DEB_FUZZ)

fuzz: deps-fuzz
	@$(MAKE) --no-print-directory MODE=fuzz fuzz-build

ifeq ($(MODE),fuzz)
fuzz-build: $(FUZZ_BINS)

build/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(LIBOBJS)
	@echo "LD $@"
	@$(CC) $(WARN) $(FUZZ_LINK) $(PKG_CFLAGS) -Isrc -o $@ $< $(LIBOBJS) $(LDLIBS)
else
fuzz-build:
	@$(MAKE) --no-print-directory MODE=fuzz fuzz-build
endif

fuzz-run: fuzz
	@fuzz/run.sh $(FUZZ_SECONDS) build/fuzz $(FUZZ_SRCS:fuzz/fuzz_%.c=%)

bench: all
	bench/run.sh

format:
	clang-format -i $(SRCS) $(wildcard src/*/*.h) $(UNIT_SRCS)

format-check:
	clang-format --dry-run -Werror $(SRCS) $(wildcard src/*/*.h)

clean:
	rm -rf build
