#!/usr/bin/env python3
"""`meson install` gives a tree that works from wherever it is put (docs/installing.md): installed with --destdir, the tree is copied elsewhere and its
synchost is run from another folder, with nothing in its environment naming
the build tree. It must find its worker, run `conform` on the reference
provider and pass; its pkg-config file must lead a mingw-w64 compiler to the
public header; the manual page and the suite's files must be there. Exits 0
when everything holds, 1 with the reasons, 77 when a tool is missing outside
CI (needs.py)."""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# The built-in suite's scenarios (one per file), counted in the source tree.
SUITE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts",
                         "suites", "conformance")
SUITE_COUNT = len(glob.glob(os.path.join(SUITE_DIR, "*.yaml")))

from needs import missing

problems = []

PROVIDER_C = r"""
#include <synchost/mapisync.h>

/* What a provider author writes against the header: the interfaces, the
 * struct and the flags. */
static HRESULT sync_with(IMAPISync *sync, IMAPISyncProgressCallback *cb, MAPISIB *sib)
{
    sib->ulSize = sizeof *sib;
    sib->ulFlags = SYNC_DOWNLOAD_CONTENTS;
    sib->punkCallBack = (IUnknown *)cb;
#ifdef __cplusplus
    return sync->SynchronizeInBackground(sib);
#else
    return sync->lpVtbl->SynchronizeInBackground(sync, sib);
#endif
}

const void *keep = (const void *)sync_with;
"""


def check(cond, why):
    if not cond:
        problems.append(why)
    return cond


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SYNCHOST_") and not k.startswith("MESON")}
    env.update(extra)
    return env


def run(cmd, **kw):
    print("$ " + " ".join(cmd))
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=600, **kw)
    print(proc.stdout)
    return proc


def check_tree(root):
    for rel in ("bin/synchost", "libexec/synchost/synchost-worker64.exe",
                "include/synchost/mapisync.h", "share/pkgconfig/synchost.pc",
                "share/man/man1/synchost.1"):
        check(os.path.isfile(os.path.join(root, rel)), "the install lacks %s" % rel)
    suite = glob.glob(os.path.join(root, "share/synchost/suites/conformance/*.yaml"))
    check(len(suite) == SUITE_COUNT, "the install holds %d conformance scenario files, not %d"
          % (len(suite), SUITE_COUNT))


def check_pkg_config(root, work):
    env = clean_env(PKG_CONFIG_PATH=os.path.join(root, "share", "pkgconfig"))
    env.pop("PKG_CONFIG_LIBDIR", None)
    proc = run(["pkg-config", "--cflags", "synchost"], env=env)
    if not check(proc.returncode == 0, "pkg-config --cflags synchost failed"):
        return
    flags = proc.stdout.split()
    incs = [f[2:] for f in flags if f.startswith("-I")]
    check(any(os.path.isfile(os.path.join(i, "synchost", "mapisync.h")) for i in incs),
          "pkg-config's -I flags %s do not lead to synchost/mapisync.h" % incs)
    check(all(os.path.realpath(i).startswith(os.path.realpath(root)) for i in incs),
          "pkg-config's -I flags %s point outside the moved install" % incs)
    src = os.path.join(work, "provider.c")
    with open(src, "w") as f:
        f.write(PROVIDER_C)
    for lang in (["-x", "c"], ["-x", "c++"]):
        proc = run(["x86_64-w64-mingw32-gcc", "-fsyntax-only", "-Wall", "-Werror"] + lang +
                   flags + [src], cwd=work, env=env)
        check(proc.returncode == 0, "the header does not compile (%s) with pkg-config's flags"
              % lang[1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--reference", required=True)
    a = ap.parse_args()
    rc = missing("wine", "pkg-config", "x86_64-w64-mingw32-gcc", "meson")
    if rc is not None:
        return rc
    build = os.path.abspath(a.build)
    with tempfile.TemporaryDirectory() as tmp:
        dest = os.path.join(tmp, "dest")
        proc = run(["meson", "install", "-C", build, "--no-rebuild", "--quiet",
                    "--destdir", dest])
        if not check(proc.returncode == 0, "meson install failed"):
            return 1
        prefix = subprocess.run(["meson", "introspect", build, "--buildoptions"],
                                stdout=subprocess.PIPE, text=True, check=True).stdout
        prefix = next(o["value"] for o in json.loads(prefix) if o["name"] == "prefix")
        # The tree is moved: nothing may depend on where it was installed.
        root = os.path.join(tmp, "moved", "synchost")
        shutil.copytree(dest + prefix, root, symlinks=True)
        check_tree(root)
        work = os.path.join(tmp, "work")
        os.mkdir(work)
        dll = shutil.copy(a.reference, work)
        synchost = os.path.join(root, "bin", "synchost")
        env = clean_env()

        proc = run([synchost, "--help"], cwd=work, env=env)
        check(proc.returncode == 0 and "synchost conform" in proc.stdout, "--help failed")
        report = os.path.join(work, "report.json")
        proc = run([synchost, "conform", "reference.dll", "--report-json", report],
                   cwd=work, env=env)
        check(proc.returncode == 0, "installed conform exits %d, not 0" % proc.returncode)
        verdict = "synchost: PASS, %d scenarios" % SUITE_COUNT
        check(re.search(r"^%s\n\Z" % re.escape(verdict), proc.stdout, re.M),
              "installed conform's verdict is not '%s'" % verdict)
        if os.path.isfile(report):
            with open(report, encoding="utf-8") as f:
                doc = json.load(f)
            statuses = {s["status"] for s in doc["scenarios"]}
            check(statuses == {"passed"} and len(doc["scenarios"]) == SUITE_COUNT,
                  "the report's statuses are %s" % statuses)
        proc = run([synchost, "list", "scenarios",
                    os.path.join(root, "share/synchost/suites/conformance")], cwd=work, env=env)
        check(proc.returncode == 0 and len(proc.stdout.splitlines()) == SUITE_COUNT,
              "the installed suite's files do not list %d scenarios" % SUITE_COUNT)

        # The worker it ran was the installed one: without it, no run.
        os.rename(os.path.join(root, "libexec"), os.path.join(root, "libexec.away"))
        proc = run([synchost, "conform", dll, "--filter", "^on-demand$"], cwd=work, env=env)
        check(proc.returncode == 3 and "synchost-worker64.exe not found" in proc.stdout,
              "without its libexec folder the installed synchost still ran (exit %d)"
              % proc.returncode)
        check_pkg_config(root, work)
    for p in problems:
        print("FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
