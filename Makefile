# Ganxun build. `make` builds build/ganxun (with the web UI embedded);
# `make run` sets everything up and serves; `make test` runs the whole suite.
#
# Knobs: SANITIZE=1 builds build/asan/ganxun with ASan + UBSan;
#        NOWEB=1 embeds no web bundle (quick C-only builds).

CC      ?= gcc
PKGS    := libmicrohttpd jansson sqlite3 libpq libcrypto libzip expat xlsxwriter
CFLAGS  := -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Wstrict-prototypes \
           -Wmissing-prototypes -Wshadow -Wformat=2 -Wno-missing-field-initializers -Wno-format-nonliteral -fno-strict-aliasing \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread

ifeq ($(SANITIZE),1)
B       := build/asan
SANFLAGS := -fsanitize=address,undefined
CFLAGS  += $(SANFLAGS) -fno-omit-frame-pointer -fno-sanitize-recover=undefined -O1
LDFLAGS += $(SANFLAGS)
else
B       := build
endif

SRC     := $(wildcard src/*/*.c) src/areas.c
OBJ     := $(patsubst src/%.c,$(B)/obj/%.o,$(SRC))
WEBSRC  := $(shell find web/src web/index.html web/package.json web/vite.config.ts -type f 2>/dev/null)

.PHONY: all run test deps web unit fuzz fuzz-build bench clean sanitize api-types
all: $(B)/ganxun

$(B)/obj/%.o: src/%.c $(wildcard src/*/*.h src/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

GEN_OBJ := $(B)/assets.o $(B)/pinyin_table.o

$(B)/ganxun: src/main.c $(OBJ) $(GEN_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) src/main.c $(OBJ) $(GEN_OBJ) -o $@ $(LDLIBS)

# Pinyin initials from Unihan (Debian's unicode-data).
build/pinyin_table.c: tools/gen_pinyin.sh
	@mkdir -p build
	tools/gen_pinyin.sh $@

$(B)/pinyin_table.o: build/pinyin_table.c
	@mkdir -p $(B)
	$(CC) -std=c11 -O2 -c $< -o $@ $(SANFLAGS)

build/embed: tools/embed.c
	@mkdir -p build
	$(CC) -O2 -Wall -Wextra -o $@ $<

# The web bundle: built by Vite, gzipped, embedded.
ifeq ($(NOWEB),1)
$(B)/assets.c: build/embed
	@mkdir -p $(B) build/empty-web
	build/embed $@ build/empty-web
else
$(B)/assets.c: build/embed web/dist/index.html
	@rm -rf build/web && mkdir -p $(B) && cp -r web/dist build/web
	find build/web -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' \) \
	  -exec gzip -9 -n -k {} \;
	build/embed $@ build/web
endif

$(B)/assets.o: $(B)/assets.c src/http/assets.h
	$(CC) -std=c11 -O0 -Isrc/http -c $< -o $@ $(SANFLAGS)

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/index.html: web/node_modules/.package-lock.json $(WEBSRC) web/src/api/openapi.d.ts
	cd web && npm run build

# --- API types for the web UI -------------------------------------------------
# The web's TypeScript types are generated (openapi-typescript) from the
# OpenAPI document a binary prints, so a field the server stops sending breaks
# `vue-tsc`. The real binary embeds the web bundle; build/ganxun-api is linked
# from the same objects with an empty bundle to break that cycle. It is never a
# sanitizer build (a SANITIZE=1 make asks a plain make for it). The document and
# the types are replaced only when their content changes, so a C change that
# leaves the API alone does not rebuild the web bundle.
ifeq ($(SANITIZE),1)
build/ganxun-api: FORCE
	@$(MAKE) --no-print-directory SANITIZE= NOWEB= build/ganxun-api
else
build/ganxun-api: src/main.c $(OBJ) build/pinyin_table.o build/no-web.o
	$(CC) $(CFLAGS) $(LDFLAGS) src/main.c $(OBJ) build/pinyin_table.o build/no-web.o -o $@ $(LDLIBS)
endif

build/no-web.c: build/embed
	@mkdir -p build/empty-web
	build/embed $@ build/empty-web

build/no-web.o: build/no-web.c src/http/assets.h
	$(CC) -std=c11 -O0 -Isrc/http -c $< -o $@

build/openapi.json: build/ganxun-api
	build/ganxun-api openapi > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

web/src/api/openapi.d.ts: build/openapi.json web/node_modules/.package-lock.json
	cd web && npx openapi-typescript ../build/openapi.json --output ../build/openapi.d.ts --silent
	@cmp -s build/openapi.d.ts $@ || cp build/openapi.d.ts $@

api-types: web/src/api/openapi.d.ts

FORCE:

web: web/dist/index.html

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps:
	scripts/deps.sh build

sanitize:
	$(MAKE) SANITIZE=1 build/asan/ganxun

# --- run ---------------------------------------------------------------
run: deps
	$(MAKE) all
	@scripts/run.sh

# --- tests -------------------------------------------------------------
# `make test` is what CI runs: unit tests, fuzzers, API tests on SQLite and
# PostgreSQL against the normal and the sanitizer build, browser tests.
test:
	scripts/deps.sh test
	$(MAKE) all
	$(MAKE) SANITIZE=1 build/asan/ganxun
	$(MAKE) node_modules/.package-lock.json
	scripts/test.sh

# Unit tests link the sanitizer build of the modules.
unit:
	$(MAKE) SANITIZE=1 build/asan/unit-tests
	build/asan/unit-tests

$(B)/unit-tests: $(wildcard tests/unit/*.c tests/unit/*.h) $(OBJ) $(GEN_OBJ)
	$(CC) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) $(wildcard tests/unit/*.c) $(OBJ) $(GEN_OBJ) \
	  -o $@ $(LDLIBS) -lcmocka

FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(filter-out tests/fuzz/fuzz_common.c,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_SRC := src/http/parse.c src/http/validate.c src/base/arena.c src/base/util.c src/base/err.c src/base/buf.c src/base/idcard.c

build/fuzz/fuzz_path: FUZZ_EXTRA = src/http/router.c
build/fuzz/fuzz_idcard: FUZZ_EXTRA =
build/fuzz/fuzz_multipart: FUZZ_EXTRA = src/http/multipart.c
build/fuzz/fuzz_csv build/fuzz/fuzz_xlsx: FUZZ_EXTRA = $(wildcard src/sheet/*.c)
build/fuzz/%: tests/fuzz/%.c $(FUZZ_SRC) $(wildcard src/http/router.c src/sheet/*.c src/*/*.h)
	@mkdir -p build/fuzz
	clang -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	  $(shell pkg-config --cflags jansson libpq libzip expat) $< $(FUZZ_SRC) $(FUZZ_EXTRA) -o $@ \
	  $(shell pkg-config --libs jansson libcrypto libzip expat)

fuzz-build: $(FUZZ_TARGETS)
fuzz: $(FUZZ_TARGETS)
	scripts/fuzz.sh $(FUZZ_TARGETS)

bench:
	scripts/deps.sh bench
	$(MAKE) all
	bench/platform.sh
	bench/registry.sh

clean:
	rm -rf build web/dist web/src/api/openapi.d.ts
