# Thin wrapper over CMake + Ninja. `make demo` and `make test` install any
# missing Debian packages first (scripts/install-deps.sh).
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps configure build demo test bench clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCASEVAULT_BUILD_TESTS=ON -DCASEVAULT_BUILD_PYTHON=ON -DCASEVAULT_BUILD_BENCHMARKS=ON $(CMAKE_FLAGS)

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@$(BUILD)/casevault-demo $(BUILD)/demo-out

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

bench: build
	@$(BUILD)/benchmarks/casevault_bench

clean:
	@rm -rf $(BUILD)
