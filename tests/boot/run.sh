#!/bin/bash
# SPDX-License-Identifier: MIT
# Boot tests: boot Microvisor images under QEMU (TCG) and assert on what the
# console prints.  Every boot has a hard timeout; a failing case prints the
# console tail.  Ends with "N passed, N failed".
#
#   tests/boot/run.sh [FILTER]    run the cases whose name contains FILTER
set -uo pipefail

cd "$(dirname "$0")/../.."
out=build/boot-tests
filter="${1:-}"
timeout_s="${BOOT_TIMEOUT:-60}"
mkdir -p "$out"
passed=0 failed=0 failures=()

make -s SYSTEM=dts/qemu-virt/empty.dts >/dev/null || { echo "boot-test: build failed"; exit 1; }
make -s SYSTEM=tests/dts/crash.dts >/dev/null || { echo "boot-test: build of crash.img failed"; exit 1; }
make -s test-guests >/dev/null && make -s SYSTEM=tests/dts/hello.dts >/dev/null \
  && make -s SYSTEM=tests/dts/reset.dts >/dev/null && make -s SYSTEM=tests/dts/psci.dts >/dev/null \
  && make -s SYSTEM=tests/dts/pingpong.dts >/dev/null \
  && make -s SYSTEM=tests/dts/window.dts >/dev/null && make -s SYSTEM=tests/dts/crash-report.dts >/dev/null \
  && for h in svepred ap0r dbgleak offon resetstarve aarch32 mmuregs; do make -s SYSTEM=tests/dts/$h.dts >/dev/null || exit 1; done \
  || { echo "boot-test: build of the test guests failed"; exit 1; }
echo "boot-test: packing the Debian kernel and the initramfs (build/linux-checks.img)"
make -s build/initramfs.cpio.gz >/dev/null && make -s SYSTEM=tests/dts/linux-checks.dts >/dev/null \
  || { echo "boot-test: build of linux-checks.img failed"; exit 1; }

# boot NAME IMAGE "QEMU MACHINE ARGS" [EXTRA QEMU ARGS...]: run one boot,
# console to $out/NAME.log, exit status to $out/NAME.rc.
boot() {
  local name="$1" img="$2" machine="$3"; shift 3
  local log="$out/$name.log"
  # shellcheck disable=SC2086
  timeout -k 5 "$timeout_s" qemu-system-aarch64 $machine -nographic -net none \
    -monitor none -serial "file:$log" -kernel "$img" "$@" </dev/null >"$out/$name.qemu" 2>&1
  echo $? >"$out/$name.rc"
}

# check NAME [want-rc] -- PATTERN... [! PATTERN...]: the log must contain
# every PATTERN (fixed strings) and none after "!".
check() {
  local name="$1" want_rc="$2"; shift 2
  local log="$out/$name.log" rc why="" negate=0
  rc="$(cat "$out/$name.rc")"
  if [ "$want_rc" = 124 ] && [ "$rc" = 124 ]; then
    :	# a boot that never ends by design: the patterns decide
  elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    why="timed out after ${timeout_s}s (QEMU killed)"
  elif [ "$rc" != "$want_rc" ]; then
    why="QEMU exited $rc, expected $want_rc: $(tail -n 3 "$out/$name.qemu" | tr '\n' ' ')"
  fi
  for p in "$@"; do
    [ -n "$why" ] && break
    if [ "$p" = "!" ]; then negate=1; continue; fi
    if [ $negate = 0 ] && ! grep -qF -- "$p" "$log"; then
      why="console lacks: $p"
    elif [ $negate = 1 ] && grep -qF -- "$p" "$log"; then
      why="console has: $p"
    fi
  done
  if [ -z "$why" ]; then
    echo "PASS: $name"
    passed=$((passed + 1))
  else
    echo "FAIL: $name: $why"
    echo "---- console tail ($log) ----"
    tail -n 25 "$log" 2>/dev/null | tr -d '\r' | sed 's/^/| /'
    echo "----"
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

# short_boot SECONDS NAME IMAGE MACHINE...: a boot that never ends by design,
# ended by a short timeout (its check expects status 124).
short_boot() {
  local saved="$timeout_s"
  timeout_s="$1"; shift
  boot "$@"
  timeout_s="$saved"
}

want() { [ -z "$filter" ] || [[ "$1" == *"$filter"* ]]; }

# fifo_boot NAME IMAGE GIC: start a boot in the background whose console
# input is the fifo $out/NAME.in, open for writing as fd 3 (printf ... >&3
# types); its console goes to $log, its PID is $qpid.  fifo_end NAME
# waits for it and records its status.
fifo_boot() {
  local fifo="$out/$1.in"
  log="$out/$1.log"
  rm -f "$fifo" "$log"; mkfifo "$fifo"
  # shellcheck disable=SC2046
  timeout -k 5 "$timeout_s" qemu-system-aarch64 $(machine "$3" cortex-a57 2 1G) -nographic \
    -net none -kernel "$2" <"$fifo" >"$log" 2>&1 &
  qpid=$!
  exec 3>"$fifo"
}
# error_lines NAME PREFIX N: the log has N lines beginning PREFIX (a
# hostile test's refusals, one line each).
error_lines() {
  local n
  n=$(grep -c "^$2" "$out/$1.log" || true)
  [ "${n:-0}" = "$3" ] && return
  echo "FAIL: $1: ${n:-0} error lines, expected $3 (one per refusal)"
  failed=$((failed + 1)); failures+=("$1-lines")
}
fifo_end() {
  wait $qpid; echo $? >"$out/$1.rc"
  exec 3>&-
}

machine() { # GIC CPU SMP MEM
  local cpu="$2"
  [ "$cpu" = max ] && cpu="max,pauth-impdef=on"
  echo "-M virt,virtualization=on,gic-version=$1 -cpu $cpu -smp $3 -m $4"
}

# Dump QEMU's own DTB for a machine, to decompile, break and pass back with
# -dtb.  QEMU checks the structure of a -dtb file, so what can be tested at
# boot is a valid blob with missing or malformed nodes; corrupt blobs are
# covered by the unit tests.
broken_dtb() { # NAME GIC SED-SCRIPT
  local m; m="$(machine "$2" cortex-a57 2 1G)"
  # shellcheck disable=SC2086
  qemu-system-aarch64 ${m/-M virt,/-M virt,dumpdtb=$out/$1.orig.dtb,} -nographic -net none >/dev/null 2>&1
  dtc -q -I dtb -O dts "$out/$1.orig.dtb" | sed -e "$3" | dtc -q -I dts -O dtb -o "$out/$1.dtb" -
}

echo "boot-test: $(qemu-system-aarch64 --version | head -n1), timeout ${timeout_s}s per boot"

# --- good boots: banner, CPU count, GIC version, memory, clean power-off ---
for c in "gic2-smp1-a57-512M 2 cortex-a57 1 512M" "gic2-smp4-a57-1G 2 cortex-a57 4 1G" \
         "gic3-smp1-max-2G 3 max 1 2G" "gic3-smp4-max-4G 3 max 4 4G" \
         "gic3-smp2-a57-8G 3 cortex-a57 2 8G" "gic2-smp3-max-768M 2 max 3 768M"; do
  read -r name gic cpu smp mem <<<"$c"
  want "$name" || continue
  mib=$(( ${mem%[MG]} * $([[ $mem == *G ]] && echo 1024 || echo 1) ))
  plural=$([ "$smp" = 1 ] && echo "CPU" || echo "CPUs")
  boot "$name" build/empty.img "$(machine "$gic" "$cpu" "$smp" "$mem")"
  pats=("Microvisor 0.1.0" "psci: firmware PSCI 1.1 via SMC" "gic: GICv$gic"
        "microvisor: Microvisor 0.1.0: $smp $plural online, GICv$gic, $mib MiB RAM"
        "system: empty: 0 domains" "microvisor: nothing left to run, powering off")
  for ((i = 1; i < smp; i++)); do pats+=("cpu$i: online (MPIDR 0x$i)"); done
  check "$name" 0 "${pats[@]}" ! "PANIC" "error"
done

# --- bad input: one clear error line, then power-off; never a crash dump ---
if want bad-no-timer; then
  broken_dtb bad-no-timer 3 '/^\ttimer {/,/^\t};/d'
  boot bad-no-timer build/empty.img "$(machine 3 cortex-a57 2 1G)" -dtb "$out/bad-no-timer.dtb"
  check bad-no-timer 0 'dt: error: timer: node missing (no node compatible with "arm,armv8-timer")' \
    "microvisor: cannot boot, powering off" ! "PANIC" "nothing left to run"
fi
if want bad-no-uart; then
  # No UART in the host DTB: the error goes to the description's early UART.
  broken_dtb bad-no-uart 2 '/stdout-path/d; /^\tpl011@9000000 {/,/^\t};/d'
  boot bad-no-uart build/empty.img "$(machine 2 cortex-a57 2 1G)" -dtb "$out/bad-no-uart.dtb"
  check bad-no-uart 0 'dt: error: no console: /chosen/stdout-path is missing and no node is compatible with "arm,pl011"' \
    "microvisor: cannot boot, powering off" ! "PANIC"
fi
if want bad-cpu-method; then
  # QEMU rewrites /psci and /memory in a -dtb, but leaves /cpus alone.
  broken_dtb bad-cpu-method 3 's/enable-method = "psci"/enable-method = "spin-table"/'
  boot bad-cpu-method build/empty.img "$(machine 3 cortex-a57 2 1G)" -dtb "$out/bad-cpu-method.dtb"
  check bad-cpu-method 0 'dt: error: /cpus/cpu@0: enable-method: "spin-table" is not supported (need "psci")' \
    "microvisor: cannot boot, powering off" ! "PANIC"
fi
if want bad-gic-reg; then
  # GICv2 with only the distributor in reg: the CPU interface is missing.
  broken_dtb bad-gic-reg 2 '/^\tintc@8000000 {/,/^\t};/s/reg = <0x00 0x8000000 0x00 0x10000 .*>;/reg = <0x00 0x8000000 0x00 0x10000>;/'
  boot bad-gic-reg build/empty.img "$(machine 2 cortex-a57 2 1G)" -dtb "$out/bad-gic-reg.dtb"
  check bad-gic-reg 0 'dt: error: /intc@8000000: reg: has 1 entries, need at least 2 (distributor, CPU interface)' \
    "microvisor: cannot boot, powering off" ! "PANIC"
fi
if want bad-timer-irqs; then
  broken_dtb bad-timer-irqs 3 's/interrupts = <0x01 0x0d 0x04 0x01 0x0e 0x04 0x01 0x0b 0x04 0x01 0x0a 0x04>/interrupts = <0x01 0x0d 0x04 0x01 0x0e 0x04 0x01 0x0b>/'
  boot bad-timer-irqs build/empty.img "$(machine 3 cortex-a57 2 1G)" -dtb "$out/bad-timer-irqs.dtb"
  check bad-timer-irqs 0 'dt: error: /timer: interrupts: has 32 bytes, need 4 entries of 3 cells' \
    "microvisor: cannot boot, powering off" ! "PANIC"
fi
if want wrong-el; then
  # Without virtualization=on QEMU enters at EL1: a clear error, power-off.
  boot wrong-el build/empty.img "-M virt -cpu cortex-a57 -smp 1 -m 512M"
  check wrong-el 0 "microvisor: error: entered at EL1, but the microvisor runs at EL2" \
    "microvisor: cannot boot, powering off" ! "PANIC"
fi

if want uboot-booti; then
  # U-Boot (Debian's u-boot-qemu) at EL2 loads the image from QEMU's fw_cfg
  # and starts it with booti, as a board's boot chain would.
  boot uboot-booti build/empty.img "$(machine 3 cortex-a57 2 1G)" \
    -bios /usr/lib/u-boot/qemu_arm64/u-boot.bin
  check uboot-booti 0 "Starting kernel" "Microvisor 0.1.0" \
    "microvisor: Microvisor 0.1.0: 2 CPUs online, GICv3, 1024 MiB RAM" \
    "microvisor: nothing left to run, powering off" ! "PANIC"
fi

# --- a bare-metal VM: raw image at its entry, DTB in x0, console through the
# virtual PL011, NOT_SUPPORTED for an unknown HVC, an external abort for an
# unmapped address (logged once), PSCI SYSTEM_OFF ends the VM and the machine.
for c in "vm-hello-gic2 2 cortex-a57 2" "vm-hello-gic3 3 max 1"; do
  read -r name gic cpu smp <<<"$c"
  want "$name" || continue
  boot "$name" build/hello.img "$(machine "$gic" "$cpu" "$smp" 1G)"
  check "$name" 0 "hello: VM created: 1 vCPU, 4 MiB at 0x40000000" \
    "hello: hello: running at EL1" "has the FDT magic" \
    "hello: hello: PSCI version 0x0000000000010001" \
    "hello: vcpu0: unknown HVC/SMC function 0x86000000: NOT_SUPPORTED" \
    "hello: hello: unknown HVC returned NOT_SUPPORTED" \
    "hello: hello: unknown SMC returned NOT_SUPPORTED" \
    "hello: vcpu0: read at unmapped guest address 0x20000000" \
    "hello: hello: external abort taken, ESR 0x0000000096000010" \
    "hello: stopped (PSCI SYSTEM_OFF)" "microvisor: no VM left running, powering off" \
    ! "PANIC" "still running" "did not return"
done

# --- PSCI for guests: a bare-metal guest on 4 vCPUs checks VERSION,
# FEATURES, MIGRATE_INFO_TYPE, CPU_ON (bad target, twice, and three vCPUs
# racing to start a fourth: one SUCCESS, two ALREADY_ON), AFFINITY_INFO and
# CPU_OFF, on 2 physical CPUs and on 1.
for c in "vm-psci-2cpu 3 2" "vm-psci-1cpu 2 1"; do
  read -r name gic smp <<<"$c"
  want "$name" || continue
  boot "$name" build/psci.img "$(machine "$gic" cortex-a57 "$smp" 1G)"
  check "$name" 0 "psci-guest: PASS VERSION = 65537" "psci-guest: PASS CPU_ON(7) = -2" \
    "psci-guest: PASS CPU_ON(1) again = -4" "psci-guest: PASS racing CPU_ON(3): SUCCESS count = 1" \
    "psci-guest: PASS racing CPU_ON(3): ALREADY_ON count = 2" \
    "psci-guest: PASS AFFINITY_INFO(3) after its CPU_OFF = 1" "psci-guest: done" \
    "psci: stopped (PSCI SYSTEM_OFF)" ! "psci-guest: FAIL" "PANIC"
done

# --- cells and channels: two native cells exchange 10,000 messages over two
# channels with send and receive/wait, and 10,000 more with the combined
# send-and-receive call (blocking: on two CPUs its wake crosses CPUs), every
# payload checked; capabilities the sender lacks are refused, each with its
# own error; the service cell does not keep the machine on.
for c in "cells-pingpong-1cpu 3 1" "cells-pingpong-2cpu 2 2"; do
  read -r name gic smp <<<"$c"
  want "$name" || continue
  boot "$name" build/pingpong.img "$(machine "$gic" cortex-a57 "$smp" 1G)"
  check "$name" 0 "system: channel ping-to-pong: ping slot 1 -> pong slot 1, depth 16" \
    "pong: service cell created" "pong: pong: serving" \
    "ping: ping: PASS: 10000 round trips, every payload checked" \
    "ping: ping: PASS send on an empty slot: -3" \
    "ping: ping: PASS send on a receive-only capability: -5" \
    "ping: ping: PASS receive on a send-only capability: -5" \
    "ping: ping: PASS send of 5 words: -2" \
    "ping: ping: PASS: 10000 calls (send and receive in one), every payload checked" \
    "ping: ping: PASS call sending on a receive-only capability: -5" \
    "ping: ping: PASS call receiving on a send-only capability: -5" \
    "ping: ping: PASS call receiving on an empty slot: -3" \
    "ping: ping: PASS receive with an unknown flag: -2" "ping: stopped (PSCI SYSTEM_OFF)" \
    "microvisor: no VM left running, powering off" ! "FAIL" "wrong" "PANIC"
done

# --- faults as messages: a VM's window served by a cell.  Every access size,
# sign and zero extension, 32-bit registers, an access answered with an
# external abort, a vCPU left blocked by a cell that never answers (the
# others run on), bad replies refused with their own errors, and a VM that
# crashes with no supervisor (stopped, nobody else is).
for c in "fault-window-1cpu 3 1" "fault-window-2cpu 2 2"; do
  read -r name gic smp <<<"$c"
  want "$name" || continue
  boot "$name" build/window.img "$(machine "$gic" cortex-a57 "$smp" 1G)"
  check "$name" 0 "system: client: window regs@a000000 0xa000000-0xa000fff served by regfile, slot 1" \
    "regfile: regfile: PASS reply on an empty slot: -3" \
    "regfile: regfile: PASS reply on slot 40: -3" \
    "regfile: regfile: PASS reply on a channel capability: -4" \
    "regfile: regfile: PASS receive on a channel capability: -4" \
    "regfile: regfile: PASS reply for vCPU 7 of 2: -2" \
    "regfile: regfile: PASS reply with action 9: -2" \
    "regfile: regfile: PASS reply for a vCPU that is not waiting: -8" \
    "regfile: regfile: PASS second reply to the same fault: -8" \
    "regfile: regfile: PASS window interrupt raised: 0" "regfile: regfile: PASS window interrupt lowered: 0" \
    "regfile: regfile: PASS window interrupt on a channel capability: -4" \
    "client: winclient: PASS ldrsb w (top half clear): 0x00000000ffffffa5" \
    "client: winclient: PASS str w over a 64-bit register: 0x11111111deadbeef" \
    "regfile: regfile: vcpu0 read at 0xf00: answering with an external abort" \
    "client: winclient: PASS its syndrome (EC 0x25, FSC 0x10): 0x0000000094000010" \
    "regfile: regfile: vcpu1 read at 0xe00: not answering" \
    "client: winclient: PASS: 22 checks passed, 0 failed" \
    "lone: vcpu0: crashed: exception vector not mapped (PC 0x30000200, syndrome 0x96000010, address 0x20000000)" \
    "lone: stopped (crashed)" "client: stopped (PSCI SYSTEM_OFF)" \
    "microvisor: no VM left running, powering off" ! "FAIL" "PANIC" "still running"
done

# --- crash reports to a supervisor cell: a VM whose exception vectors are
# not mapped is reported (the supervisor reads the guest's own record of
# the exception through a vcpu capability), restarted once and stopped by
# the supervisor; a
# VM whose window server crashes instead of answering gets the orphaned
# access (and the next one) reported, answered with an external abort, and
# runs on to its own power-off.
for c in "fault-crash-report-1cpu 3 1" "fault-crash-report-2cpu 2 2"; do
  read -r name gic smp <<<"$c"
  want "$name" || continue
  boot "$name" build/crash-report.img "$(machine "$gic" cortex-a57 "$smp" 1G)"
  check "$name" 0 "system: crasher: supervisor watchdog, slot 1" \
    "crasher: vcpu0: crashed: exception vector not mapped (PC 0x30000200, syndrome 0x96000010, address 0x20000000)" \
    "crasher: vcpu0: crash reported to watchdog" \
    "watchdog: watchdog: crash report: badge 1 vcpu0: exception vector not mapped, PC 0x30000200, syndrome 0x96000010, address 0x20000000" \
    "watchdog: slot 3: vcpu0 of crasher (read, control)" \
    "watchdog: watchdog: vcpu0 (status 0xb) last took ESR_EL1 0x96000010, FAR_EL1 0x20000000 at ELR_EL1 0x4000" \
    "crasher: reset requested (by watchdog)" "crasher: restarted from its images" \
    "crasher: stopped (by watchdog)" \
    "badsrv: badsrv: vcpu0 read at 0x0: crashing instead of answering" "badsrv: stopped (PSCI SYSTEM_OFF)" \
    "orphan: vcpu0: badsrv stopped before answering its fault" \
    "watchdog: watchdog: crash report: badge 2 vcpu0: window server stopped" \
    "orphan: orphan: PASS first read ended in an external abort" \
    "orphan: vcpu0: read at 0xa000008: window dev@a000000 has no server (badsrv stopped)" \
    "orphan: orphan: PASS second read ended in an external abort" \
    "orphan: stopped (PSCI SYSTEM_OFF)" "microvisor: no VM left running, powering off" \
    ! "FAIL" "PANIC" "still running"
  n=$(grep -c "watchdog: watchdog: crash report: badge 1" "$out/$name.log" || true)
  [ "${n:-0}" = 2 ] || { echo "FAIL: $name: $n crash reports of crasher, expected 2"; failed=$((failed + 1)); failures+=("$name-count"); }
done

# --- the benchmark cells (make bench) as a test: the echo cell serves with
# blocking receive and send-and-receive; every answer is checked.
if want cells-bench; then
  make -s SYSTEM=tests/dts/bench-cells.dts >/dev/null || { echo "boot-test: build of bench-cells.img failed"; exit 1; }
  boot cells-bench build/bench-cells.img "$(machine 3 cortex-a57 1 1G)"
  check cells-bench 0 "BENCH channel-round-trip " "BENCH channel-round-trip-send-wait " \
    "bench: bench: PASS: every answer checked" "BENCH forwarded-fault " "microvisor: no VM left running, powering off" \
    ! "FAIL" "PANIC"
fi

# --- a cell that faults (writes outside its memory) beside a Linux guest and
# the ping/pong cells: the fault is logged and the cell stopped; the guest's
# checks and the ping-pong still complete.
if want cells-faulty; then
  make -s SYSTEM=tests/dts/faulty.dts >/dev/null || { echo "boot-test: build of faulty.img failed"; exit 1; }
  boot cells-faulty build/faulty.img "$(machine 3 cortex-a57 2 1G)"
  check cells-faulty 0 "faulty: vcpu0: write at unmapped guest address 0x30000000" \
    "faulty: runtime: unexpected exception: ESR 0x96000010 FAR 0x30000000" \
    "faulty: stopped (PSCI SYSTEM_OFF)" \
    "ping: ping: PASS: 10000 round trips, every payload checked" \
    "linux: CHECKS DONE: 5 passed, 0 failed" "microvisor: no VM left running, powering off" \
    ! "still running after the fault" "PANIC"
fi

# --- hostile guests (tests/guests/*, found by review): what one VM does to
# shared CPU state must not reach another VM; each VM is contained.
if want hostile-sve; then
  short_boot 8 hostile-sve build/svepred.img "$(machine 3 max 1 1G)"
  check hostile-sve 124 "svepred: EL1 sync exception ESR 0x0000000002000000" \
    ! "CHANGED under me" "PANIC"
fi
if want hostile-mmuregs; then
  short_boot 12 hostile-mmuregs build/mmuregs.img "$(machine 3 cortex-a57 1 1G)"
  check hostile-mmuregs 124 "watcher: mmuwatch: PASS reset values throughout" \
    "setter: mmuset: PASS its own values kept across switches" ! "FAIL" "PANIC"
fi

if want hostile-ap0r; then
  short_boot 8 hostile-ap0r build/ap0r.img "$(machine 3 cortex-a57 1 1G)"
  check hostile-ap0r 124 "victim: ticker: tick 100" ! "no interrupt delivered" "PANIC"
fi
if want hostile-dbgleak; then
  boot hostile-dbgleak build/dbgleak.img "$(machine 3 cortex-a57 1 1G)"
  check hostile-dbgleak 0 "vma: dbgleak: CHANGED under me: DBGBVR0_EL1 0x0000000000000000 PMEVTYPER0_EL0 0x0000000000000000" \
    "vmb: dbgleak: CHANGED under me: DBGBVR0_EL1 0x0000000000000000 PMEVTYPER0_EL0 0x0000000000000000" ! "PANIC"
fi
if want hostile-offon; then
  boot hostile-offon build/offon.img "$(machine 2 cortex-a57 2 1G)"
  check hostile-offon 0 "lost 0 cpu_on errors 0 cpu_off returned 0" ! "PANIC"
fi
if want hostile-resetstarve; then
  short_boot 8 hostile-resetstarve build/resetstarve.img "$(machine 3 cortex-a57 1 1G)"
  n=$(grep -c "reset: restarted from its images" "$out/hostile-resetstarve.log" || true)
  check hostile-resetstarve 124 "busy: spin: busy forever" "reset: restarted from its images" ! "PANIC"
  [ "${n:-0}" -ge 3 ] || { echo "FAIL: hostile-resetstarve: only ${n:-0} restarts"; failed=$((failed + 1)); failures+=(hostile-resetstarve-count); }
fi
if want hostile-uartwake; then
  make -s SYSTEM=tests/dts/uartwake.dts >/dev/null || { echo "boot-test: build of uartwake.img failed"; exit 1; }
  short_boot 15 hostile-uartwake build/uartwake.img "$(machine 3 cortex-a57 1 1G)"
  check hostile-uartwake 0 "uartwake: PASS vCPU 0 woken by the UART interrupt" \
    "uartwake: stopped (PSCI SYSTEM_OFF)" ! "FAIL" "PANIC"
fi
if want hostile-aarch32; then
  boot hostile-aarch32 build/aarch32.img "$(machine 3 cortex-a57 1 1G)"
  check hostile-aarch32 0 "(lower EL AArch32: right)" ! "WRONG" "PANIC"
fi
if want hostile-fpiso; then
  # Lazy FP/SIMD: two VMs on CPU 0 keep their own q0-q31/FPCR/FPSR across
  # preemptions; fpa resets itself over and over and must start zeroed.
  make -s SYSTEM=tests/dts/fpiso.dts >/dev/null || { echo "boot-test: build of fpiso.img failed"; exit 1; }
  short_boot 10 hostile-fpiso build/fpiso.img "$(machine 3 max 2 1G)"
  check hostile-fpiso 124 "fpb: fpiso: PASS q0-q31, FPCR, FPSR zero at start" \
    "fpa: restarted from its images" "fpb: fpiso: PASS registers kept across 16 preemptions" \
    ! "FAIL" "PANIC" "stopped"
  n=$(grep -c "fpa: fpiso: PASS q0-q31, FPCR, FPSR zero at start" "$out/hostile-fpiso.log" || true)
  [ "${n:-0}" -ge 3 ] || { echo "FAIL: hostile-fpiso: fpa started clean only ${n:-0} times (want 3: a fresh boot, 2 restarts)"; failed=$((failed + 1)); failures+=(hostile-fpiso-count); }
fi
if want hostile-vcpufight; then
  # Two cells on two CPUs suspend, inspect and resume each other's vCPU
  # (vcpu capabilities); when both suspend the other at once, each one's
  # wait for the other to leave its CPU is given up (it is suspended
  # itself) instead of hanging both CPUs in EL2; a referee cell on a third
  # CPU resumes them.  Both finish, the machine powers off.
  make -s SYSTEM=tests/dts/vcpufight.dts >/dev/null || { echo "boot-test: build of vcpufight.img failed"; exit 1; }
  boot hostile-vcpufight build/vcpufight.img "$(machine 3 cortex-a57 3 1G)"
  check hostile-vcpufight 0 "fighta: vcpufight: done after" "fightb: vcpufight: done after" \
    "referee: referee: done, both fighters stopped" "microvisor: no VM left running, powering off" \
    ! "FAIL" "PANIC"
fi

# --- PSCI SYSTEM_RESET: the VM restarts from its images in cleared memory.
# The guest resets forever; the test lets it restart a few times, then ends
# QEMU through the timeout.
if want vm-reset; then
  BOOT_TIMEOUT_SAVE="$timeout_s"; timeout_s=8
  boot vm-reset build/reset.img "$(machine 3 cortex-a57 1 1G)"
  timeout_s="$BOOT_TIMEOUT_SAVE"
  check vm-reset 124 "reset-guest: fresh boot" "reset: reset requested (PSCI SYSTEM_RESET)" \
    "reset: restarted from its images" ! "memory kept across the reset" "still running" "PANIC"
  restarts=$(grep -c "reset: restarted from its images" "$out/vm-reset.log" || true)
  if [ "${restarts:-0}" -lt 2 ]; then
    echo "FAIL: vm-reset: only ${restarts:-0} restarts in 8s"; failed=$((failed + 1)); failures+=(vm-reset-count)
  fi
fi

# --- Linux guests: the Debian kernel, 2 vCPUs, busybox initramfs whose init
# checks CPUs, memory, timer, timer interrupts and IPIs from inside, then
# powers off; on 1 and 2 physical CPUs, GICv2 and GICv3.
for c in "linux-gic3-2cpu 3 cortex-a57 2" "linux-gic2-2cpu 2 cortex-a57 2" \
         "linux-gic3-1cpu 3 max 1" "linux-gic2-1cpu 2 max 1"; do
  read -r name gic cpu smp <<<"$c"
  want "$name" || continue
  boot "$name" build/linux-checks.img "$(machine "$gic" "$cpu" "$smp" 1G)"
  check "$name" 0 "linux: VM created: 2 vCPUs, 256 MiB" "linux: guest: userspace up" \
    "CHECK cpus: PASS" "CHECK memory: PASS" "CHECK timer: PASS" "CHECK timer-irqs: PASS" \
    "CHECK ipi: PASS" "CHECKS DONE: 5 passed, 0 failed" "linux: stopped (PSCI SYSTEM_OFF)" \
    "microvisor: no VM left running, powering off" ! "CHECK cpus: FAIL" "PANIC" "Kernel panic"
done

# --- a physical device passed through: the machine's PL031 RTC, registers
# mapped into the VM, its SPI linked to the guest's with the HW bit; the
# guest's init waits for an RTC alarm interrupt.
for c in "linux-rtc-gic3 3" "linux-rtc-gic2 2"; do
  read -r name gic <<<"$c"
  want "$name" || continue
  make -s SYSTEM=tests/dts/linux-rtc.dts >/dev/null || { echo "boot-test: build of linux-rtc.img failed"; exit 1; }
  boot "$name" build/linux-rtc.img "$(machine "$gic" cortex-a57 2 1G)"
  check "$name" 0 "linux: device /pl031@9010000: registers 0x9010000, 1 interrupt" \
    "rtc-pl031 9010000.pl031: registered as rtc0" "CHECK rtc-irq: PASS" \
    "CHECKS DONE: 6 passed, 0 failed" "linux: stopped (PSCI SYSTEM_OFF)" ! "PANIC"
done

# --- the Linux channel driver (guests/linux/mvchan, docs/mvchan.md): the
# init loads it, it makes /dev/mvchan-<label> of the VM's channel ends, and
# `mvchan test` exchanges 1,000 messages with the cell tests/cells/lxchan,
# both sides checking every payload (the guest's receive end woken by its
# to-virq), then signals both ways, a full queue (EAGAIN, a blocking write
# that waits and is woken by the from-virq, nothing lost) and refused uses
# (a receive end opened for writing, ...).  The example linux-channel has
# no from-virq: its test (example-linux-channel) covers the polled sender.  Guest and cell on CPUs of their own, and sharing one.
for c in "linux-mvchan-gic3-2cpu 3 2" "linux-mvchan-gic2-1cpu 2 1"; do
  read -r name gic smp <<<"$c"
  want "$name" || continue
  make -s SYSTEM=tests/dts/linux-mvchan.dts >/dev/null || { echo "boot-test: build of linux-mvchan.img failed"; exit 1; }
  saved="$timeout_s"; timeout_s=$((timeout_s * 3))
  boot "$name" build/linux-mvchan.img "$(machine "$gic" cortex-a57 "$smp" 1G)"
  timeout_s="$saved"
  check "$name" 0 "] mvchan: /dev/mvchan-lx-to-cell: send end to lxchan (written), slot 1, woken by its interrupt when a full queue has room" \
    "] mvchan: /dev/mvchan-cell-to-lx: receive end from lxchan (read), slot 2, woken by its interrupt" \
    "] mvchan: 3 channels" \
    "mvchan-test: PASS 1000 messages sent and 1000 answers checked" \
    "lxchan: lxchan: PASS: 1000 messages checked, 0 errors, signals 0x30" \
    "mvchan-test: PASS signals from lxchan: POLLPRI" \
    "mvchan-test: PASS non-blocking writes to a full queue: 8 accepted, then Resource temporarily unavailable" \
    "mvchan-test: PASS lxchan took 9 of 9 messages, 0 out of order: none lost" \
    "lxchan: lxchan: the guest's test is done" \
    "mvchan-test: PASS opening the receive end /dev/mvchan-cell-to-lx for writing: Permission denied" \
    "mvchan-test: PASS the room interrupt (IRQ" \
    "mvchan-test: DONE 18 passed, 0 failed" "CHECK mvchan: PASS" "CHECKS DONE: 1 passed, 0 failed" \
    "linux: stopped (PSCI SYSTEM_OFF)" "microvisor: no VM left running, powering off" \
    ! "FAIL" "PANIC" "Call trace"
done

# --- the channel driver between two guests (tests/dts/linux-mvchan-guests.dts):
# the same test, with `mvchan serve` in the guest beta as its peer instead
# of the cell; every receive end woken by its to-virq, alpha's blocked
# writer by its from-virq.  The guests on CPUs of their own.
if want linux-mvchan-guests; then
  make -s SYSTEM=tests/dts/linux-mvchan-guests.dts >/dev/null || { echo "boot-test: build of linux-mvchan-guests.img failed"; exit 1; }
  saved="$timeout_s"; timeout_s=$((timeout_s * 3))
  boot linux-mvchan-guests build/linux-mvchan-guests.img "$(machine 3 cortex-a57 2 1G)"
  timeout_s="$saved"
  check linux-mvchan-guests 0 \
    "] mvchan: /dev/mvchan-alpha-to-beta: send end to beta (written), slot 1, woken by its interrupt when a full queue has room" \
    "] mvchan: /dev/mvchan-alpha-to-beta: receive end from alpha (read), slot 1, woken by its interrupt" \
    "beta: mvchan-serve: serving the test's requests on /dev/mvchan-alpha-to-beta, answers on /dev/mvchan-beta-to-alpha" \
    "alpha: mvchan-test: PASS 1000 messages sent and 1000 answers checked" \
    "beta: mvchan-serve: PASS: 1000 messages checked, 0 errors, signals 0x30" \
    "alpha: mvchan-test: PASS signals from beta: POLLPRI, 0x5a0000000003 taken" \
    "alpha: mvchan-test: PASS beta checked 1000 messages, 0 errors, saw signals 0x30" \
    "alpha: mvchan-test: PASS non-blocking writes to a full queue: 24 accepted, then Resource temporarily unavailable" \
    "alpha: mvchan-test: PASS a blocking write to the full queue waits" \
    "alpha: mvchan-test: PASS the blocked write completed once beta took messages" \
    "alpha: mvchan-test: PASS the room interrupt (IRQ" \
    "alpha: mvchan-test: PASS beta took 25 of 25 messages, 0 out of order: none lost" \
    "alpha: mvchan-test: DONE 18 passed, 0 failed" "alpha: CHECK mvchan: PASS" \
    "beta: mvchan-serve: the test is done: 1000 messages checked, 0 errors" "beta: CHECK mvserve: PASS" \
    "alpha: stopped (PSCI SYSTEM_OFF)" "beta: stopped (PSCI SYSTEM_OFF)" \
    "microvisor: no VM left running, powering off" \
    ! "FAIL" "PANIC" "Call trace"
fi

# --- a virtio disk served by a cell (tests/dts/linux-blk.dts): the guest's
# stock virtio_mmio and virtio_blk find it in the generated device tree; the
# guest formats it, writes a file, resets (PSCI SYSTEM_RESET) and reads the
# file back from the disk the cell kept.  On one CPU the cell, the guest's
# two vCPUs and the console cell share it.
for c in "linux-blk-gic3 3 cortex-a57 2" "linux-blk-gic2-1cpu 2 max 1"; do
  read -r name gic cpu smp <<<"$c"
  want "$name" || continue
  make -s SYSTEM=tests/dts/linux-blk.dts >/dev/null || { echo "boot-test: build of linux-blk.img failed"; exit 1; }
  boot "$name" build/linux-blk.img "$(machine "$gic" "$cpu" "$smp" 1G)"
  check "$name" 0 "blk: virtio-blk for linux: disk of 16384 KiB (zeroed)" \
    "linux: guest: /dev/vda has no mark: formatting it" \
    "linux: guest: /dev/vda formatted, /mnt/data written: resetting (PSCI SYSTEM_RESET)" \
    "linux: reset requested (PSCI SYSTEM_RESET)" "linux: restarted from its images" \
    "blk: linux restarted: its device is reset" \
    "linux: CHECK blk: PASS /mnt/data read back after the reset: 108894 bytes as written" \
    "linux: stopped (PSCI SYSTEM_OFF)" "microvisor: no VM left running, powering off" \
    ! "CHECK blk: FAIL" "blk: error" "PANIC" "Kernel panic"
done

# --- a virtio console served by the console cell (tests/dts/linux-hvc-echo.dts):
# the guest's stock virtio_console finds it; what the guest writes to
# /dev/hvc0 shows as "linux/hvc0: " lines; Ctrl-] moves the input from
# linux's UART to linux/hvc0, a line typed there is read by the guest and
# written back.  (Not named linux-hvc: the example dts/qemu-virt/linux-hvc.dts
# builds build/linux-hvc.img.)
if want linux-hvc; then
  make -s SYSTEM=tests/dts/linux-hvc-echo.dts >/dev/null || { echo "boot-test: build of linux-hvc-echo.img failed"; exit 1; }
  fifo_boot linux-hvc build/linux-hvc-echo.img 3
  step=0
  for _ in $(seq 1 $((timeout_s * 5))); do
    case $step in
      0) grep -q '^linux/hvc0: guest: hvc0 waits for a line' "$log" && { printf '\035' >&3; step=1; } ;;
      1) grep -q '^console: input goes to linux/hvc0' "$log" && { printf 'typed on hvc0\n' >&3; step=2; } ;;
    esac
    kill -0 $qpid 2>/dev/null || break
    sleep 0.2
  done
  fifo_end linux-hvc
  check linux-hvc 0 "console: virtio-console for linux (linux/hvc0): its RAM 0x40000000-0x4fffffff at 0x100000000" \
    "console: input goes to linux (Ctrl-] switches)" "linux/hvc0: guest: hello from hvc0" \
    "console: input goes to linux/hvc0 (Ctrl-] switches)" \
    "linux/hvc0: guest: hvc0 read 'typed on hvc0', 13 bytes" \
    "linux: CHECK hvc: PASS read 'typed on hvc0' from hvc0 and wrote it back" \
    "linux: CHECKS DONE: 1 passed, 0 failed" "microvisor: no VM left running, powering off" \
    ! "CHECK hvc: FAIL" "console: error" "PANIC" "Kernel panic"
fi

# --- a virtual network (tests/dts/linux-net-transfer.dts): two Linux guests, each
# with a virtio-net device served by the vswitch cell (guests/cells/
# vswitch), which forwards the frames between them.  b serves a 16 MiB
# random file over HTTP, a pings b, fetches it and compares its SHA-256,
# with the switch's offloads on (vswitch.offload=tso).
# One vCPU each on 2 CPUs; the transfer is slow under TCG (~40 s), so
# four times the usual timeout.  (Not named linux-net: the example
# dts/qemu-virt/linux-net.dts builds build/linux-net.img.)
if want linux-net-transfer; then
  make -s SYSTEM=tests/dts/linux-net-transfer.dts >/dev/null || { echo "boot-test: build of linux-net-transfer.img failed"; exit 1; }
  saved="$timeout_s"; timeout_s=$((timeout_s * 4))
  boot linux-net-transfer build/linux-net-transfer.img "$(machine 3 cortex-a57 2 1G)"
  timeout_s="$saved"
  check linux-net-transfer 0 "vswitch: port 0: virtio-net for a, MAC 52:54:00:00:00:0a" \
    "vswitch: port 1: virtio-net for b, MAC 52:54:00:00:00:0b" \
    "a: guest: eth0 52:54:00:00:00:0a is 10.0.0.1" "b: guest: eth0 52:54:00:00:00:0b is 10.0.0.2" \
    "a: CHECK net-ping: PASS 10.0.0.2 answers" "b: CHECK net-ping: PASS 10.0.0.1 answers" \
    "b: CHECK net: PASS served 16 MiB to 10.0.0.1" "a: CHECK net: PASS 16 MiB from 10.0.0.2, sha256 " \
    "a: CHECKS DONE: 2 passed, 0 failed" "b: CHECKS DONE: 2 passed, 0 failed" \
    "microvisor: no VM left running, powering off" \
    ! "CHECK net: FAIL" "CHECK net-ping: FAIL" "vswitch: error" "PANIC" "Kernel panic"
fi

# --- a guest resets on the network (tests/dts/linux-net-reset.dts, the
# system above with a's role reset): a fetches and compares b's file,
# resets (PSCI SYSTEM_RESET) with its device live, and after the reset
# the switch gives it a fresh device and it fetches and compares again.
if want linux-net-reset; then
  make -s SYSTEM=tests/dts/linux-net-reset.dts >/dev/null || { echo "boot-test: build of linux-net-reset.img failed"; exit 1; }
  saved="$timeout_s"; timeout_s=$((timeout_s * 6))
  boot linux-net-reset build/linux-net-reset.img "$(machine 3 cortex-a57 2 1G)"
  timeout_s="$saved"
  check linux-net-reset 0 "a: CHECK net: PASS 16 MiB from 10.0.0.2 before the reset, sha256 " \
    "a: guest: resetting (PSCI SYSTEM_RESET) with the network up" \
    "a: reset requested (PSCI SYSTEM_RESET)" "a: restarted from its images" \
    "vswitch: a restarted: its device is reset" "b: guest: 10.0.0.1 resets: serving it again" \
    "a: CHECK net: PASS 16 MiB from 10.0.0.2 after the reset, sha256 " \
    "b: CHECK net: PASS served 16 MiB to 10.0.0.1" \
    "a: CHECKS DONE: 2 passed, 0 failed" "b: CHECKS DONE: 2 passed, 0 failed" \
    "microvisor: no VM left running, powering off" \
    ! "CHECK net: FAIL" "CHECK net-ping: FAIL" "vswitch: error" "PANIC" "Kernel panic"
fi

# --- a hostile virtio-net driver beside a good one (tests/dts/net-hostile.dts):
# one bare-metal guest with two ports of the vswitch cell; each refusal on
# the bad port is one line and a reset of that port, the good one keeps
# sending, and after the reset frames flow again.
if want hostile-net; then
  make -s SYSTEM=tests/dts/net-hostile.dts >/dev/null || { echo "boot-test: build of net-hostile.img failed"; exit 1; }
  boot hostile-net build/net-hostile.img "$(machine 3 cortex-a57 2 1G)"
  check hostile-net 0 "nethostile: PASS a broadcast from bad reaches good" \
    "vswitch: error: bad: queue 1: frame at descriptor 1 is 0x10 bytes with its header (12 + 14 to 1518); device needs reset" \
    "vswitch: error: bad: queue 0: receive buffer at descriptor 0 holds 0x20 bytes, too few for a frame; device needs reset" \
    "vswitch: error: bad: queue 1: descriptor table 0x30000000 (0x80 bytes) is outside the guest's RAM; device needs reset" \
    "vswitch: error: bad: queue 1: descriptor loop: the chain from 0 is longer than the queue's 8; device needs reset" \
    "nethostile: PASS good carries on after the loop" \
    "nethostile: PASS a frame from bad reaches good after its reset" "nethostile: all passed" \
    "microvisor: no VM left running, powering off" ! "nethostile: FAIL" "vswitch: error: good" "runtime:" "PANIC"
  error_lines hostile-net "vswitch: error: " 4
fi

# --- a hostile virtio driver (tests/dts/blk-hostile.dts): every bad queue,
# ring, chain and buffer is refused with one line naming the VM and the
# queue, the device needs a reset and serves again after it; the VM beside
# it runs to its end.
if want hostile-blk; then
  make -s SYSTEM=tests/dts/blk-hostile.dts >/dev/null || { echo "boot-test: build of blk-hostile.img failed"; exit 1; }
  boot hostile-blk build/blk-hostile.img "$(machine 3 cortex-a57 2 1G)"
  check hostile-blk 0 "blkhostile: PASS good write and read" \
    "blk: error: hostile: queue 0: queue size 3 is not a power of two up to 128; device needs reset" \
    "blk: error: hostile: queue 0: descriptor table 0x30000000 (0x80 bytes) is outside the guest's RAM; device needs reset" \
    "blk: error: hostile: queue 0: used ring 0x40fffff0 (0x46 bytes) is outside the guest's RAM; device needs reset" \
    "blk: error: hostile: queue 0: descriptor loop: the chain from 0 is longer than the queue's 8; device needs reset" \
    "blk: error: hostile: queue 0: descriptor 1: buffer at 0x80000000 is outside the guest's RAM; device needs reset" \
    "blk: error: hostile: queue 0: descriptor 1: length 0x800000 is oversized" \
    "blk: error: hostile: queue 0: available index 200 is more than a queue ahead of 0; device needs reset" \
    "blkhostile: PASS read past the disk's end: I/O error" \
    "blkhostile: PASS good request after all that" "blkhostile: all passed" \
    "hello: hello: powering off" "hostile: stopped (PSCI SYSTEM_OFF)" \
    "microvisor: no VM left running, powering off" ! "blkhostile: FAIL" "runtime:" "PANIC"
  error_lines hostile-blk "blk: error: " 12
fi

# --- a hostile virtio-console driver (tests/dts/hvc-hostile.dts): each
# refusal is one line naming hostile/hvc0 and a reset of that device only;
# the PL011s the same cell serves carry on (hvchostile's own lines come
# through its PL011), and after the reset the device serves again.  The
# console cell's bootargs name a VM that does not exist and one without
# a window: one line each.
if want hostile-hvc; then
  make -s SYSTEM=tests/dts/hvc-hostile.dts >/dev/null || { echo "boot-test: build of hvc-hostile.img failed"; exit 1; }
  boot hostile-hvc build/hvc-hostile.img "$(machine 3 cortex-a57 2 1G)"
  check hostile-hvc 0 "console: virtio-console for hostile (hostile/hvc0)" \
    "console: error: bootargs: console.hvc=nosuch: no VM nosuch" \
    "console: error: bootargs: console.hvc=hello: slot 13 is not a window's fault capability (server-slot)" \
    "hostile/hvc0: hvchostile: a line on hvc0" "hvchostile: PASS line written" \
    "console: error: hostile/hvc0: queue 1: descriptor loop: the chain from 0 is longer than the queue's 8; device needs reset" \
    "hvchostile: PASS descriptor loop refused" \
    "console: error: hostile/hvc0: queue 1: descriptor 0: buffer at 0x80000000 is outside the guest's RAM; device needs reset" \
    "hvchostile: PASS buffer outside RAM refused" \
    "console: error: hostile/hvc0: queue 1: descriptor table 0x30000000 (0x80 bytes) is outside the guest's RAM; device needs reset" \
    "hvchostile: PASS transmit ring outside RAM refused" \
    "hostile/hvc0: hvchostile: a line after the resets" "hvchostile: all passed" \
    "hello: hello: powering off" "hostile: stopped (PSCI SYSTEM_OFF)" \
    "microvisor: no VM left running, powering off" ! "hvchostile: FAIL" "runtime:" "PANIC"
  error_lines hostile-hvc "console: error: " 5
fi

# --- capabilities beyond channels (tests/dts/devcell.dts): a cell owns the
# PL031 RTC through a region and an irq capability, sleeps until its alarm
# interrupt and re-arms it; the wrong call on a slot is MV_ERR_TYPE; the
# cell raises a virq in a bare-metal VM, sends it a channel message and
# shares a page with it (read-only there); the VM's device tree lists its
# capabilities under /hypervisor.
for c in "caps-devcell-2cpu 2" "caps-devcell-1cpu 1"; do
  read -r name smp <<<"$c"
  want "$name" || continue
  make -s SYSTEM=tests/dts/devcell.dts >/dev/null || { echo "boot-test: build of devcell.img failed"; exit 1; }
  boot "$name" build/devcell.img "$(machine 3 cortex-a57 "$smp" 1G)"
  check "$name" 0 "system: region rtc-regs: /pl031@9010000 registers 0x9010000-0x9010fff" \
    "rtc: slot 1: region rtc-regs at 0x9010000 (rw)" "rtc: slot 2: interrupt rtc-alarm (INTID 34)" \
    "rtc: slot 3: raises SPI 40 in guest" "guest: slot 2: region shared at 0x20000000 (r)" \
    "rtc: rtc: PASS irq ack on a virq capability: -4" \
    "rtc: rtc: PASS virq raise on an irq capability: -4" \
    "rtc: rtc: PASS channel send on a region capability: -4" \
    "rtc: rtc: PASS irq ack on a channel capability: -4" \
    "rtc: rtc: PASS virq raise on an empty slot: -3" \
    "rtc: rtc: PASS irq ack before the interrupt: -7" \
    "rtc: rtc: PASS irq ack after the alarm interrupt: 0" "rtc: rtc: PASS irq ack again: -7" \
    "rtc: rtc: done, 0 failures" \
    "guest: capguest: dt: channel@1: compatible=microvisor,channel reg=1 label=rtc-to-guest microvisor,rights=receive microvisor,peer=rtc interrupts=0 41 1" \
    "guest: capguest: dt: region@2: compatible=microvisor,region reg=2 label=shared microvisor,range=0 536870912 0 4096 read-only=" \
    "guest: capguest: PASS two capability nodes in /hypervisor" \
    "guest: capguest: PASS virq SPI 40 raised by the cell" \
    "guest: capguest: PASS channel interrupt SPI 41 and its message (badge 7, 0x1234)" \
    "guest: capguest: PASS shared region holds what the cell wrote" \
    "guest: capguest: PASS write to the read-only region refused" "guest: capguest: done" \
    "microvisor: no VM left running, powering off" ! "FAIL" "PANIC" "unexpected interrupt"
done
if want caps-not-irq; then
  make -s SYSTEM=tests/dts/caps-not-irq.dts >/dev/null || { echo "boot-test: build of caps-not-irq.img failed"; exit 1; }
  boot caps-not-irq build/caps-not-irq.img "$(machine 3 cortex-a57 1 1G)"
  check caps-not-irq 0 \
    "system: error: /irqs/fw-cfg: device: /fw-cfg@9020000 is not an interrupt source (it has no interrupts)" \
    "microvisor: cannot boot, powering off" ! "PANIC" "rtc: rtc:"
fi

# space and vcpu capabilities (tests/dts/space-vcpu.dts): the cell vmmgr
# maps memguest's memory (read-write and read-only), reads the value the
# guest wrote there and writes the reply the guest waits for; suspends
# the guest's spinning vCPU 1 (on the other CPU with two: the kick),
# checks it stays still and its PC is in the guest's loop, resumes it,
# redirects it (PC, x0) to restart the guest (the same memory, cleared;
# the suspension of vCPU 0 ends with the old run), then to power it off;
# the stopped guest's vCPU is MV_ERR_STOPPED; the wrong slot, type,
# right, state and arguments each have their error.
for c in "caps-space-vcpu-2cpu 3 2" "caps-space-vcpu-1cpu 2 1"; do
  read -r name gic smp <<<"$c"
  want "$name" || continue
  make -s SYSTEM=tests/dts/space-vcpu.dts >/dev/null || { echo "boot-test: build of space-vcpu.img failed"; exit 1; }
  boot "$name" build/space-vcpu.img "$(machine "$gic" cortex-a57 "$smp" 1G)"
  check "$name" 0 "vmmgr: slot 1: space of memguest (0x40000000-0x403fffff) at 0x100000000 (rw)" \
    "vmmgr: slot 2: space of memguest (0x40000000-0x403fffff) at 0x100400000 (r)" \
    "vmmgr: slot 3: vcpu1 of memguest (read, control)" "vmmgr: slot 4: vcpu1 of memguest (read)" \
    "vmmgr: vmmgr: PASS space info on an empty slot: -3" \
    "vmmgr: vmmgr: PASS space info on a vcpu capability: -4" \
    "vmmgr: vmmgr: PASS vcpu status on a space capability: -4" \
    "vmmgr: vmmgr: PASS vcpu suspend without the control right: -5" \
    "vmmgr: vmmgr: PASS vcpu registers of a vCPU not suspended: -10" \
    "vmmgr: vmmgr: PASS space is the guest's memory, read-write" \
    "vmmgr: vmmgr: the guest wrote 0x6d656d6775657374" \
    "memguest: memguest: PASS the cell wrote its reply into this VM's memory: 0x766d6d67722d6f6b" \
    "vmmgr: vmmgr: PASS suspended vcpu1 does not run (its counter stays)" \
    "vmmgr: vmmgr: PASS vcpu1's PC is inside the guest's loop" \
    "vmmgr: vmmgr: PASS write PSTATE EL2h: -2" \
    "vmmgr: vmmgr: PASS resumed vcpu1 runs (its counter moves)" \
    "vmmgr: vmmgr: PASS vcpu0 status: suspended, on, blocked" \
    "memguest: memguest: vcpu1 redirected by the supervisor, x0 = 0x000000000007e5e7" \
    "memguest: restarted from its images" \
    "vmmgr: vmmgr: the guest restarted (restarts 1) and wrote 0x6d656d6775657374 again" \
    "vmmgr: vmmgr: PASS the restart cleared vcpu0's suspension" \
    "vmmgr: vmmgr: PASS the restart cleared the memory (the reply is gone)" \
    "memguest: memguest: vcpu1 redirected by the supervisor, x0 = 0x0000000000005eed" \
    "memguest: stopped (PSCI SYSTEM_OFF)" \
    "vmmgr: vmmgr: PASS vcpu status of the stopped guest: -9" \
    "vmmgr: vmmgr: PASS vcpu registers of the stopped guest: -9" \
    "vmmgr: vmmgr: PASS space flags: stopped, its memory still mapped" \
    "vmmgr: vmmgr: done, 0 failures" "microvisor: no VM left running, powering off" \
    ! "FAIL" "PANIC" "unexpected"
done

# A virq capability on the SPI of a VM's passed-through device would let
# the raiser have the guest deactivate the physical interrupt: refused.
if want caps-virq-hw; then
  make -s SYSTEM=tests/dts/caps-virq-hw.dts >/dev/null || { echo "boot-test: build of caps-virq-hw.img failed"; exit 1; }
  boot caps-virq-hw build/caps-virq-hw.img "$(machine 3 cortex-a57 1 1G)"
  check caps-virq-hw 0 \
    "system: error: /domains/raiser/caps/alarm: virq: SPI 2 of guest is its device /pl031@9010000's interrupt" \
    "microvisor: cannot boot, powering off" ! "PANIC" "hello: running"
fi

# A region naming host RAM or the GICv3 ITS would hand its holder every
# domain's memory and the microvisor's: refused at boot.
for c in "caps-region-ram /memory@40000000 RAM" \
         "caps-region-its /intc@8000000/its@8080000 part of the interrupt controller"; do
  read -r name dev why <<<"$c"
  want "$name" || continue
  make -s SYSTEM=tests/dts/$name.dts >/dev/null || { echo "boot-test: build of $name.img failed"; exit 1; }
  boot "$name" build/$name.img "$(machine 3 cortex-a57 1 1G)"
  check "$name" 0 "system: error: /regions/stolen: device: $dev is $why" \
    "microvisor: cannot boot, powering off" ! "PANIC" "rtc: rtc:" "slot 1: region"
done

# The console's UART (its registers or its interrupt) goes to the console
# cell only: another holder is refused at boot.
for c in "console-uart-region /regions/uart: device: /pl011@9000000 is the microvisor's console: only the console cell may hold it" \
         "console-uart-irq /irqs/rx: device: /pl011@9000000 is the microvisor's console: only the console cell may hold its interrupt"; do
  read -r name msg <<<"$c"
  want "$name" || continue
  make -s SYSTEM=tests/dts/$name.dts >/dev/null || { echo "boot-test: build of $name.img failed"; exit 1; }
  boot "$name" build/$name.img "$(machine 3 cortex-a57 1 1G)"
  check "$name" 0 "system: error: $msg" "microvisor: cannot boot, powering off" ! "PANIC" "rtc: rtc:"
done

# A console cell that never serves (tests/cells/conhog): bad attaches
# refused; the VM whose UART it should serve fills its ring of posted
# writes and then waits on its UART, while the machine runs on; when the
# cell stops, the waiting access ends in an external abort, the microvisor
# writes out what the console ring held, and the VM runs on without a UART
# (each access an abort, logged once).
if want hostile-conhog; then
  make -s SYSTEM=tests/dts/conhog.dts >/dev/null || { echo "boot-test: build of conhog.img failed"; exit 1; }
  short_boot 10 hostile-conhog build/conhog.img "$(machine 3 cortex-a57 1 1G)"
  check hostile-conhog 124 "conhog: conhog: PASS attach outside the cell's memory: -2" \
    "conhog: conhog: PASS attach too small: -2" "conhog: conhog: PASS attach on an empty slot: -3" \
    "conhog: conhog: PASS attach on a region capability: -4" "conhog: conhog: PASS domain past the last: -2" \
    "conhog: conhog: PASS window attach on the console capability: -4" \
    "conhog: conhog: PASS window attach outside the cell's memory: -2" \
    "conhog: conhog: PASS window attach too small: -2" "conhog: conhog: PASS window interrupt level 2: -2" \
    "conhog: conhog: PASS window interrupt on an empty slot: -3" \
    "conhog: conhog: PASS the input call of phase 1 is gone: -1" "conhog: conhog: PASS window attach: 0" \
    "console: conhog has the console now (ring of 4096 bytes at 0x" "conhog: conhog: PASS attach: 0" \
    "conhog: vcpu0: unknown HVC/SMC function 0xc5000001: NOT_SUPPORTED" \
    "conhog: conhog: stopping with 255 posted writes untaken" "conhog: stopped (PSCI SYSTEM_OFF)" \
    "reset: vcpu0: conhog stopped before answering its fault" \
    "reset: vcpu0: read at 0x9000018: window uart has no server (conhog stopped)" \
    ! "FAIL" "PANIC" "reset-guest"
  n=$(grep -c "reset: restarted from its images" "$out/hostile-conhog.log" || true)
  [ "${n:-0}" -ge 6 ] || { echo "FAIL: hostile-conhog: only ${n:-0} restarts"; failed=$((failed + 1)); failures+=(hostile-conhog-count); }
fi

# A guest hammering its UART (posted writes, reads the console cell must
# answer, its interrupt switched on and off) shares CPU 0 with the ticker
# and the console cell: the ticker's interrupts and lines go on.
if want hostile-uarthog; then
  make -s SYSTEM=tests/dts/uarthog.dts >/dev/null || { echo "boot-test: build of uarthog.img failed"; exit 1; }
  short_boot 12 hostile-uarthog build/uarthog.img "$(machine 3 cortex-a57 1 1G)"
  check hostile-uarthog 124 "victim: ticker: tick 100" "hog: uarthog: flooding the console" \
    ! "no interrupt delivered" "PANIC" "stopped"
fi

# --- the console both ways: `make run`'s default system (dts/qemu-virt/
# linux.dts) boots to a shell prompt; typed input reaches the guest through
# the physical UART, the console cell and the virtual PL011 it serves (a
# line longer than the UART's FIFO too); leaving the shell powers off.
if want linux-shell; then
  make -s >/dev/null || { echo "boot-test: build of build/microvisor.img failed"; exit 1; }
  fifo_boot linux-shell build/microvisor.img 3
  sent=0
  for _ in $(seq 1 $((timeout_s * 5))); do
    if [ $sent = 0 ] && grep -q 'guest# ' "$log"; then
      sleep 0.5; printf 'echo typed-$((6 * 7))\n' >&3; sent=1
    elif [ $sent = 1 ] && grep -q '^linux: typed-42' "$log"; then
      # More than the UART's 32-byte FIFO at once: the rest waits in the
      # console cell until the guest has read some.
      printf 'echo long-$((1 + 1))-%s\n' "$(printf 'x%.0s' $(seq 1 100))" >&3; sent=2
    elif [ $sent = 2 ] && grep -q '^linux: long-2-xxxxxxxxxx' "$log"; then
      printf 'exit\n' >&3; sent=3
    fi
    kill -0 $qpid 2>/dev/null || break
    sleep 0.2
  done
  fifo_end linux-shell
  check linux-shell 0 "linux: guest: shell on the console" "guest# " "linux: typed-42" \
    "linux: long-2-$(printf 'x%.0s' $(seq 1 100))" \
    "linux: stopped (PSCI SYSTEM_OFF)" ! "PANIC"
fi

# --- console input goes to one VM at a time; Ctrl-] moves it to the next
# running VM, and when the focused VM stops it moves by itself.  Twice,
# through the console cell (which every system has since it serves the
# UARTs): console-switch.dts on GICv3 and console-cell.dts (the same two
# guests) on GICv2.
for name in console-switch console-cell; do
  want "$name" || continue
  make -s SYSTEM=tests/dts/$name.dts >/dev/null ||
    { echo "boot-test: build of build/$name.img failed"; exit 1; }
  gic=3; [ $name = console-cell ] && gic=2	# linux-shell has the cell on GICv3
  fifo_boot $name build/$name.img $gic
  step=0
  for _ in $(seq 1 $((timeout_s * 5))); do
    case $step in
      0) grep -q '^first: guest# ' "$log" && grep -q '^second: guest# ' "$log" &&
           { sleep 0.5; printf 'echo typed-$((6 * 7))\n' >&3; step=1; } ;;
      1) grep -q '^first: typed-42' "$log" && { printf '\035' >&3; step=2; } ;;
      2) grep -q '^console: input goes to second' "$log" &&
           { printf 'echo typed-$((7 * 8))\n' >&3; step=3; } ;;
      3) grep -q '^second: typed-56' "$log" && { printf 'exit\n' >&3; step=4; } ;;
      4) grep -q '^second: stopped' "$log" && { sleep 0.5; printf 'exit\n' >&3; step=5; } ;;
    esac
    kill -0 $qpid 2>/dev/null || break
    sleep 0.2
  done
  fifo_end $name
  pats=()
  [ $name = console-cell ] && pats=("console: console has the console now" "console: slot 3: interrupt console-rx")
  check $name 0 "${pats[@]}" "console: input goes to first (Ctrl-] switches)" "first: typed-42" \
    "console: input goes to second" "second: typed-56" "second: stopped (PSCI SYSTEM_OFF)" \
    "first: stopped (PSCI SYSTEM_OFF)" "microvisor: no VM left running, powering off" \
    ! "first: typed-56" ! "second: typed-42" ! "PANIC" "lost: the ring was full"
done

# --- every example system in dts/qemu-virt/ boots and each of its domains
# comes up: a Linux domain (they all boot the project's initramfs) must get
# as far as "CHECKS DONE: 5 passed, 0 failed" (6 with the channel driver's
# check, mv.mvchan=; one more for the network's ping, mv.net=IP,PEER, and
# one for its transfer unless the role is ",ping").  Examples that leave a shell
# open are ended once every domain has reported.  The default system also
# boots on GICv2 with one CPU (its console cell's kicks are SGIs to self).
examples=()
for dts in dts/qemu-virt/*.dts; do examples+=("$dts 3 2 "); done
examples+=("dts/qemu-virt/linux.dts 2 1 -gic2-1cpu")
for e in "${examples[@]}"; do
  read -r dts gic smp suffix <<<"$e"
  ex="$(basename "$dts" .dts)"; name="example-$ex${suffix:-}"
  want "$name" || continue
  make -s SYSTEM="$dts" >/dev/null || { echo "FAIL: $name: build failed"; failed=$((failed + 1)); failures+=("$name"); continue; }
  domains="$(fdtget -l "build/sys/$ex/system.dtb" /domains 2>/dev/null || true)"
  pats=("Microvisor 0.1.0" "system: $ex: $(echo "$domains" | grep -c . ) domain")
  for d in $domains; do
    case "$(fdtget -t s "build/sys/$ex/system.dtb" "/domains/$d" compatible)" in
      microvisor,cell)
        if fdtget "build/sys/$ex/system.dtb" "/domains/$d" service >/dev/null 2>&1; then
          pats+=("$d: service cell created")
        else
          pats+=("$d: cell created" "$d: stopped (PSCI SYSTEM_OFF)")
        fi ;;
      *) pats+=("$d: VM created")
         # a VM with an initrd boots the project's (a cell's initrd is its data)
         # 5 checks, and the channel driver's with mv.mvchan=
         if fdtget -t s "build/sys/$ex/system.dtb" "/domains/$d" initrd >/dev/null 2>&1; then
           n=5
           fdtget -t s "build/sys/$ex/system.dtb" "/domains/$d" bootargs 2>/dev/null |
             grep -q 'mv\.mvchan=' && n=6
           # mv.net=IP,PEER: the ping (and, but with ",ping", the transfer)
           case " $(fdtget -t s "build/sys/$ex/system.dtb" "/domains/$d" bootargs 2>/dev/null) " in
             *" mv.net="*,*,ping" "*) n=$((n + 1)) ;;
             *" mv.net="*,*) n=$((n + 2)) ;;
           esac
           pats+=("$d: CHECKS DONE: $n passed, 0 failed")
         fi ;;
    esac
    case "$(fdtget -t s "build/sys/$ex/system.dtb" "/domains/$d" bootargs 2>/dev/null)" in
      *mv.blk=mount*) pats+=("$d: guest: /dev/vda mounted on /mnt") ;;
    esac
  done
  [ -z "$domains" ] && pats+=("microvisor: nothing left to run, powering off")
  log="$out/$name.log"; rm -f "$log"
  # shellcheck disable=SC2046
  timeout -k 5 $((timeout_s * 2)) qemu-system-aarch64 $(machine "$gic" cortex-a57 "$smp" 1G) -nographic \
    -net none -monitor none -serial "file:$log" -kernel "build/$ex.img" </dev/null >"$out/$name.qemu" 2>&1 &
  qpid=$!
  while kill -0 $qpid 2>/dev/null; do
    all=1
    for p in "${pats[@]}"; do grep -qF -- "$p" "$log" 2>/dev/null || { all=0; break; }; done
    [ $all = 1 ] && { kill $qpid 2>/dev/null; break; }
    sleep 0.5
  done
  wait $qpid; rc=$?
  [ $all = 1 ] && rc=0
  echo $rc >"$out/$name.rc"
  check "$name" 0 "${pats[@]}" ! "PANIC" "FAIL"
done

# --- the crash report: exception class, decoded ESR, FAR/ELR/SPSR, registers ---
if want crash-report; then
  boot crash-report build/crash.img "$(machine 3 max 2 1G)"
  check crash-report 0 "selftest: el2-crash" \
    "PANIC: cpu0: EL2 synchronous exception (current EL): Data Abort without a change in EL (EC 0x25)" \
    "crash: ESR_EL2 0x" "crash:   translation fault, level 0, read" \
    "crash: FAR_EL2 0x0000fffffffff000" "ELR_EL2 0x" "SPSR_EL2 0x" \
    "crash: x0 " "crash: x27 " "crash: x30 " "microvisor: halted by a kernel crash, powering off"
fi

echo "boot-test: $passed passed, $failed failed${failures[*]:+ (${failures[*]})}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
