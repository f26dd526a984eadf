#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Microvisor's LAVA jobs: generate them, run them with lava-run, summarise.

  ci/lava/lava.py run [--filter STR]       build, generate, run every job, summarise
  ci/lava/lava.py jobs [--image-base URL]  build and generate only (for lavacli)
  ci/lava/lava.py summary JOB LOG          summarise one job's log (lava-run's,
                                           or `lavacli jobs logs --raw` output)

Jobs: one per system in dts/qemu-virt/ and machine in --machines (default
"gic3-smp2 gic2-smp1 gic3-smp4"), rendered from ci/lava/jobs/qemu-boot.jinja2
with the checks of ci/lava/tests/microvisor-boot.yaml as pattern monitors,
plus the expected-failure jobs of ci/lava/jobs/expected-failures.yaml.  Every
job and device description is checked against LAVA's own schemas.

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
import signal
import subprocess
import sys
import time

import jinja2
import yaml

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.join(TOP, "ci", "lava")
EXAMPLES = "dts/qemu-virt"
SUITE = "microvisor-boot"
DEFAULT_MACHINES = "gic3-smp2 gic2-smp1 gic3-smp4"
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

def parse_machine(spec):
    m = re.fullmatch(r"gic([23])-smp([1-8])", spec)
    if not m:
        die("machine %r: expected gicN-smpM (N 2 or 3, M 1 to 8)" % spec)
    return int(m.group(1)), int(m.group(2))


def build_image(dts):
    """Build one system with the project's Makefile; return the image path."""
    r = subprocess.run(
        ["make", "-s", "--no-print-directory", "SYSTEM=" + dts, "lava-image"],
        cwd=TOP, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    paths = [l.split(":", 1)[1].strip() for l in r.stdout.splitlines()
             if l.startswith("lava-image:")]
    if r.returncode != 0 or not paths:
        sys.stdout.write(r.stdout)
        die("build of %s failed (make SYSTEM=%s)" % (dts, dts))
    return os.path.join(TOP, paths[-1])


def system_info(dts):
    """The description's model and whether a domain boots Linux (bootargs)."""
    r = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dts", dts], cwd=TOP,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        die("dtc cannot read %s: %s" % (dts, r.stderr.strip()))
    m = re.search(r'^\tmodel = "([^"]*)";', r.stdout, re.M)
    model = m.group(1) if m else "(unnamed)"
    domains = r.stdout.split("\tdomains {", 1)
    linux = len(domains) > 1 and "bootargs = " in domains[1]
    return model, linux


# --- test definition → monitors -----------------------------------------

def case_id(text):
    """What LAVA's monitor makes of a captured test_case_id."""
    return re.sub(r"\W+", "_", text.strip().lower())


def load_checks(params):
    text = jinja_env().get_template("tests/microvisor-boot.yaml").render(**params)
    return yaml.safe_load(text)["checks"]


def self_test_check(check):
    """The check's example line must record its case with the result pass."""
    m = re.search(check["pattern"], check["example"] + "\r\n")
    if not m:
        die("tests/microvisor-boot.yaml: check %s: pattern does not match its example"
            % check["case"])
    got, res = case_id(m.group("test_case_id")), m.group("result")
    res = check.get("fixupdict", {}).get(res, res)
    if got != check["case"] or res != "pass":
        die("tests/microvisor-boot.yaml: check %s: example gives case %r result %r"
            % (check["case"], got, res))


def monitors(checks, clean_exit):
    """LAVA monitors for the checks, chained by zero-width lookaheads."""
    anchors = [c["line"] for c in checks]
    used = [i for i, c in enumerate(checks)
            if clean_exit or not c.get("clean-exit-only")]
    out = []
    for n, i in enumerate(used):
        c = checks[i]
        last = n == len(used) - 1
        if last:
            end = c.get("end", r"\n")
        else:
            end = "(?=%s)" % "|".join(anchors[i + 1:])
        mon = {
            "name": SUITE,
            "start": "(?=%s)" % "|".join(anchors[i:]),
            "end": end,
            "pattern": c["pattern"],
            "fixupdict": {str(k): v for k, v in c["fixupdict"].items()},
        }
        out.append(mon)
    return out, ["%s/%s" % (SUITE, checks[i]["case"]) for i in used]


# --- generation -----------------------------------------------------------

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
               dtb=None, expect_fail=None):
    model, linux = system_info(dts)
    params = {"gic": gic, "smp": smp, "system": model}
    checks = load_checks(params)
    for c in checks:
        self_test_check(c)
    mons, expected = monitors(checks, clean_exit=not linux)
    notes = []
    if linux:
        notes.append("Linux guest: the job ends after the microvisor's boot checks; "
                     "the LAVA test shell inside the guest waits for Linux guests "
                     "(ci/lava/tests/linux-guest.yaml, docs/lava.md)")
    env = jinja_env()
    job_text = env.get_template("jobs/qemu-boot.jinja2").render(
        name=name, dts=dts, gic=gic, smp=smp, cpu=CPU, memory=MEMORY,
        boot_timeout=boot_timeout, image_url=url_for(image, image_base),
        dtb_url=url_for(dtb, image_base) if dtb else None,
        monitors=yaml.safe_dump(mons, sort_keys=False, width=1000).rstrip("\n"),
        expected=expected, expect_fail=expect_fail or [], notes=notes)
    job_path = os.path.join(out, sub, name + ".yaml")
    validate("job", yaml.safe_load(job_text), job_path)
    write(job_path, job_text)

    dev_text = env.get_template("devices/qemu-aarch64.jinja2").render(
        gic_version=gic, smp=smp, cpu=CPU, memory=MEMORY, boot_timeout=boot_timeout)
    dev_path = os.path.join(out, "devices", "qemu-aarch64-gic%d-smp%d.yaml" % (gic, smp))
    validate("device", yaml.safe_load(dev_text), dev_path)
    write(dev_path, dev_text)
    return {"name": name, "job": job_path, "device": dev_path, "linux": linux,
            "expect_fail": expect_fail}


def generate(args):
    out = os.path.join(TOP, args.out)
    systems = sorted(
        os.path.join(EXAMPLES, f) for f in os.listdir(os.path.join(TOP, EXAMPLES))
        if f.endswith(".dts"))
    if not systems:
        die("no system descriptions in %s/" % EXAMPLES)
    machines = [parse_machine(m) for m in args.machines.split()]
    with open(os.path.join(HERE, "jobs", "expected-failures.yaml")) as f:
        xfails = yaml.safe_load(f) or []
    # Not run yet (it waits for Linux guests), but kept valid.
    guest_def = os.path.join(HERE, "tests", "linux-guest.yaml")
    with open(guest_def) as f:
        validate("test definition", yaml.safe_load(f), guest_def)

    images = {}
    for dts in systems + sorted({x["system"] for x in xfails} - set(systems)):
        images[dts] = build_image(dts)
        say("image %s: %s" % (dts, os.path.relpath(images[dts], TOP)))

    jobs = []
    for dts in systems:
        base = os.path.splitext(os.path.basename(dts))[0]
        for gic, smp in machines:
            name = "%s-gic%d-smp%d" % (base, gic, smp)
            if args.filter and args.filter not in name:
                continue
            jobs.append(render_job(out, "jobs", name, dts, images[dts], gic, smp,
                                   args.boot_timeout, args.image_base))
    for x in xfails:
        if args.filter and args.filter not in x["name"]:
            continue
        dtb = broken_dtb(out, x["name"], x["gic"], x["smp"], x["host-dtb"])
        jobs.append(render_job(out, "expected-failures", x["name"], x["system"],
                               images[x["system"]], x["gic"], x["smp"],
                               args.boot_timeout, args.image_base, dtb=dtb,
                               expect_fail=x["failing"]))
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


def console_line(console, check_line):
    for l in console:
        if re.match(check_line, l):
            return l
    return None


def summarise(name, job_path, log_path, checks_by_case):
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
            chk = checks_by_case.get(cname)
            line = console_line(console, chk["line"]) if chk else None
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
        for l in console:
            if "error" in l or "PANIC" in l:
                say("%s console: %s" % (name, l))
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


def checks_by_case():
    checks = load_checks({"gic": 3, "smp": 2, "system": "x"})
    return {"%s/%s" % (SUITE, c["case"]): c for c in checks}


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
    by_case = checks_by_case()
    passed = failed = 0
    bad_jobs, xfail_ok = [], []
    for seq, j in enumerate(jobs, 1):
        say("job %s: lava-run %s" % (j["name"], os.path.relpath(j["job"], TOP)))
        log, rc, secs = run_job(j, out, args.boot_timeout * 3 + 60, seq)
        ok, ncases, fails = summarise(j["name"], j["job"], log, by_case)
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
            say("job %s: the LAVA test shell inside the Linux guest is not run: "
                "it waits for Linux guests (docs/lava.md)" % j["name"])
    say("%d job%s in %.0f s: %d failed%s; expected failures reported failed: %d of %d"
        % (len(jobs), "s"[:len(jobs) != 1], time.monotonic() - t0, len(bad_jobs),
           " (%s)" % ", ".join(bad_jobs) if bad_jobs else "", len(xfail_ok), nx))
    say("%d passed, %d failed" % (passed, failed))
    return 0 if not bad_jobs else 1


def cmd_jobs(args):
    jobs = generate(args)
    for j in jobs:
        say("job %s: %s (device %s)" % (j["name"], os.path.relpath(j["job"], TOP),
                                        os.path.relpath(j["device"], TOP)))
    if not args.image_base:
        say("image URLs are file:// paths on this machine; for a LAVA server give "
            "--image-base URL (LAVA_IMAGE_BASE=URL with make lava-jobs)")
    return 0


def cmd_summary(args):
    ok, _, _ = summarise(os.path.splitext(os.path.basename(args.job))[0],
                         args.job, args.log, checks_by_case())
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
    p = sub.add_parser("summary")
    p.add_argument("job")
    p.add_argument("log")
    args = ap.parse_args()
    return {"run": cmd_run, "jobs": cmd_jobs, "summary": cmd_summary}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
