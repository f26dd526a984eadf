#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Microvisor's LAVA jobs: generate them, run them with lava-run, summarise.

  ci/lava/lava.py run [--filter REGEX]     build, generate, run every job, summarise
  ci/lava/lava.py jobs [--image-base URL]  build and generate only (for lavacli)
  ci/lava/lava.py jobs --board TYPE --image-base URL
                                           U-Boot jobs for a real board's device type
  ci/lava/lava.py summary JOB LOG          summarise one job's log (lava-run's,
                                           or `lavacli jobs logs --raw` output)

Jobs: one per system in dts/qemu-virt/ and machine in --machines (default
DEFAULT_MACHINES below), rendered from ci/lava/jobs/qemu-boot.jinja2 with the
checks of ci/lava/tests/console.yaml as pattern monitors, plus the
expected-failure jobs of ci/lava/jobs/expected-failures.yaml.  Every job and
device description is checked against LAVA's own schemas.  docs/lava.md.

`run` is what `make lava` calls (through ci/lava/run, which installs
lava-dispatcher first).  It must run as root, as lava-run must.  Output: one
line per event, one per test case, then a summary ending "N passed, N failed".
Exit status 0 only if every job passed and every expected-failure job was
reported failed with the cases it names.  Files go to build/lava/.
"""

import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time

import jinja2
import yaml

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.join(TOP, "ci", "lava")
EXAMPLES = "dts/qemu-virt"
DEFAULT_MACHINES = "gic3-smp2 gic2-smp1 gic3-smp4 gic3-smp2-uboot gic2-smp2-stock"
CPU = "cortex-a57"
MEMORY = 1024


def say(msg):
    print("lava: " + msg, flush=True)


def die(msg):
    print("lava: error: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)


def jinja_env():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["q"] = json.dumps  # a quoted YAML scalar
    return env


# --- what to boot -------------------------------------------------------

UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"  # Debian's u-boot-qemu


def parse_machine(spec):
    """gicN-smpM[-uboot|-stock]: GIC version, CPU count, and a variant:
    -uboot boots through U-Boot (firmware), -stock runs on the device that
    lava-server's own `qemu` device type renders from the job's context."""
    m = re.fullmatch(r"gic([23])-smp([1-8])(-uboot|-stock)?", spec)
    if not m:
        die("machine %r: expected gicN-smpM[-uboot|-stock] (N 2 or 3, M 1 to 8)" % spec)
    return spec, int(m.group(1)), int(m.group(2)), m.group(3) or ""


def build_inputs(dts):
    """Build the files under build/ that a description packs (a guest's
    initramfs, a test guest): the image's rule does not depend on them."""
    r = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dts", dts], cwd=TOP,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    build = os.path.join(TOP, "build") + os.sep
    wanted = []
    for ref in re.findall(r'^\t+(?:kernel|initrd|[a-z-]*image) = "([^"]+)";', r.stdout, re.M):
        path = os.path.normpath(os.path.join(TOP, os.path.dirname(dts), ref))
        if path.startswith(build):
            wanted.append(os.path.relpath(path, TOP))
    if not wanted:
        return
    r = subprocess.run(["make", "-s", "--no-print-directory"] + wanted, cwd=TOP,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.stdout.write(r.stdout)
        die("%s packs %s, which make cannot build" % (dts, " ".join(wanted)))


def build_image(dts):
    """Build one system with the project's Makefile; return the image path."""
    build_inputs(dts)
    r = subprocess.run(
        ["make", "-s", "--no-print-directory", "SYSTEM=" + dts, "lava-image"],
        cwd=TOP, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    paths = [l.split(":", 1)[1].strip() for l in r.stdout.splitlines()
             if l.startswith("lava-image:")]
    if r.returncode != 0 or not paths:
        sys.stdout.write(r.stdout)
        die("build of %s failed (make SYSTEM=%s)" % (dts, dts))
    return os.path.join(TOP, paths[-1])


def min_cpus(dts):
    """The CPU count a description needs: one more than the highest physical
    CPU a domain is pinned to (`cpus`), else 1."""
    r = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dts", dts], cwd=TOP,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    pinned = [int(c, 0) for cells in re.findall(r"^\t\t\tcpus = <([^>]*)>;", r.stdout, re.M)
              for c in cells.split()]
    return max(pinned) + 1 if pinned else 1


def system_info(dts):
    """The description's model, and the first domain that boots Linux (has
    bootargs) as {"name": NAME, "vcpus": N, "mem_mib": M}, or None."""
    r = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dts", dts], cwd=TOP,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        die("dtc cannot read %s: %s" % (dts, r.stderr.strip()))
    m = re.search(r'^\tmodel = "([^"]*)";', r.stdout, re.M)
    model = m.group(1) if m else "(unnamed)"
    domains = r.stdout.split("\n\tdomains {\n", 1)
    if len(domains) < 2:
        return model, None
    # Each domain is a "\t\tNAME {" ... "\t\t};" block in dtc's output.
    for name, body in re.findall(r"^\t\t(?:[^\t\n]+: )?([^\t\n:]+) \{\n(.*?)^\t\t\};", domains[1],
                                 re.M | re.S):
        if "\tbootargs = " not in body:
            continue
        cells = lambda prop: [int(c, 0) for c in re.search(
            r"\t%s = <([^>]*)>;" % prop, body).group(1).split()]
        vcpus = cells("vcpus")[0]
        mem = cells("memory")  # <base-hi base-lo size-hi size-lo>
        return model, {"name": name, "vcpus": vcpus,
                       "mem_mib": ((mem[2] << 32) | mem[3]) >> 20}
    return model, None


# --- test definition → monitors -----------------------------------------

def case_id(text):
    """What LAVA's monitor makes of a captured test_case_id."""
    return re.sub(r"\W+", "_", text.strip().lower())


CHECKS = "tests/console.yaml"


def load_checks(params):
    text = jinja_env().get_template(CHECKS).render(**params)
    return yaml.safe_load(text)["checks"]


def check_name(check):
    return "%s/%s" % (check["suite"], check.get("case", check["line"]))


def self_test_check(check):
    """The check's example line must record its case with the result pass."""
    m = re.search(check["pattern"], check["example"] + "\r\n")
    if not m:
        die("%s: check %s: pattern does not match its example"
            % (CHECKS, check_name(check)))
    got, res = case_id(m.group("test_case_id")), m.group("result")
    res = check.get("fixupdict", {}).get(res, res)
    if got != check.get("case", got) or res != "pass":
        die("%s: check %s: example gives case %r result %r"
            % (CHECKS, check_name(check), got, res))


GUEST_DEF = "tests/linux-guest.yaml"
GUEST_SUITE = "linux-guest-shell"
GUEST_PROMPT = "guest# "  # the guest initramfs's shell (PS1)


def guest_shell(guest, gic):
    """The steps of the Linux guest's test definition as a LAVA interactive
    test in the guest's shell: LAVA types each command at the prompt and
    records a case from its exit status.  (Not the LAVA test shell, which
    needs its overlay inside the guest: docs/lava.md.)"""
    with open(os.path.join(HERE, GUEST_DEF)) as f:
        steps = yaml.safe_load(f)["run"]["steps"]
    params = {"VCPUS": guest["vcpus"], "MEM_MIB": guest["mem_mib"], "GIC": gic}
    script = [
        # The shell's first prompt (after the initramfs's own checks).
        {"name": "shell", "command": None},
        {"command": "export " + " ".join("%s=%s" % kv for kv in params.items())},
    ]
    cases = ["shell"]
    for step in steps:
        words = shlex.split(step)
        if len(words) != 4 or words[0] != "lava-test-case" or words[2] != "--shell":
            die("%s: step %r: expected lava-test-case NAME --shell 'COMMAND'"
                % (GUEST_DEF, step))
        name, cmd = words[1], words[3]
        script.append({
            "name": name,
            "command": "( %s ); echo lava-rc=$?" % cmd,
            "successes": [{"message": "lava-rc=0"}],
            "failures": [{"message": "lava-rc=[1-9]"}],
        })
        cases.append(name)
    # The console cell prefixes each domain's lines with its name: the
    # prompt of the guest the console's input goes to (the first VM), not
    # another guest's (two shells on one console).
    prompt = "%s: %s" % (guest["name"], GUEST_PROMPT)
    return [{"name": GUEST_SUITE, "prompts": [prompt], "script": script}], cases


def wanted(check, linux):
    only = check.get("only")
    return not only or only == ("linux-guest" if linux else "clean-exit")


def monitors(checks, linux):
    """LAVA monitors for the checks, chained by zero-width lookaheads."""
    anchors = [c["line"] for c in checks]
    used = [i for i, c in enumerate(checks) if wanted(c, linux)]
    out = []
    for n, i in enumerate(used):
        c = checks[i]
        last = n == len(used) - 1
        if last:
            end = c.get("end", r"\n")
        else:
            end = "(?=%s)" % "|".join(anchors[i + 1:])
        mon = {
            "name": c["suite"],
            "start": "(?=%s)" % "|".join(anchors[i:]),
            "end": end,
            "pattern": c["pattern"],
            "fixupdict": {str(k): v for k, v in c["fixupdict"].items()},
        }
        out.append(mon)
    return out, [check_name(checks[i]) for i in used if "case" in checks[i]]


# --- generation -----------------------------------------------------------

def stock_templates():
    """lava-server's device-type templates, unpacked from its Debian package
    (the same version as lava-dispatcher) into .cache/; not installed."""
    ver = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "lava-dispatcher"],
                         stdout=subprocess.PIPE, text=True).stdout.strip()
    top = os.path.join(TOP, ".cache", "lava-server-" + ver)
    types = os.path.join(top, "root", "usr", "share", "lava-server", "device-types")
    if os.path.exists(os.path.join(types, "qemu.jinja2")):
        return types
    os.makedirs(top, exist_ok=True)
    say("fetching lava-server %s's device-type templates (apt-get download lava-server)"
        % ver)
    sandbox = ["-o", "APT::Sandbox::User=root"] if os.geteuid() == 0 else []
    r = subprocess.run(["apt-get", "download", "-q"] + sandbox + ["lava-server=" + ver],
                       cwd=top, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    debs = [f for f in os.listdir(top) if f.endswith(".deb")]
    if r.returncode != 0 or not debs:
        sys.stdout.write(r.stdout)
        die("apt-get download lava-server=%s failed" % ver)
    subprocess.run(["dpkg-deb", "-x", os.path.join(top, debs[0]), os.path.join(top, "root")],
                   check=True)
    os.remove(os.path.join(top, debs[0]))
    return types


def stock_device(context):
    """What a LAVA server gives a job on its stock `qemu` device type: the
    device-type template rendered with the job's context."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(stock_templates()),
                             trim_blocks=True, autoescape=False)
    text = env.from_string("{% extends 'qemu.jinja2' %}").render(**context)
    return "# Rendered from lava-server's qemu.jinja2 with the job's context.\n" + text


def url_for(path, image_base):
    if image_base:
        return image_base.rstrip("/") + "/" + os.path.basename(path)
    return "file://" + os.path.abspath(path)


def validate(kind, data, where):
    try:
        if kind == "job":
            from lava_common.schemas import validate as v
            v(data, strict=True)
        elif kind == "device":
            from lava_common.schemas.device import validate as v
            v(data)
        else:
            from lava_common.schemas.test.testdef import validate as v
            v(data)
    except ImportError as exc:
        die("LAVA's schemas are missing (%s): is lava-dispatcher installed?" % exc)
    except Exception as exc:  # voluptuous.Invalid and friends
        die("%s is not a valid LAVA %s: %s" % (where, kind, exc))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def broken_dtb(out, name, gic, smp, sed):
    """QEMU's DTB for the machine, decompiled, edited with sed, recompiled."""
    d = os.path.join(out, "expected-failures")
    os.makedirs(d, exist_ok=True)
    orig, dtb = os.path.join(d, name + ".orig.dtb"), os.path.join(d, name + ".dtb")
    subprocess.run(["qemu-system-aarch64", "-machine",
                    "virt,virtualization=on,gic-version=%d,dumpdtb=%s" % (gic, orig),
                    "-cpu", CPU, "-smp", str(smp), "-m", str(MEMORY),
                    "-nographic", "-net", "none"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not os.path.exists(orig):
        die("%s: qemu-system-aarch64 did not dump its DTB" % name)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", orig],
                         stdout=subprocess.PIPE, check=True, text=True).stdout
    edited = subprocess.run(["sed", "-e", sed], input=dts, stdout=subprocess.PIPE,
                            check=True, text=True).stdout
    if edited == dts:
        die("%s: the host-dtb sed script changed nothing" % name)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, "-"],
                   input=edited, check=True, text=True)
    return dtb


def render_job(out, sub, name, dts, image, gic, smp, boot_timeout, image_base,
               dtb=None, expect_fail=None, variant="", board=None):
    uboot = variant == "-uboot"
    model, guest = system_info(dts)
    linux = guest is not None
    params = {"gic": gic, "smp": smp, "system": model}
    checks = load_checks(params)
    for c in checks:
        self_test_check(c)
    mons, expected = monitors(checks, linux)
    interactive = None
    if linux:
        interactive, cases = guest_shell(guest, gic)
        # LAVA names an interactive test's suite "<stage>_<name>"; the stage
        # counts only the test actions that need an overlay: none here.
        expected += ["0_%s/%s" % (GUEST_SUITE, c) for c in cases]
    # A Linux guest boots a whole kernel under TCG before its checks.
    test_timeout = boot_timeout * (3 if linux else 1)
    notes = []
    if uboot:
        notes.append("firmware: U-Boot (%s) loads the image from QEMU's fw_cfg "
                     "and starts it with booti, as on a board" % UBOOT)
    if variant == "-stock":
        notes.append("device: rendered from lava-server's own qemu device type "
                     "(qemu.jinja2) with this job's context, as a LAVA server does")
    if linux:
        notes.append("Linux guest: its initramfs's checks (CHECK lines), then the "
                     "steps of ci/lava/tests/linux-guest.yaml typed in its shell (LAVA "
                     "interactive test); the LAVA test shell itself is not run yet "
                     "(docs/lava.md)")
    env = jinja_env()
    template = "jobs/uboot-board.jinja2" if board else "jobs/qemu-boot.jinja2"
    job_text = env.get_template(template).render(
        device_type=board,
        name=name, dts=dts, gic=gic, smp=smp, cpu=CPU, memory=MEMORY,
        firmware=UBOOT if uboot else None,
        boot_timeout=boot_timeout, test_timeout=test_timeout,
        image_url=url_for(image, image_base),
        dtb_url=(dtb if "://" in dtb else url_for(dtb, image_base)) if dtb else None,
        monitors=yaml.safe_dump(mons, sort_keys=False, width=1000).rstrip("\n"),
        interactive=yaml.safe_dump(interactive, sort_keys=False, width=1000).rstrip("\n")
        if interactive else None,
        expected=expected, expect_fail=expect_fail or [], notes=notes)
    job_path = os.path.join(out, sub, name + ".yaml")
    validate("job", yaml.safe_load(job_text), job_path)
    write(job_path, job_text)
    if board:
        return {"name": name, "job": job_path, "device": None, "linux": linux,
                "expect_fail": None}

    if variant == "-stock":
        dev_text = stock_device(yaml.safe_load(job_text)["context"])
        dev_path = os.path.join(out, "devices", "stock-qemu-gic%d-smp%d.yaml" % (gic, smp))
    else:
        dev_text = env.get_template("devices/qemu-aarch64.jinja2").render(
            gic_version=gic, smp=smp, cpu=CPU, memory=MEMORY, boot_timeout=boot_timeout,
            firmware=UBOOT if uboot else "")
        dev_path = os.path.join(out, "devices", "qemu-aarch64-gic%d-smp%d%s.yaml"
                                % (gic, smp, variant))
    validate("device", yaml.safe_load(dev_text), dev_path)
    write(dev_path, dev_text)
    return {"name": name, "job": job_path, "device": dev_path, "linux": linux,
            "expect_fail": expect_fail}


def generate(args):
    out = os.path.join(TOP, args.out)
    examples = getattr(args, "systems", "") or EXAMPLES
    systems = sorted(
        os.path.join(examples, f) for f in os.listdir(os.path.join(TOP, examples))
        if f.endswith(".dts"))
    if not systems:
        die("no system descriptions in %s/" % examples)
    if getattr(args, "board", ""):
        return generate_board(args, out, systems)
    machines = [parse_machine(m) for m in args.machines.split()]
    with open(os.path.join(HERE, "jobs", "expected-failures.yaml")) as f:
        xfails = yaml.safe_load(f) or []
    # Not run yet (docs/lava.md, "Linux guests"), but kept valid.
    guest_def = os.path.join(HERE, "tests", "linux-guest.yaml")
    with open(guest_def) as f:
        validate("test definition", yaml.safe_load(f), guest_def)

    # What to run: (job name, system, machine); then build only those systems.
    todo = []
    for dts in systems:
        base = os.path.splitext(os.path.basename(dts))[0]
        need = min_cpus(dts)
        for spec, gic, smp, variant in machines:
            name = "%s-%s" % (base, spec)
            if args.filter and not re.search(args.filter, name):
                continue
            if smp < need:
                say("skip %s: %s pins a domain to physical CPU %d; the machine has %d"
                    % (name, dts, need - 1, smp))
                continue
            todo.append((name, dts, gic, smp, variant))
    xfails = [x for x in xfails if not args.filter or re.search(args.filter, x["name"])]
    images = {}
    for dts in sorted({t[1] for t in todo} | {x["system"] for x in xfails}):
        images[dts] = build_image(dts)
        say("image %s: %s" % (dts, os.path.relpath(images[dts], TOP)))

    if args.cmd == "run":
        # Keep the board job template valid: render it for a made-up board
        # and check it against LAVA's schema (the jobs are not run).
        n = len(board_jobs(out, "board-jobs-check", images, "example-uboot-board", 3, 4,
                           "https://example.invalid/microvisor/",
                           "https://example.invalid/board.dtb", args.boot_timeout))
        say("board jobs (jobs/uboot-board.jinja2): %d rendered for a made-up device "
            "type and checked against LAVA's job schema, not run" % n)

    jobs = []
    for name, dts, gic, smp, variant in todo:
        jobs.append(render_job(out, "jobs", name, dts, images[dts], gic, smp,
                               args.boot_timeout, args.image_base, variant=variant))
    for x in xfails:
        dtb = broken_dtb(out, x["name"], x["gic"], x["smp"], x["host-dtb"])
        jobs.append(render_job(out, "expected-failures", x["name"], x["system"],
                               images[x["system"]], x["gic"], x["smp"],
                               args.boot_timeout, args.image_base, dtb=dtb,
                               expect_fail=x["failing"]))
    return jobs


def generate_board(args, out, systems):
    """Jobs for a real board's device type: U-Boot booti over TFTP."""
    if not args.image_base:
        die("--board needs --image-base URL (LAVA_IMAGE_BASE=...): where the "
            "board's worker downloads the images from")
    images = {}
    for dts in systems:
        images[dts] = build_image(dts)
        say("image %s: %s" % (dts, os.path.relpath(images[dts], TOP)))
    return board_jobs(out, "board-jobs", images, args.board, args.board_gic,
                      args.board_cpus, args.image_base, args.board_dtb or None,
                      args.boot_timeout, args.filter)


def board_jobs(out, sub, images, board, gic, cpus, image_base, dtb, boot_timeout,
               filt=""):
    spec, gic, smp, _ = parse_machine("gic%s-smp%s" % (gic, cpus))
    jobs = []
    for dts, image in sorted(images.items()):
        name = "%s-%s-%s" % (os.path.splitext(os.path.basename(dts))[0], board, spec)
        if filt and not re.search(filt, name):
            continue
        if smp < min_cpus(dts):
            say("skip %s: %s needs %d CPUs" % (name, dts, min_cpus(dts)))
            continue
        # The board's DTB, if given, is a URL in the lab, not a file here.
        jobs.append(render_job(out, sub, name, dts, image, gic, smp, boot_timeout,
                               image_base, board=board, dtb=dtb))
    return jobs


# --- logs → results -----------------------------------------------------

def read_log(path):
    """lava-run's log: one mapping per line ("- " first in a server's raw log)."""
    entries = []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("- "):
                line = line[2:]
            if not line.startswith("{"):
                continue
            try:
                d = json.loads(line)
            except ValueError:
                try:
                    d = yaml.safe_load(line)
                except yaml.YAMLError:
                    continue
            if isinstance(d, dict) and "lvl" in d:
                entries.append(d)
    return entries


def job_metadata(job_path):
    with open(job_path) as f:
        job = yaml.safe_load(f)
    md = job.get("metadata", {})
    split = lambda k: [s for s in str(md.get(k, "")).split() if s]
    return job, split("microvisor.expected"), split("microvisor.expect-fail")


def console_line(console, checks, cname):
    """The console line that recorded (or should have recorded) a case."""
    suite, _, case = cname.partition("/")
    for c in checks:
        if c["suite"] != suite:
            continue
        for l in console:
            m = re.search(c["pattern"], l)
            if m and case_id(m.group("test_case_id")) == case:
                return l
        if c.get("case") == case:
            for l in console:
                if re.search(c["line"], l):
                    return l
    return None


def summarise(name, job_path, log_path, checks):
    """Print one line per test case; return (job_ok, cases, failed_names)."""
    _, expected, expect_fail = job_metadata(job_path)
    entries = read_log(log_path)
    console = [str(e["msg"]).replace('\\"', '"') for e in entries if e["lvl"] == "target"]
    results = [e["msg"] for e in entries
               if e["lvl"] == "results" and isinstance(e["msg"], dict)]
    job = [r for r in results if r.get("definition") == "lava" and r.get("case") == "job"]
    cases = [r for r in results if r.get("definition") != "lava"]
    tag = " (expected)" if expect_fail else ""

    rows = []  # (name, result, why)
    seen = set()
    for r in cases:
        cname = "%s/%s" % (r.get("definition"), r.get("case"))
        seen.add(cname)
        why = ""
        if r.get("result") != "pass":
            line = console_line(console, checks, cname)
            why = "console: %s" % line if line else ""
        rows.append((cname, r.get("result", "unknown"), why))
    for cname in expected:
        if cname not in seen:
            rows.append((cname, "fail", "missing: its line never appeared on the console"))
    if not job:
        rows.append(("lava/job", "fail", "lava-run recorded no job result (see %s)"
                     % os.path.relpath(log_path, TOP)))
    elif job[-1].get("result") != "pass":
        rows.append(("lava/job", "fail", "%s error: %s" % (
            job[-1].get("error_type", "?"), job[-1].get("error_msg", "?"))))

    failed = []
    for cname, result, why in rows:
        ok = result in ("pass", "skip")
        if not ok:
            failed.append(cname)
        say("%s %s %s%s" % ("pass" if ok else "FAIL", name, cname,
                            (": " + why if why else "") + ("" if ok else tag)))
    if failed:
        errors = [l for l in console if "error" in l or "PANIC" in l]
        for l in errors[:10]:
            say("%s console: %s" % (name, l))
        # (the last "poweroff" is LAVA's own input at the end of the job, echoed)
        shown = [l for l in console if l.strip()]
        while shown and shown[-1].strip() == "poweroff":
            shown.pop()
        for l in shown[-3:]:
            if l not in errors:
                say("%s console tail: %s" % (name, l))
    return not failed, len(rows), failed


# --- running --------------------------------------------------------------

def run_job(j, out, timeout, seq):
    logs = os.path.join(out, "logs")
    os.makedirs(logs, exist_ok=True)
    log = os.path.join(logs, j["name"] + ".log")
    outdir = os.path.join(out, "out", j["name"])
    os.makedirs(outdir, exist_ok=True)
    cmd = ["lava-run", "--job-id", "microvisor-%d-%d" % (os.getpid(), seq),
           "--output-dir", outdir, "--device", j["device"], j["job"]]
    t0 = time.monotonic()
    with open(log, "w") as err, open(os.path.join(logs, j["name"] + ".stdout"), "w") as so:
        p = subprocess.Popen(cmd, stdout=so, stderr=err, stdin=subprocess.DEVNULL,
                             start_new_session=True, cwd=TOP)
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            rc = "killed after %d s" % timeout
    with open(os.path.join(logs, j["name"] + ".console"), "w") as f:
        for e in read_log(log):
            if e["lvl"] == "target":
                f.write(str(e["msg"]).replace('\\"', '"') + "\n")
    return log, rc, time.monotonic() - t0


def all_checks():
    return load_checks({"gic": 3, "smp": 2, "system": "x"})


def cmd_run(args):
    if os.geteuid() != 0:
        die("lava-run must run as root: run sudo make lava")
    args.image_base = ""  # local runs read the images from this tree
    t0 = time.monotonic()
    out = os.path.join(TOP, args.out)
    jobs = generate(args)
    if not jobs:
        die("no job matches the filter %r" % args.filter)
    ver = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "lava-dispatcher"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True).stdout.strip()
    qemu = subprocess.run(["qemu-system-aarch64", "--version"], stdout=subprocess.PIPE,
                          text=True).stdout.splitlines()[0]
    nx = sum(1 for j in jobs if j["expect_fail"])
    say("%d job%s (%d boot, %d expected to fail), %s; %s; boot timeout %d s"
        % (len(jobs), "s"[:len(jobs) != 1], len(jobs) - nx, nx,
           "lava-dispatcher " + (ver or "?"), qemu,
           args.boot_timeout))
    checks = all_checks()
    passed = failed = 0
    bad_jobs, xfail_ok = [], []
    for seq, j in enumerate(jobs, 1):
        say("job %s: lava-run %s" % (j["name"], os.path.relpath(j["job"], TOP)))
        log, rc, secs = run_job(j, out, args.boot_timeout * 6 + 180, seq)
        ok, ncases, fails = summarise(j["name"], j["job"], log, checks)
        if j["expect_fail"]:
            missing = [c for c in j["expect_fail"] if c not in fails]
            if ok or missing:
                failed += 1
                bad_jobs.append(j["name"])
                say("job %s: FAIL: expected to fail naming %s, but %s (%.1f s)" % (
                    j["name"], ", ".join(j["expect_fail"]),
                    "it passed" if ok else "the summary did not name " + ", ".join(missing),
                    secs))
            else:
                passed += 1
                xfail_ok.append(j["name"])
                say("job %s: failed as expected: %s (%.1f s)"
                    % (j["name"], ", ".join(fails), secs))
            continue
        npass = ncases - len(fails)
        passed += npass
        failed += len(fails)
        if ok:
            say("job %s: pass, %d of %d cases (%.1f s)" % (j["name"], npass, ncases, secs))
        else:
            bad_jobs.append(j["name"])
            say("job %s: FAIL, %d of %d cases failed (%.1f s, lava-run exit %s, log %s)"
                % (j["name"], len(fails), ncases, secs, rc, os.path.relpath(log, TOP)))
        if j["linux"]:
            say("job %s: the LAVA test shell inside the Linux guest is not run: it "
                "needs a disk or NIC in the guest for its overlay; its steps ran as "
                "an interactive test (docs/lava.md)" % j["name"])
    say("%d job%s in %.0f s: %d failed%s; expected failures reported failed: %d of %d"
        % (len(jobs), "s"[:len(jobs) != 1], time.monotonic() - t0, len(bad_jobs),
           " (%s)" % ", ".join(bad_jobs) if bad_jobs else "", len(xfail_ok), nx))
    say("%d passed, %d failed" % (passed, failed))
    return 0 if not bad_jobs else 1


def cmd_jobs(args):
    jobs = generate(args)
    for j in jobs:
        say("job %s: %s%s" % (j["name"], os.path.relpath(j["job"], TOP),
                              " (device %s)" % os.path.relpath(j["device"], TOP)
                              if j["device"] else ""))
    if not args.image_base:
        say("image URLs are file:// paths on this machine; for a LAVA server give "
            "--image-base URL (LAVA_IMAGE_BASE=URL with make lava-jobs)")
    return 0


def cmd_summary(args):
    ok, _, _ = summarise(os.path.splitext(os.path.basename(args.job))[0],
                         args.job, args.log, all_checks())
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("run", "jobs"):
        p = sub.add_parser(name)
        p.add_argument("--out", default="build/lava")
        p.add_argument("--machines", default=os.environ.get("LAVA_MACHINES") or DEFAULT_MACHINES)
        p.add_argument("--filter", default=os.environ.get("LAVA_FILTER", ""))
        p.add_argument("--boot-timeout", type=int,
                       default=int(os.environ.get("LAVA_BOOT_TIMEOUT") or 60))
        p.add_argument("--image-base", default=os.environ.get("LAVA_IMAGE_BASE", ""))
        p.add_argument("--systems", default=os.environ.get("LAVA_SYSTEMS", ""),
                       help="folder of system descriptions (default dts/qemu-virt)")
    p = sub.choices["jobs"]
    p.add_argument("--board", default=os.environ.get("LAVA_BOARD", ""),
                   help="a LAVA device type: write U-Boot board jobs for it")
    p.add_argument("--board-gic", default=os.environ.get("LAVA_BOARD_GIC", "3"))
    p.add_argument("--board-cpus", default=os.environ.get("LAVA_BOARD_CPUS", "4"))
    p.add_argument("--board-dtb", default=os.environ.get("LAVA_BOARD_DTB", ""),
                   help="URL of the board's DTB (default: U-Boot's own)")
    p = sub.add_parser("summary")
    p.add_argument("job")
    p.add_argument("log")
    args = ap.parse_args()
    return {"run": cmd_run, "jobs": cmd_jobs, "summary": cmd_summary}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
