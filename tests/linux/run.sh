#!/bin/bash
# SPDX-License-Identifier: MIT
# The Linux guest's initramfs checks on bare QEMU (no hypervisor): boots the
# Debian kernel with build/initramfs.cpio.gz through scripts/qemu-linux and
# asserts on the console: every CHECK line PASSes, "CHECKS DONE: 5 passed,
# 0 failed", QEMU exits 0.  Also proves the checks can fail (wrong expected
# values), the benchmark mode (mv.checks=0) and the shell (mv.shell=1).
# Every boot has a hard timeout; a failing case prints the console tail.
# Ends with "N passed, N failed".  `make linux-check` runs it.
#
#   tests/linux/run.sh [FILTER]    run the cases whose name contains FILTER
set -euo pipefail

cd "$(dirname "$0")/../.."
out=build/linux-tests
filter="${1:-}"
# A bare boot to the checks' end takes ~5 s (2 CPUs) to ~11 s (4 CPUs, 8G)
# under TCG on 2 host cores; the timeout leaves room for a loaded host.
timeout_s="${LINUX_TIMEOUT:-120}"
checks=(cpus memory timer timer-irqs ipi)
mkdir -p "$out"
passed=0 failed=0 failures=()

[ -f .cache/Image ] || { echo "linux-check: .cache/Image missing; run scripts/setup"; exit 1; }
make -s build/initramfs.cpio.gz >/dev/null || { echo "linux-check: building build/initramfs.cpio.gz failed"; exit 1; }

want() { [ -z "$filter" ] || [[ "$1" == *"$filter"* ]]; }

# boot NAME QEMU-LINUX-ARGS...: one boot, console (CR stripped) to
# $out/NAME.log, exit status to $out/NAME.rc.
boot() {
  local name="$1"; shift
  local rc=0
  scripts/qemu-linux -t "$timeout_s" "$@" </dev/null >"$out/$name.raw" 2>&1 || rc=$?
  tr -d '\r' <"$out/$name.raw" >"$out/$name.log"
  echo "$rc" >"$out/$name.rc"
}

# verdict NAME WHY: PASS if WHY is empty, else FAIL with the console tail.
verdict() {
  local name="$1" why="$2"
  if [ -z "$why" ]; then
    echo "PASS: $name"
    passed=$((passed + 1))
  else
    echo "FAIL: $name: $why"
    echo "---- console tail ($out/$name.log) ----"
    tail -n 25 "$out/$name.log" | sed 's/^/| /'
    echo "----"
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

# common NAME: problems every boot must not have (rc, timeout, marker,
# init errors, panics); prints the first one found.
common() {
  local name="$1" log="$out/$1.log" rc
  rc="$(cat "$out/$name.rc")"
  if [ "$rc" = 124 ]; then echo "timed out after ${timeout_s}s (QEMU killed)"; return; fi
  [ "$rc" = 0 ] || { echo "QEMU exited $rc, expected 0"; return; }
  grep -qx 'guest: userspace up' "$log" || { echo "console lacks: guest: userspace up"; return; }
  if grep -qE 'Kernel panic|^/init: |: not found$' "$log"; then
    echo "console has: $(grep -m1 -E 'Kernel panic|^/init: |: not found$' "$log")"; return
  fi
  if grep '^CHECK' "$log" | grep -qvE '^CHECK [a-z-]+: (PASS|FAIL) .+$|^CHECKS DONE: [0-9]+ passed, [0-9]+ failed$'; then
    echo "malformed result line: $(grep '^CHECK' "$log" | grep -vE '^CHECK [a-z-]+: (PASS|FAIL) .+$|^CHECKS DONE: ' | head -n1)"; return
  fi
}

# expect_results NAME PASS|FAIL per check, in the order of ${checks[@]}
expect_results() {
  local name="$1" log="$out/$1.log" why i st np=0 nf=0 n
  shift
  local -a want_st=("$@")
  why="$(common "$name")"
  for i in "${!checks[@]}"; do
    [ -n "$why" ] && break
    st="${want_st[i]}"
    n="$(grep -cE "^CHECK ${checks[i]}: (PASS|FAIL) " "$log" || true)"
    if [ "$n" != 1 ]; then why="$n result lines for check ${checks[i]}, expected 1"
    elif ! grep -qE "^CHECK ${checks[i]}: $st " "$log"; then
      why="$(grep -m1 -E "^CHECK ${checks[i]}: " "$log") (expected $st)"
    fi
    if [ "$st" = PASS ]; then np=$((np + 1)); else nf=$((nf + 1)); fi
  done
  if [ -z "$why" ] && ! grep -qx "CHECKS DONE: $np passed, $nf failed" "$log"; then
    why="console lacks: CHECKS DONE: $np passed, $nf failed"
  fi
  verdict "$name" "$why"
}

echo "linux-check: $(qemu-system-aarch64 --version | head -n1), kernel $(cat .cache/kernel.pkg), timeout ${timeout_s}s per boot"

# --- every check passes: GICv2 and v3, 2 CPUs; 1 CPU as a sanity case ---
all_pass=(PASS PASS PASS PASS PASS)
for c in "gic2-smp2-a57 2 2 cortex-a57 256M" "gic3-smp2-max 3 2 max 256M" \
         "gic2-smp2-max-1G 2 2 max 1G" "gic3-smp1-a57 3 1 cortex-a57 256M"; do
  read -r name gic smp cpu mem <<<"$c"
  want "$name" || continue
  boot "$name" -g "$gic" -s "$smp" -c "$cpu" -m "$mem"
  expect_results "$name" "${all_pass[@]}"
done

# --- the checks can fail: expected values the guest does not have ---
if want wrong-expected; then
  boot wrong-expected -g 3 -s 2 -m 256M -a "mv.cpus=3 mv.mem_mb=512"
  expect_results wrong-expected FAIL FAIL PASS PASS PASS
fi
if want missing-expected; then
  # no mv.* values at all: cpus and memory cannot pass
  boot missing-expected -g 3 -s 2 -m 256M -a "mv.cpus= mv.mem_mb="
  expect_results missing-expected FAIL FAIL PASS PASS PASS
fi

# --- benchmark mode: the marker, no checks, power-off ---
if want bench-mode; then
  boot bench-mode -g 3 -s 2 -m 256M -a "mv.checks=0"
  why="$(common bench-mode)"
  [ -z "$why" ] && grep -q '^CHECK' "$out/bench-mode.log" && why="console has CHECK lines with mv.checks=0"
  verdict bench-mode "$why"
fi

# --- mv.shell=1: a shell on the console; its exit powers off ---
if want shell; then
  name=shell log="$out/shell.log"
  rm -f "$out/shell.in" "$out/shell.raw"; mkfifo "$out/shell.in"
  ( rc=0; scripts/qemu-linux -t "$timeout_s" -a "mv.checks=0 mv.shell=1" \
      <"$out/shell.in" >"$out/shell.raw" 2>&1 || rc=$?; echo "$rc" >"$out/shell.rc" ) &
  qpid=$!
  exec 3>"$out/shell.in"
  # Type only once the prompt is there: input sent before the console is
  # opened is lost.
  for ((i = 0; i < timeout_s * 5; i++)); do
    grep -q 'guest# ' "$out/shell.raw" 2>/dev/null && break
    kill -0 "$qpid" 2>/dev/null || break
    sleep 0.2
  done
  printf 'echo shell-$((6 * 7))\nexit\n' >&3
  wait "$qpid" || true
  exec 3>&-
  rm -f "$out/shell.in"
  tr -d '\r' <"$out/shell.raw" >"$log"
  why="$(common shell)"
  [ -z "$why" ] && ! grep -qx 'shell-42' "$log" && why="the shell did not run the typed command (no shell-42)"
  verdict shell "$why"
fi

echo "linux-check: $passed passed, $failed failed${failures[*]:+ (${failures[*]})}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
