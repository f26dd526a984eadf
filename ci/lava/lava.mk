# SPDX-License-Identifier: MIT
# LAVA boot tests (docs/lava.md), included by the top-level Makefile.
#
#   make lava          install lava-dispatcher if missing, run every job with
#                      lava-run, print one line per test case and a summary
#   make lava-jobs     write the jobs only, for a LAVA server: LAVA_IMAGE_BASE=URL
#                      (where the server finds build/*.img); LAVA_BOARD=DEVICE_TYPE
#                      writes U-Boot jobs for a board instead (LAVA_BOARD_GIC,
#                      LAVA_BOARD_CPUS, LAVA_BOARD_DTB=URL, LAVA_SYSTEMS=dts/BOARD)
#
# LAVA_FILTER=REGEX runs the jobs whose name matches; LAVA_MACHINES="gic3-smp2
# gic2-smp1 ..." sets the QEMU machines; LAVA_BOOT_TIMEOUT=SECONDS (default
# 60) bounds each boot.  Output and logs: build/lava/ (docs/lava.md).

.PHONY: lava lava-jobs lava-image

lava: $(B)/.setup-ok
	@ci/lava/run run

lava-jobs: $(B)/.setup-ok
	@ci/lava/run jobs

# Build $(SYSTEM) and say where its image is (ci/lava/lava.py asks this).
lava-image: $(IMG)
	@echo "lava-image: $(IMG)"
