#!/bin/bash
# SPDX-License-Identifier: MIT
# tests/unit/make-dtbs.sh OUTDIR: the host device trees test_platform reads.
#
# The valid ones are real DTBs dumped by QEMU's virt machine (QEMU exits
# right after dumping).  The broken ones are derived from those with dtc:
# decompile, append a fragment that deletes or overrides nodes and
# properties (dtc merges a later "/ { ... };" into the tree), recompile.  A
# few are corrupted at the byte level instead.  Idempotent: OUTDIR is
# rebuilt from scratch each time.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
out="$1"
for tool in qemu-system-aarch64 dtc; do
  command -v "$tool" >/dev/null || { echo "make-dtbs: $tool not found (run scripts/setup)" >&2; exit 1; }
done

rm -rf "$out"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# dump NAME GIC CPU SMP MEM: a DTB exactly as QEMU hands it to the guest.
dump() {
  local name="$1" gic="$2" cpu="$3" smp="$4" mem="$5"
  qemu-system-aarch64 -M "virt,virtualization=on,gic-version=$gic,dumpdtb=$out/$name.dtb" \
    -cpu "$cpu" -smp "$smp" -m "$mem" -nographic -net none >/dev/null 2>&1 ||
    { echo "make-dtbs: qemu could not dump $name.dtb" >&2; exit 1; }
  [ -s "$out/$name.dtb" ] || { echo "make-dtbs: qemu wrote no $name.dtb" >&2; exit 1; }
}

# derive BASE NAME: BASE.dtb plus the dts fragment on stdin -> NAME.dtb.
# A fragment line "/memreserve/ ...;" goes before the root node, as the
# syntax requires; everything else is appended.
derive() {
  local base="$1" name="$2" frag="$tmp/$2.frag"
  cat >"$frag"
  {
    echo '/dts-v1/;'
    grep '^/memreserve/' "$frag" || true
    dtc -q -I dtb -O dts "$out/$base.dtb" | grep -v '^/dts-v1/;'
    grep -v '^/memreserve/' "$frag" || true
  } >"$tmp/$name.dts"
  dtc -q -I dts -O dtb -o "$out/$name.dtb" "$tmp/$name.dts"
}

# Write a big-endian 32-bit value at a byte offset of a file, in place.
put_be32() {
  local file="$1" off="$2" v="$3"
  printf '%b' "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((v >> 24 & 255)) $((v >> 16 & 255)) \
    $((v >> 8 & 255)) $((v & 255)))" | dd of="$file" bs=1 seek="$off" conv=notrunc status=none
}

# --- Valid, straight from QEMU -------------------------------------------
dump gic2-smp1 2 cortex-a57 1 512M
dump gic3-smp4 3 cortex-a57 4 1G
dump gic3-smp8-max 3 max 8 4G
dump gic2-smp2-16g 2 cortex-a57 2 16G
dump gic3-smp12 3 cortex-a57 12 1G	# 4 CPUs beyond MV_MAX_CPUS

# --- Valid, derived -------------------------------------------------------
# No stdout-path: the console is found by compatible.
derive gic3-smp4 no-stdout-path <<'EOF'
/ { chosen { /delete-property/ stdout-path; }; };
EOF

# stdout-path through an alias, with UART options.
derive gic3-smp4 stdout-alias <<'EOF'
/ {
	aliases { serial0 = "/pl011@9000000"; };
	chosen { stdout-path = "serial0:115200n8"; };
};
EOF

# GICv3 with two redistributor regions, then GICC, GICH and GICV.
derive gic3-smp4 gic3-two-redist <<'EOF'
/ {
	intc@8000000 {
		#redistributor-regions = <2>;
		reg = <0x0 0x8000000 0x0 0x10000  0x0 0x80a0000 0x0 0xf60000
		       0x1 0x00000000 0x0 0x4000000  0x0 0x8010000 0x0 0x10000
		       0x0 0x8030000 0x0 0x10000  0x0 0x8040000 0x0 0x10000>;
	};
};
EOF

# Reserved memory: a /memreserve/ entry, a /reserved-memory child with reg,
# one without reg (dynamically placed: nothing to skip) and a disabled one.
derive gic3-smp4 reserved <<'EOF'
/memreserve/ 0x48000000 0x10000;
/ {
	reserved-memory {
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;
		secmon@4e000000 {
			reg = <0x0 0x4e000000 0x0 0x200000>;
			no-map;
		};
		dynamic {
			size = <0x0 0x400000>;
			alignment = <0x0 0x100000>;
		};
		off@4f000000 {
			reg = <0x0 0x4f000000 0x0 0x1000>;
			status = "disabled";
		};
	};
};
EOF

# The PL011 two buses down, each with a non-identity "ranges":
# serial@0 -> 0x80000000 (apb) -> 0x0_09000000 (soc, second ranges entry).
bus_uart() {
  local name="$1" unit="$2" serial_reg="$3" apb_ranges="$4"
  derive gic2-smp1 "$name" <<EOF
/ {
	/delete-node/ pl011@9000000;
	soc {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges = <0x10000000 0x0 0x10000000 0x1000000
			  0x80000000 0x0 0x09000000 0x100000>;
		apb@80000000 {
			compatible = "simple-bus";
			#address-cells = <1>;
			#size-cells = <1>;
			$apb_ranges
			serial@$unit {
				compatible = "arm,pl011", "arm,primecell";
				reg = <$serial_reg>;
			};
		};
	};
	chosen { stdout-path = "/soc/apb@80000000/serial@$unit"; };
};
EOF
}
bus_uart bus-uart 0 "0x0 0x1000" "ranges = <0x0 0x80000000 0x10000>;"
bus_uart bus-uart-outside 20000 "0x20000 0x1000" "ranges = <0x0 0x80000000 0x10000>;"
bus_uart bus-uart-no-ranges 0 "0x0 0x1000" ""

# --- Broken, derived ------------------------------------------------------
derive gic3-smp4 no-timer <<'EOF'
/ { /delete-node/ timer; };
EOF
derive gic3-smp4 timer-3-irqs <<'EOF'
/ { timer { interrupts = <1 13 4 1 14 4 1 11 4>; }; };
EOF
derive gic3-smp4 timer-spi <<'EOF'
/ { timer { interrupts = <1 13 4 1 14 4 0 11 4 1 10 4>; }; };
EOF
derive gic3-smp4 no-psci <<'EOF'
/ { /delete-node/ psci; };
EOF
derive gic3-smp4 psci-hvc <<'EOF'
/ { psci { method = "hvc"; }; };
EOF
derive gic3-smp4 psci-0.1 <<'EOF'
/ { psci { compatible = "arm,psci"; }; };
EOF
derive gic3-smp4 no-console <<'EOF'
/ { chosen { /delete-property/ stdout-path; }; /delete-node/ pl011@9000000; };
EOF
derive gic3-smp4 stdout-nowhere <<'EOF'
/ { chosen { stdout-path = "/serial@1c090000:115200n8"; }; };
EOF
derive gic3-smp4 stdout-not-pl011 <<'EOF'
/ { chosen { stdout-path = "/pl061@9030000"; }; };
EOF
derive gic3-smp4 no-gic <<'EOF'
/ { /delete-property/ interrupt-parent; /delete-node/ intc@8000000; };
EOF
derive gic3-smp4 gic-dangling-parent <<'EOF'
/ { /delete-node/ intc@8000000; };
EOF
derive gic2-smp1 gic2-one-reg <<'EOF'
/ { intc@8000000 { reg = <0x0 0x8000000 0x0 0x10000>; }; };
EOF
derive gic3-smp4 gic3-huge-redist-regions <<'EOF'
/ { intc@8000000 { #redistributor-regions = <0x7fffffff>; }; };
EOF
derive gic3-smp4 no-memory <<'EOF'
/ { /delete-node/ memory@40000000; };
EOF
derive gic3-smp4 memory-bad-reg <<'EOF'
/ { memory@40000000 { reg = <0x0 0x40000000 0x0>; }; };
EOF
derive gic3-smp4 no-cpus <<'EOF'
/ { /delete-node/ cpus; };
EOF
derive gic3-smp4 cpu-spin-table <<'EOF'
/ { cpus { cpu@1 { enable-method = "spin-table"; cpu-release-addr = <0x0 0x8000fff8>; }; }; };
EOF
derive gic3-smp4 cpu-bad-reg <<'EOF'
/ { cpus { cpu@2 { reg = <0x0 0x2>; }; }; };
EOF

# --- Broken at the byte level ---------------------------------------------
# QEMU's blobs carry ~1 MiB of free space; recompile to a tight blob so that
# "half the file" cuts through the structure block.
dtc -q -I dtb -O dtb -o "$tmp/tight.dtb" "$out/gic2-smp1.dtb"
tight_size=$(stat -c %s "$tmp/tight.dtb")

cp "$out/gic2-smp1.dtb" "$out/bad-magic.dtb"
printf '\xd1' | dd of="$out/bad-magic.dtb" bs=1 seek=0 conv=notrunc status=none

# The file ends halfway, the header still claims the whole blob.
head -c $((tight_size / 2)) "$tmp/tight.dtb" >"$out/truncated.dtb"
# The file ends halfway and the header admits it: blocks run past the end.
cp "$out/truncated.dtb" "$out/truncated-header.dtb"
put_be32 "$out/truncated-header.dtb" 4 $((tight_size / 2))

# Garbage where the /timer node's FDT_BEGIN_NODE tag was (the node sits in
# the middle of the structure block).
cp "$tmp/tight.dtb" "$out/garbage-struct.dtb"
timer_off=$(LC_ALL=C grep -obUaP '\x00\x00\x00\x01timer\x00' "$out/garbage-struct.dtb" | head -n1 | cut -d: -f1)
[ -n "$timer_off" ] || { echo "make-dtbs: no /timer node in gic2-smp1.dtb" >&2; exit 1; }
printf '\xde\xad\xbe\xef' | dd of="$out/garbage-struct.dtb" bs=1 seek="$timer_off" conv=notrunc status=none

: >"$out/empty.dtb"

echo "make-dtbs: $(find "$out" -name '*.dtb' | wc -l) device trees in $out"
