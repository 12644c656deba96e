# Entry points for people and CI. `make run` and `make test` install what they
# need on a fresh Debian machine; see README.md.

SWIFT ?= swift
PROTOS := rpc/v1/envelope.proto rpc/v1/health.proto payments/v1/payments.proto
C_PROTO_DIR := Sources/CPaymentsProto
DESCRIPTOR_SET := .build/proto/descriptors.pb
SWIFT_GENERATED_DIRS := Sources/RPCMessages/Generated Sources/PaymentsMessages/Generated Sources/PaymentsRPC/Generated

.PHONY: deps build release run test generate generate-c generate-swift format lint fuzz bench profile clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: release
	scripts/run-server.sh

test: deps
	scripts/test.sh

generate: deps generate-c generate-swift

generate-c:
	rm -rf $(C_PROTO_DIR)/rpc $(C_PROTO_DIR)/payments $(C_PROTO_DIR)/include/rpc $(C_PROTO_DIR)/include/payments
	cd proto && protoc-c --proto_path=. --c_out=../$(C_PROTO_DIR) $(PROTOS)
	for header in $$(cd $(C_PROTO_DIR) && find rpc payments -name '*.pb-c.h'); do \
	  mkdir -p $(C_PROTO_DIR)/include/$$(dirname $$header); \
	  mv $(C_PROTO_DIR)/$$header $(C_PROTO_DIR)/include/$$header; \
	done

generate-swift:
	mkdir -p $(dir $(DESCRIPTOR_SET))
	cd proto && protoc-c --proto_path=. --include_source_info --descriptor_set_out=../$(DESCRIPTOR_SET) $(PROTOS)
	$(SWIFT) build --product payments-codegen
	$$($(SWIFT) build --show-bin-path)/payments-codegen --descriptor-set $(DESCRIPTOR_SET) --config proto/codegen.conf
	$(SWIFT) format format --in-place --recursive $(SWIFT_GENERATED_DIRS)

format:
	$(SWIFT) format format --in-place --recursive Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

fuzz: deps
	scripts/fuzz.sh

bench:
	scripts/bench.sh --check-peers
	scripts/install-deps.sh --bench
	scripts/bench.sh

# Instructions per operation with valgrind's callgrind, on both stores; see scripts/bench/callgrind.sh.
profile:
	scripts/bench/callgrind.sh sqlite
	scripts/bench/callgrind.sh postgres

clean:
	rm -rf .build var
