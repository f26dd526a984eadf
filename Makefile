# SPDX-License-Identifier: MIT
# Microvisor.  `make` builds build/microvisor.img (the default system);
# `make SYSTEM=dts/qemu-virt/NAME.dts` builds build/NAME.img; `make run`
# boots it in QEMU; `make test` runs everything CI checks.

SYSTEM  ?= dts/qemu-virt/linux.dts
DEFAULT_SYSTEM := dts/qemu-virt/linux.dts
NAME    := $(basename $(notdir $(SYSTEM)))
# `make` alone builds build/microvisor.img; SYSTEM=.../NAME.dts builds NAME.img.
IMG     := build/$(if $(filter command line,$(origin SYSTEM)),$(NAME),microvisor).img

# QEMU machine options for `make run` (also used by the boot tests).
GIC     ?= 3
SMP     ?= 2
MEM     ?= 1G
CPU     ?= max

CROSS   ?= aarch64-linux-gnu-
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
HOSTCC  ?= gcc
LIBFDT_A := /usr/lib/aarch64-linux-gnu/libfdt.a
HOST_LIBFDT := /usr/lib/x86_64-linux-gnu/libfdt.so.1

B := build
comma := ,
BUILD_ID := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

# The EL2 kernel: freestanding, position independent, general registers
# only (the FP/SIMD registers hold vCPU state between switches: lazy
# switching; scripts/check-el2-fp checks the linked image, libfdt included),
# no unaligned accesses (parts run with the MMU off).
KCFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
	-Imicrovisor/include/libc -Imicrovisor/include -Iarch/aarch64/include -Ivdev \
	-I$(B)/include -fpie -mgeneral-regs-only -mstrict-align \
	-mno-outline-atomics -fno-stack-protector -fno-common \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-tree-loop-distribute-patterns -flto
KASFLAGS := -Imicrovisor/include -Iarch/aarch64/include -D__ASSEMBLER__
KLDFLAGS := -pie --no-dynamic-linker -z norelro -z max-page-size=4096 \
	--build-id=none --no-warn-rwx-segments -T arch/aarch64/linker.ld

CELLS := $(notdir $(patsubst %/,%,$(wildcard guests/cells/*/ tests/cells/*/)))
KSRC := $(wildcard microvisor/*.c) $(wildcard arch/aarch64/*.c) $(wildcard vdev/*.c)
KASM := $(wildcard arch/aarch64/*.S)
KOBJ := $(patsubst %,$(B)/kernel/%.o,$(KSRC) $(KASM))
KHDR := $(wildcard microvisor/include/*/*.h arch/aarch64/include/*/*.h arch/aarch64/*.h vdev/*.h)

# Host unit tests (cmocka), against the same sources.
HCFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -Imicrovisor/include -Iarch/aarch64/include \
	-D_DEFAULT_SOURCE -fsanitize=address,undefined -fno-omit-frame-pointer
UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/host/%,$(wildcard tests/unit/test_*.c))

.PHONY: cells check-dts bench test-guests all run test unit boot-test check clean setup cppcheck FORCE
# A recipe that fails leaves no half-written target (an empty
# microvisor.elf would otherwise look up to date to the next make).
.DELETE_ON_ERROR:
all: $(IMG)

# Install what is missing (scripts/setup says what it does).
$(B)/.setup-ok: scripts/setup
	@scripts/setup --check >/dev/null 2>&1 || scripts/setup
	@mkdir -p $(B) && touch $@
setup:
	scripts/setup

$(B)/include/.ok: | $(B)/.setup-ok
	@mkdir -p $(B)/include
	ln -sf /usr/include/libfdt.h /usr/include/libfdt_env.h /usr/include/fdt.h $(B)/include/
	@touch $@

# The banner's build ID (commit, "-dirty" for local changes): rewritten
# only when it changes, so a new commit rebuilds main.c and nothing else.
$(B)/include/mv_build_id.h: FORCE | $(B)/include/.ok
	@echo '#define MV_BUILD_ID "$(BUILD_ID)"' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(B)/kernel/microvisor/main.c.o: $(B)/include/mv_build_id.h
FORCE:

$(B)/kernel/%.c.o: %.c $(KHDR) $(B)/include/.ok Makefile
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(B)/kernel/%.S.o: %.S $(KHDR) Makefile | $(B)/.setup-ok
	@mkdir -p $(dir $@)
	$(CC) $(KASFLAGS) -c $< -o $@

# Per system: compile the description, pack it, link, strip to an Image.
# Compile the description and validate it with the kernel's own parser.
$(B)/sys/$(NAME)/system.dtb: $(SYSTEM) $(B)/host/check-dts | $(B)/.setup-ok
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@.tmp $<
	@$(B)/host/check-dts $< $@.tmp >/dev/null || { rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@

check-dts: $(B)/host/check-dts | $(B)/.setup-ok
	@mkdir -p $(B)/sys/$(NAME)
	dtc -q -I dts -O dtb -o $(B)/sys/$(NAME)/check.dtb $(SYSTEM)
	@$(B)/host/check-dts $(SYSTEM) $(B)/sys/$(NAME)/check.dtb

$(B)/host/check-dts: scripts/check-dts.c microvisor/system.c microvisor/vm_desc.c \
		 microvisor/channel_desc.c microvisor/cap_desc.c microvisor/fault_desc.c $(KHDR) | $(B)/.setup-ok
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -O2 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -Imicrovisor/include \
		-Ivdev -o $@ $(filter %.c,$^) $(HOST_LIBFDT)

# Images a description names are packed as they are; the project's own
# initramfs is built first since the Linux examples name it.
$(B)/sys/$(NAME)/package.S: $(B)/sys/$(NAME)/system.dtb scripts/pack $(B)/initramfs.cpio.gz \
		$(B)/disk.img $(patsubst %,$(B)/cells/%.bin,$(CELLS))
	scripts/pack $(SYSTEM) $< $@ $(B)/sys/$(NAME)/package.d

$(B)/sys/$(NAME)/package.o: $(B)/sys/$(NAME)/package.S
	$(CC) -c $< -o $@

-include $(B)/sys/$(NAME)/package.d

$(B)/sys/$(NAME)/microvisor.elf: $(KOBJ) $(B)/sys/$(NAME)/package.o arch/aarch64/linker.ld
	$(CC) $(KCFLAGS) -nostdlib -no-pie $(addprefix -Wl$(comma),$(KLDFLAGS)) -o $@ $(KOBJ) $(B)/sys/$(NAME)/package.o $(LIBFDT_A) -lgcc
	@scripts/check-el2-fp $@ || { rm -f $@; exit 1; }

$(IMG): $(B)/sys/$(NAME)/microvisor.elf
	$(OBJCOPY) -O binary $< $@
	@echo "image: $@ ($(SYSTEM), $$(stat -c %s $@) bytes)"

# Bare-metal test guests (tests/guests/NAME/*.{c,S} -> build/tests/NAME.bin),
# linked at the guest RAM base by tests/guests/lib/link.ld; a guest without
# its own start.S gets tests/guests/lib/start.S.  Each rebuilds when
# tests/guests/lib/guest.h or the virtio registers change (the hostile
# virtio drivers include them).
GCFLAGS := -std=c11 -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib \
	-mgeneral-regs-only -mstrict-align -fno-pie -no-pie -static \
	-Wl,--build-id=none -Wl,--no-warn-rwx-segments
TEST_GUESTS := $(filter-out lib,$(notdir $(patsubst %/,%,$(wildcard tests/guests/*/))))
.SECONDEXPANSION:
$(B)/tests/%.bin: $$(wildcard tests/guests/$$*/*.c tests/guests/$$*/*.S tests/guests/$$*/*.h) \
		$$(if $$(wildcard tests/guests/$$*/*.S),,tests/guests/lib/start.S) \
		tests/guests/lib/link.ld tests/guests/lib/guest.h guests/native/virtio/virtio_regs.h | $(B)/.setup-ok
	@mkdir -p $(dir $@)
	$(CC) $(GCFLAGS) -T tests/guests/lib/link.ld -o $(B)/tests/$*.elf $(filter %.c %.S,$^)
	$(OBJCOPY) -O binary $(B)/tests/$*.elf $@
test-guests: $(patsubst %,$(B)/tests/%.bin,$(TEST_GUESTS))

# Cells: the native runtime (guests/native) plus the cell's sources
# (guests/cells/NAME or tests/cells/NAME) -> build/cells/NAME.bin.
# A cell that serves virtio devices also builds the shared virtio-mmio
# transport (guests/native/virtio): CELL_LIBS_<name> lists what it adds
# (and a header from elsewhere it includes).
RT_SRC := guests/native/crt0.S guests/native/runtime.c
VIRTIO_SRC := guests/native/virtio/virtio_mmio.c
VIRTIO_HDR := $(wildcard guests/native/virtio/*.h)
CELL_VIRTIO := $(VIRTIO_SRC) guests/native/virtio/cell_dt.c $(VIRTIO_HDR)
CELL_LIBS_virtio-blk := $(CELL_VIRTIO)
CELL_LIBS_vswitch := $(CELL_VIRTIO)
CELL_LIBS_console := $(CELL_VIRTIO)
CELL_LIBS_lxchan := guests/linux/mvchan/lxchan-proto.h	# the channel driver test's protocol
CELL_CFLAGS := $(GCFLAGS) -Iguests/native/include -Iguests/native/virtio -Imicrovisor/include
$(B)/cells/%.bin: $$(wildcard guests/cells/$$*/*.c tests/cells/$$*/*.c) \
		$$(wildcard guests/cells/$$*/*.h tests/cells/$$*/*.h) $(RT_SRC) $$(CELL_LIBS_$$*) \
		guests/native/link.ld guests/native/include/mv_runtime.h \
		microvisor/include/abi/microvisor.h | $(B)/.setup-ok
	@mkdir -p $(dir $@)
	$(CC) $(CELL_CFLAGS) -T guests/native/link.ld -o $(B)/cells/$*.elf $(filter %.c %.S,$^)
	$(OBJCOPY) -O binary $(B)/cells/$*.elf $@
cells: $(patsubst %,$(B)/cells/%.bin,$(CELLS))

run: $(IMG)
	scripts/run -i $(IMG) -g $(GIC) -s $(SMP) -m $(MEM) -c $(CPU)

# Host unit tests.
# The sources that build on the host as they are: the architecture-independent
# ones and arch/aarch64/vcpu_regs.c (the vCPU register numbering).
HOST_SRC := microvisor/frame.c microvisor/platform.c microvisor/system.c \
	microvisor/cap.c microvisor/channel.c microvisor/channel_desc.c microvisor/cap_desc.c \
	microvisor/vm_desc.c microvisor/fault_desc.c microvisor/fault_msg.c microvisor/vcpu_args.c \
	microvisor/window.c arch/aarch64/vcpu_regs.c $(wildcard vdev/*.c) guests/cells/console/vpl011.c
$(B)/host/test_%: tests/unit/test_%.c $(HOST_SRC) $(KHDR) $(wildcard vdev/*.h) \
		guests/cells/console/vpl011.h Makefile | $(B)/.setup-ok
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HCFLAGS) -Ivdev -Iguests/cells/console -o $@ $< $(HOST_SRC) $(HOST_LIBFDT) -lcmocka

# The cells' virtio-mmio transport, on the host: the test fakes the
# hypercalls (mv_runtime.h declares mv_hypercall off AArch64).
$(B)/host/test_virtio: tests/unit/test_virtio.c tests/unit/cell_log.h $(VIRTIO_SRC) $(VIRTIO_HDR) \
		guests/native/include/mv_runtime.h microvisor/include/abi/microvisor.h Makefile | $(B)/.setup-ok
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HCFLAGS) -Iguests/native/include -Iguests/native/virtio -o $@ $< $(VIRTIO_SRC) -lcmocka

# The vswitch cell, on the host, the same way (the test includes vswitch.c).
$(B)/host/test_vswitch: tests/unit/test_vswitch.c tests/unit/cell_log.h guests/cells/vswitch/vswitch.c $(VIRTIO_SRC) \
		guests/native/virtio/cell_dt.c $(VIRTIO_HDR) guests/native/include/mv_runtime.h \
		microvisor/include/abi/microvisor.h Makefile | $(B)/.setup-ok
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HCFLAGS) -Iguests/native/include -Iguests/native/virtio -o $@ $< $(VIRTIO_SRC) \
		guests/native/virtio/cell_dt.c -lcmocka

# The console cell's virtio console, on the host, the same way (the test
# includes vcons.c).
$(B)/host/test_vcons: tests/unit/test_vcons.c tests/unit/cell_log.h guests/cells/console/vcons.c \
		guests/cells/console/vcons.h $(VIRTIO_SRC) $(VIRTIO_HDR) guests/native/include/mv_runtime.h \
		microvisor/include/abi/microvisor.h Makefile | $(B)/.setup-ok
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HCFLAGS) -Iguests/native/include -Iguests/native/virtio -Iguests/cells/console -o $@ $< \
		$(VIRTIO_SRC) -lcmocka

$(B)/test-dtbs/.ok: tests/unit/make-dtbs.sh | $(B)/.setup-ok
	tests/unit/make-dtbs.sh $(B)/test-dtbs
	@touch $@

unit: $(UNIT_TESTS) $(B)/test-dtbs/.ok
	@set -e; for t in $(UNIT_TESTS); do MV_TEST_DTBS=$(B)/test-dtbs $$t; done

boot-test: $(B)/.setup-ok
	tests/boot/run.sh

cppcheck: $(B)/include/.ok
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,style \
		--std=c11 -Imicrovisor/include -Iarch/aarch64/include -I$(B)/include \
		--suppress=missingIncludeSystem microvisor arch $(wildcard vdev/*.c) \
		guests/cells/console/vpl011.c
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,style \
		--std=c11 -Iguests/native/include -Iguests/native/virtio -Imicrovisor/include \
		--suppress=missingIncludeSystem \
		--suppress=constStatement:guests/native/include/mv_runtime.h \
		guests/native/virtio guests/cells/virtio-blk guests/cells/vswitch \
		guests/cells/console/console.c guests/cells/console/vcons.c

test: unit boot-test cppcheck

# Fuzzing (libFuzzer, ASan+UBSan; clang from scripts/setup): system_parse()
# on arbitrary DTBs, seeded with every example compiled.  `make fuzz` runs
# for FUZZ_SECONDS and fails on a crash, a hang, a leak or a sanitizer
# report (the input is left in build/fuzz/artifacts/).
FUZZ_SECONDS ?= 120
FUZZ_DTS := $(wildcard dts/qemu-virt/*.dts tests/dts/*.dts tests/fuzz/seeds/*.dts)
.PHONY: fuzz
$(B)/fuzz/fuzz_system: tests/fuzz/fuzz_system.c microvisor/system.c microvisor/vm_desc.c \
		 microvisor/channel_desc.c microvisor/cap_desc.c microvisor/fault_desc.c $(KHDR) Makefile | $(B)/.setup-ok
	@mkdir -p $(dir $@)
	clang -std=c11 -O1 -g -Wall -Wextra -Werror -D_DEFAULT_SOURCE -Imicrovisor/include -Ivdev \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -o $@ $(filter %.c,$^) $(HOST_LIBFDT)
$(B)/fuzz/seeds.ok: $(FUZZ_DTS) | $(B)/.setup-ok
	@rm -rf $(B)/fuzz/seeds && mkdir -p $(B)/fuzz/seeds
	@for f in $(FUZZ_DTS); do dtc -q -I dts -O dtb -o $(B)/fuzz/seeds/$$(basename $$f .dts).dtb $$f || exit 1; done
	@touch $@
fuzz: $(B)/fuzz/fuzz_system $(B)/fuzz/seeds.ok
	@mkdir -p $(B)/fuzz/corpus $(B)/fuzz/artifacts
	$(B)/fuzz/fuzz_system -max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=2048 \
		-dict=tests/fuzz/system.dict -artifact_prefix=$(B)/fuzz/artifacts/ \
		-print_final_stats=1 $(B)/fuzz/corpus $(B)/fuzz/seeds

# Benchmarks (docs/performance.md): one "BENCH <name> <value> <unit>" line
# per figure.  Boot: the Debian kernel to userspace under the microvisor
# (with the console cell, which every system has) against the same kernel
# and initramfs on bare QEMU, same machine options.
BENCH_RUNS ?= 5
bench: $(B)/.setup-ok
	@$(MAKE) -s SYSTEM=tests/dts/bench-cells.dts >/dev/null
	scripts/bench-cells build/bench-cells.img
	@$(MAKE) -s test-guests >/dev/null
	@$(MAKE) -s SYSTEM=tests/dts/mmiobench.dts >/dev/null
	scripts/bench-cells build/mmiobench.img
	@$(MAKE) -s SYSTEM=tests/dts/linux-bench-console.dts >/dev/null
	scripts/bench-boot -n $(BENCH_RUNS) -g 3 -s 2 -m 1G -c cortex-a57 -N console-cell \
		build/linux-bench-console.img
	@$(MAKE) -s SYSTEM=tests/dts/linux-blk-bench.dts >/dev/null
	scripts/bench-virtio -n 3 build/linux-blk-bench.img
	@$(MAKE) -s SYSTEM=tests/dts/linux-net-bench.dts >/dev/null
	scripts/bench-net -n 3 build/linux-net-bench.img

# Linux guest test initramfs (guests/linux/initramfs/init + .cache/busybox),
# and its checks on bare QEMU: `make linux-check` (not part of `make test`:
# it tests the initramfs, not the microvisor).  Boot benchmark: scripts/bench-boot.
$(B)/initramfs.cpio.gz: scripts/mkinitramfs guests/linux/initramfs/init $(wildcard .cache/busybox) \
		$(B)/mvchan/mvchan.ko $(B)/linux/mvchan | $(B)/.setup-ok
	scripts/mkinitramfs $@ $(B)/mvchan/mvchan.ko $(B)/linux/mvchan

# The channel driver (guests/linux/mvchan, docs/mvchan.md): an out-of-tree
# module built with Debian's kbuild against the headers of the guest kernel
# that scripts/setup fetched (.cache/kernel.pkg names it), in a copy of its
# sources under build/ (kbuild writes next to them), without its debug
# information (the initramfs carries it).  And its user-space tool,
# static for the busybox initramfs.
MVCHAN_SRC := $(wildcard guests/linux/mvchan/*.c guests/linux/mvchan/*.h \
	guests/linux/mvchan/Kbuild guests/linux/mvchan/include/*.h)
$(B)/mvchan/mvchan.ko: $(filter-out %/mvchan-tool.c,$(MVCHAN_SRC)) microvisor/include/abi/microvisor.h Makefile \
		| $(B)/.setup-ok
	@rel=$$(sed 's/^linux-image-//' .cache/kernel.pkg 2>/dev/null); \
	hdrs=.cache/linux-headers-$$rel/root/usr/src/linux-headers-$$rel; \
	[ -n "$$rel" ] && [ -f $$hdrs/Makefile ] || { echo "mvchan: no headers for '$$rel' in .cache: run scripts/setup"; exit 1; }; \
	rm -rf $(B)/mvchan && mkdir -p $(B)/mvchan/include && \
	cp guests/linux/mvchan/Kbuild guests/linux/mvchan/mvchan.[ch] $(B)/mvchan/ && \
	cp guests/linux/mvchan/include/*.h $(B)/mvchan/include/ && \
	$(MAKE) -s -C $$hdrs M=$(abspath $(B)/mvchan) ARCH=arm64 CROSS_COMPILE=$(CROSS) \
		MV_ABI_INCLUDE=$(abspath microvisor/include) modules >$(B)/mvchan/build.log 2>&1 \
		|| { cat $(B)/mvchan/build.log; exit 1; }; \
	if grep -v "Skipping BTF generation" $(B)/mvchan/build.log | grep -qi warning; then \
		cat $(B)/mvchan/build.log; echo "mvchan: warnings"; rm -f $@; exit 1; fi; \
	$(CROSS)strip --strip-debug $@ && \
	echo "mvchan: $@ (vermagic $$(strings $@ | sed -n 's/^vermagic=//p'))"

$(B)/linux/mvchan: guests/linux/mvchan/mvchan-tool.c guests/linux/mvchan/mvchan.h guests/linux/mvchan/lxchan-proto.h | $(B)/.setup-ok
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -static -s -o $@ $<

# The example disk (dts/qemu-virt/linux-disk.dts): an 8 MiB ext2 file
# system holding guests/linux/disk/, served by the virtio-blk cell.
# Fixed UUID, hash seed and times (the files' too: a copy with them
# set, as a checkout's are whenever it was made); files owned by root.
$(B)/disk.img: $(wildcard guests/linux/disk/*) | $(B)/.setup-ok
	@mkdir -p $(dir $@)
	@rm -rf $@.d && cp -r guests/linux/disk $@.d && chmod -R u=rwX,go=rX $@.d && touch -h -d @$${SOURCE_DATE_EPOCH:-1} $@.d $@.d/*
	E2FSPROGS_FAKE_TIME=$${SOURCE_DATE_EPOCH:-1} /sbin/mke2fs -q -F -t ext2 -b 1024 \
		-U 6d696372-6f76-6973-6f72-2d626c6b0000 \
		-E hash_seed=6d696372-6f76-6973-6f72-2d626c6b0000,root_owner=0:0 \
		-d $@.d $@.tmp 8M
	@rm -rf $@.d && mv $@.tmp $@

.PHONY: linux-check
linux-check: $(B)/initramfs.cpio.gz
	tests/linux/run.sh

clean:
	rm -rf $(B)
include ci/lava/lava.mk
