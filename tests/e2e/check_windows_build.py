#!/usr/bin/env python3
"""synchost.exe, the Windows build of synchost, run under Wine with no Wine
in its own workings (the worker is started as a plain Windows process), gives
the Linux build's verdicts: for each provider, the same exit status and, per
scenario, the same status and rules (from the JSON reports).

  --compare: runs both builds on each --dll (name=path[:filter]) and compares;
             then `run` of a scenario file on the first with every report
             format, and a scenario file with a bad flag (exit 2, the
             file's Windows path with line and column).
  --interrupt: Ctrl+C (Wine turns the SIGINT it is sent into the console's
             Ctrl+C, which libuv hands synchost.exe as SIGINT) stops a run
             of --dll, a provider whose first scenario waits for ever: exit
             130, and the report says every scenario was interrupted.
  --rerun:   the commands printed for a crashing scenario of --dll, run by
             cmd.exe as printed (the debugger's name left out: there is no
             Visual Studio here), crash as the scenario did: synchost's own
             line gives the crash verdict, the Visual Studio line's worker
             records the access violation; the WinDbg line is the same.
  --install: installs the Windows build into a fresh folder (meson install
             --destdir) and runs probe from there: it needs nothing beside it;
             with --dll32, the folder has the 32-bit worker and probes that
             x86 DLL from there too.

Exits 0 when everything holds, 1 with the reasons, 77 (skip) when the
Windows build or Wine's 64-bit loader is not there (scripts/build makes the
former; outside CI only, where it must be there)."""
import argparse
import json
import os
import re
import shutil
import signal
import xml.etree.ElementTree as ET
import subprocess
import sys
import tempfile
import time

from needs import runs_x86


def skip(why):
    if os.environ.get("CI") == "true":
        print("FAIL (CI must not skip): " + why)
        sys.exit(1)
    print("SKIP: " + why)
    sys.exit(77)


def wine_path(path):
    """A Linux path as a Windows program under Wine opens it (Z: is the root)."""
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def wine_env(prefix):
    env = dict(os.environ)
    env["WINEPREFIX"] = prefix
    env["WINEDEBUG"] = "-all"
    env.setdefault("WINEDLLOVERRIDES", "mscoree,mshtml=")
    # synchost.exe must not find Linux-only settings meant for the native build.
    env.pop("SYNCHOST_WORKER64", None)
    return env


def verdicts(report):
    """scenario -> (status, sorted rule ids), from a JSON report."""
    with open(report, encoding="utf-8") as f:
        doc = json.load(f)
    out = {}
    for sc in doc["scenarios"]:
        out[sc["name"]] = (sc["status"], sorted({v["rule"] for v in sc["violations"]}))
    return out


def run(cmd, env, timeout, cwd=None):
    try:
        p = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        return None, "(no end after %d s)" % timeout
    return p.returncode, p.stdout.decode("utf-8", "replace")


def compare(args, env, tmp):
    problems = []
    for spec in args.dll:
        name, rest = spec.split("=", 1)
        path, _, pattern = rest.partition(":")
        select = ["--filter", pattern] if pattern else []
        linux_json = os.path.join(tmp, name + "-linux.json")
        win_json = os.path.join(tmp, name + "-windows.json")
        lrc, lout = run([args.synchost, "conform", path, "--report-json", linux_json] + select,
                        env, args.timeout)
        wrc, wout = run([args.wine64, args.synchost_exe, "conform", wine_path(path),
                         "--report-json", wine_path(win_json)] + select, env, args.timeout)
        if lrc is None or wrc is None or not os.path.exists(linux_json) or \
                not os.path.exists(win_json):
            problems.append("%s: a run gave no report (linux exit %s, windows exit %s)\n"
                            "linux:\n%s\nwindows:\n%s" % (name, lrc, wrc, lout[-3000:],
                                                          wout[-3000:]))
            continue
        lv, wv = verdicts(linux_json), verdicts(win_json)
        if lrc != wrc:
            problems.append("%s: exit status %d on Linux, %d on Windows" % (name, lrc, wrc))
        for sc in sorted(set(lv) | set(wv)):
            if lv.get(sc) != wv.get(sc):
                problems.append("%s: %s is %s on Linux, %s on Windows"
                                % (name, sc, lv.get(sc), wv.get(sc)))
        if not lv:
            problems.append("%s: no scenario ran" % name)
        print("%s: %d scenario(s), exit %d on both: %s" % (
            name, len(lv), lrc, ", ".join(sorted({"%s %s" % (s, ",".join(r) or "-")
                                                  for s, r in lv.values()}))))
    return problems


def interrupt(args, env, tmp):
    report = os.path.join(tmp, "interrupted.json")
    path = args.dll[0].split("=", 1)[1]
    proc = subprocess.Popen([args.wine64, args.synchost_exe, "conform", wine_path(path), "-j",
                             "1", "--timeout-ms", "30000", "--report-json", wine_path(report)],
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    # Once the header is out the run has begun (Wine's start can take long
    # on a loaded machine, and a Ctrl+C before synchost.exe runs is Wine's);
    # then the first scenario waits on an event that never comes.
    head = b""
    deadline = time.monotonic() + 60
    while b"config:" not in head and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        head += line
    time.sleep(2)
    proc.send_signal(signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=60)
        out = head + out
    except subprocess.TimeoutExpired:
        proc.kill()
        return ["no end within 60 s of Ctrl+C"]
    out = out.decode("utf-8", "replace")
    if proc.returncode != 130 or not os.path.exists(report):
        return ["exit %d (expected 130), report %s\n%s" % (
            proc.returncode, "written" if os.path.exists(report) else "missing", out[-3000:])]
    statuses = {s for s, _ in verdicts(report).values()}
    if statuses != {"interrupted"}:
        return ["after Ctrl+C the report's statuses are %s" % sorted(statuses)]
    print("Ctrl+C: exit 130, the report kept, every scenario interrupted")
    return []


def run_bat(args, env, tmp, line):
    """line run by cmd.exe as a batch file would: as it is, with no shell between."""
    bat = os.path.join(tmp, "rerun.bat")
    with open(bat, "w", encoding="utf-8", newline="\r\n") as f:
        f.write("@" + line + "\n")
    p = subprocess.run([args.wine64, "cmd", "/c", wine_path(bat)], env=env, cwd=tmp,
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=args.timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def rerun(args, env, tmp):
    report = os.path.join(tmp, "crash.json")
    path = args.dll[0].split("=", 1)[1]
    run([args.wine64, args.synchost_exe, "conform", wine_path(path), "--filter",
         "^download-contents$", "--report-json", wine_path(report)], env, args.timeout)
    if not os.path.exists(report):
        return ["the crashing run wrote no report"]
    with open(report, encoding="utf-8") as f:
        sc = json.load(f)["scenarios"][0]
    cmds = sc.get("rerun", {})
    problems = []
    if sc["status"] != "crashed" or set(cmds) != {"synchost", "devenv", "windbg"}:
        return ["status %s, rerun commands %s" % (sc["status"], sorted(cmds))]
    if "\\" not in cmds["synchost"] or "/" in cmds["synchost"].split(" --filter")[0]:
        problems.append("the rerun line's paths are not Windows paths: " + cmds["synchost"])
    rc, out = run_bat(args, env, tmp, cmds["synchost"])
    if rc != 1 or "CRASH   download-contents" not in out or "no-crash" not in out:
        problems.append("the rerun line, run by cmd.exe: exit %d\n%s" % (rc, out[-3000:]))
    for key, name in (("devenv", "devenv /debugexe "), ("windbg", "windbg -g ")):
        if name not in cmds[key]:
            problems.append("the %s line does not start %s: %s" % (key, name, cmds[key]))
            continue
        rc, out = run_bat(args, env, tmp, cmds[key].replace(name, "", 1))
        if "crash seq=" not in out or "hr=0xc0000005" not in out:
            problems.append("the %s line's worker did not crash as the scenario did: exit %d\n%s"
                            % (key, rc, out[-3000:]))
    if not problems:
        print("rerun line: crash verdict; devenv and windbg lines: the worker faults")
    return problems


def reports(args, env, tmp, scenarios):
    """`run` with a scenario file and every report; a bad scenario file."""
    path = args.dll[0].split("=", 1)[1]
    good = os.path.join(scenarios, "repeat.yaml")
    out = {k: os.path.join(tmp, "r." + k) for k in ("json", "xml", "tap", "html", "trace")}
    rc, text = run([args.wine64, args.synchost_exe, "run", "--provider", wine_path(path),
                    wine_path(good), "--report-json", wine_path(out["json"]),
                    "--junit", wine_path(out["xml"]), "--tap", wine_path(out["tap"]),
                    "--html", wine_path(out["html"]), "--chrome-trace", wine_path(out["trace"])],
                   env, args.timeout)
    problems = []
    if rc != 0:
        return ["run with every report: exit %s\n%s" % (rc, text[-3000:])]
    try:
        if verdicts(out["json"]) != {"repeat": ("passed", [])}:
            problems.append("the JSON report's verdicts: %s" % verdicts(out["json"]))
        ET.parse(out["xml"])
        with open(out["trace"], encoding="utf-8") as f:
            if not json.load(f).get("traceEvents"):
                problems.append("the Chrome trace has no events")
        with open(out["tap"], encoding="utf-8") as f:
            if "ok 1 - repeat" not in f.read():
                problems.append("the TAP report does not pass repeat")
        with open(out["html"], encoding="utf-8") as f:
            if "repeat" not in f.read():
                problems.append("the HTML report does not name repeat")
    except (OSError, ValueError, ET.ParseError) as e:
        problems.append("a report cannot be read: %s" % e)
    bad = os.path.join(tmp, "bad.yaml")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("name: bad\nsync:\n  flags: [bogus-flag]\n")
    rc, text = run([args.wine64, args.synchost_exe, "run", "--provider", wine_path(path),
                    wine_path(bad)], env, args.timeout)
    want = wine_path(bad) + ":3:11: "
    if rc != 2 or want not in text:
        problems.append("a bad scenario file: exit %s, expected 2 and '%s'\n%s"
                        % (rc, want, text[-2000:]))
    # The project's synchost.yaml is found from a folder below it, up to
    # the repository's root, and applied (Windows has no mode bits to
    # distrust it for).
    sub = os.path.join(tmp, "project", "sub")
    os.makedirs(os.path.join(tmp, "project", ".git"))
    os.makedirs(sub)
    with open(os.path.join(tmp, "project", "synchost.yaml"), "w", encoding="utf-8") as f:
        f.write("options:\n  level: pedantic\n")
    rc, text = run([args.wine64, args.synchost_exe, "conform", wine_path(path), "--filter",
                    "^repeat$"], env, args.timeout, cwd=sub)
    if rc != 0 or "level pedantic" not in text or "config: none" in text:
        problems.append("synchost.yaml above the current folder was not applied: exit %s\n%s"
                        % (rc, text[-2000:]))
    elif "config: " + wine_path(os.path.join(tmp, "project", "synchost.yaml")) not in text:
        problems.append("the config's path is not written the Windows way:\n" + text[-2000:])
    if not problems:
        print("run: every report written and readable; bad input: exit 2 at %s; "
              "synchost.yaml found and applied" % want)
    return problems


def install(args, env, tmp):
    dest = os.path.join(tmp, "dest")
    p = subprocess.run(["meson", "install", "-C", args.win_build, "--destdir", dest,
                        "--no-rebuild", "--quiet"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    if p.returncode != 0:
        return ["meson install failed:\n" + p.stdout.decode("utf-8", "replace")]
    exes = [os.path.join(d, f) for d, _, fs in os.walk(dest) for f in fs if f == "synchost.exe"]
    if len(exes) != 1:
        return ["the install holds %d synchost.exe" % len(exes)]
    # Moved elsewhere, as a user unzips it: it finds its worker by its own place.
    root = os.path.dirname(os.path.dirname(exes[0]))
    moved = os.path.join(tmp, "unzipped")
    shutil.copytree(root, moved)
    exe = os.path.join(moved, os.path.relpath(exes[0], root))
    problems = []
    dlls = [os.path.join(d, f) for d, _, fs in os.walk(moved) for f in fs
            if f.lower().endswith(".dll")]
    if dlls:
        problems.append("the install needs DLLs beside it: %s" % dlls)
    rc, out = run([args.wine64, exe, "probe", wine_path(args.dll[0].split("=", 1)[1])], env,
                  args.timeout)
    if rc != 0 or "every step of the load chain succeeded" not in out:
        problems.append("probe from the installed folder: exit %s\n%s" % (rc, out[-3000:]))
    else:
        print("installed to %s; probe from there passes" % moved)
    if args.dll32:
        # The x86 build's worker is in the folder, and an x86 provider is
        # hosted by it from there.
        if not os.path.exists(os.path.join(moved, "libexec", "synchost", "synchost-worker32.exe")):
            problems.append("the install has no libexec\\synchost\\synchost-worker32.exe")
        rc, out = run([args.wine64, exe, "probe", wine_path(args.dll32)], env, args.timeout)
        runs, why = runs_x86()
        if not runs:
            # WoW64 under Wine needs the machine to run 32-bit programs: where
            # it cannot, the probe is the harness's failure, said as such.
            print("this machine cannot run 32-bit programs: %s" % why)
            if (rc != 3 or not re.search(r"^machine +x86 ", out, re.M)
                    or "no x86 DLL can be hosted here" not in out):
                problems.append("probe of an x86 DLL on a machine without 32-bit programs: "
                                "exit %s, expected 3 with the cause\n%s" % (rc, out[-3000:]))
            else:
                print("an x86 provider probed from there is explained as this machine's failure")
        elif (rc != 0 or "every step of the load chain succeeded" not in out
                or not re.search(r"^machine +x86 ", out, re.M)):
            problems.append("probe of an x86 DLL from the installed folder: exit %s\n%s"
                            % (rc, out[-3000:]))
        else:
            print("an x86 provider is probed from there too")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--synchost", required=True, help="the Linux build's synchost")
    ap.add_argument("--win-build", required=True, help="the Windows build's folder")
    ap.add_argument("--wine64", default="/usr/lib/wine/wine64")
    ap.add_argument("--prefix", default=os.environ.get("WINEPREFIX", ""))
    ap.add_argument("--timeout", type=int, default=240)
    ap.add_argument("--install", action="store_true")
    ap.add_argument("--interrupt", action="store_true")
    ap.add_argument("--rerun", action="store_true")
    ap.add_argument("--scenarios", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "suites",
        "conformance"))
    ap.add_argument("--dll", action="append", required=True)
    ap.add_argument("--dll32", help="with --install: an x86 provider the install must host")
    args = ap.parse_args()

    args.synchost_exe = os.path.join(args.win_build, "harness", "supervisor", "synchost.exe")
    if not os.path.exists(args.synchost_exe):
        skip("no Windows build at %s (scripts/build makes it)" % args.win_build)
    if not os.access(args.wine64, os.X_OK):
        args.wine64 = shutil.which("wine64") or shutil.which("wine") or ""
        if not args.wine64:
            skip("no Wine to run synchost.exe in")
    prefix = args.prefix or os.path.expanduser("~/.local/share/synchost/wine")
    env = wine_env(prefix)
    with tempfile.TemporaryDirectory(prefix="synchost-windows-") as tmp:
        if args.install:
            problems = install(args, env, tmp)
        elif args.rerun:
            problems = rerun(args, env, tmp)
        elif args.interrupt:
            problems = interrupt(args, env, tmp)
        else:
            problems = compare(args, env, tmp) + reports(args, env, tmp, args.scenarios)
    if problems:
        print("FAIL\n" + "\n".join(problems))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
