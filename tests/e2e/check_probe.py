#!/usr/bin/env python3
"""`synchost probe` (docs/probing.md): the file described, every
import found or named as missing, each step of the load chain with its
HRESULT by name, and the exit status: 0 every step succeeded, 1 one failed,
2 not a PE DLL this build hosts. Exits 0 when everything holds, 1 with the
reasons, 77 when Wine is missing outside CI (needs.py)."""
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

from needs import missing

problems = []


def probe(synchost, args, expect_exit, patterns, absent=()):
    cmd = [synchost, "probe"] + args
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=300)
    print("$ " + " ".join(cmd))
    print(proc.stdout)
    if proc.returncode != expect_exit:
        problems.append("%s: exit %d, expected %d" % (" ".join(args), proc.returncode,
                                                      expect_exit))
    for p in patterns:
        if not re.search(p, proc.stdout, re.M):
            problems.append("%s: the output does not match %r" % (" ".join(args), p))
    for p in absent:
        if re.search(p, proc.stdout, re.M):
            problems.append("%s: the output matches %r, which it must not" % (" ".join(args), p))
    return proc.stdout


def imports_of(dll):
    """The DLL names of dll's import directory, read independently of synchost."""
    with open(dll, "rb") as f:
        data = f.read()
    lfanew = struct.unpack_from("<I", data, 0x3C)[0]
    nsec = struct.unpack_from("<H", data, lfanew + 6)[0]
    opt_size = struct.unpack_from("<H", data, lfanew + 20)[0]
    opt = lfanew + 24
    # The data directories follow 96 bytes of PE32's optional header (x86),
    # 112 of PE32+'s (x64).
    dirs = opt + (96 if struct.unpack_from("<H", data, opt)[0] == 0x10b else 112)
    imp_rva = struct.unpack_from("<I", data, dirs + 8)[0]
    sections = [struct.unpack_from("<IIII", data, opt + opt_size + 40 * i + 8)
                for i in range(nsec)]

    def off(rva):
        for vsize, va, raw, raw_at in sections:
            if va <= rva < va + max(vsize, raw):
                return raw_at + rva - va
        raise ValueError("RVA 0x%x in no section" % rva)
    names, at = [], off(imp_rva)
    while any(data[at:at + 20]):
        name_at = off(struct.unpack_from("<I", data, at + 12)[0])
        names.append(data[name_at:data.index(b"\0", name_at)].decode("ascii"))
        at += 20
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--synchost", required=True)
    ap.add_argument("--reference", required=True)
    ap.add_argument("--missing-dependency", required=True)
    ap.add_argument("--no-imapisync", required=True)
    ap.add_argument("--worker", required=True)
    ap.add_argument("--transport", required=True)
    ap.add_argument("--address-book", required=True)
    ap.add_argument("--needs-outlook", required=True)
    ap.add_argument("--visual-studio", required=True,
                    help="a provider importing msvcp140.dll and the UCRT's API set")
    a = ap.parse_args()
    rc = missing("wine")
    if rc is not None:
        return rc

    # The defect really imports a DLL that exists nowhere: the test would
    # prove nothing if the build stopped linking it.
    names = imports_of(a.missing_dependency)
    print("imports of %s: %s" % (a.missing_dependency, names))
    if "synchost-missing.dll" not in names:
        problems.append("defect-missing-dependency.dll does not import synchost-missing.dll")
    ours = os.path.dirname(os.path.abspath(a.missing_dependency))
    if any(f.lower() == "synchost-missing.dll" for f in os.listdir(ours)):
        problems.append("synchost-missing.dll exists beside the defect")

    # The reference as built: for x64, or for x86 in the x86 build.
    with open(a.reference, "rb") as f:
        head = f.read(4096)
    machine = struct.unpack_from("<H", head, struct.unpack_from("<I", head, 0x3C)[0] + 4)[0]
    machine_line = (r"^machine +x86 \(0x014C\)$" if machine == 0x14c
                    else r"^machine +x64 \(0x8664\)$")
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "probe.json")
        probe(a.synchost, [a.reference, "--report-json", report], 0, [
            machine_line,
            r"^type +DLL, subsystem ",
            r"^exports +1 named: MSProviderInit$",
            r"^kind +a message store provider \(MSProviderInit\)$",
            r"^  KERNEL32\.dll +(system32|Wine builtin) +/",
            r"^  ok +LoadLibrary +S_OK",
            r"^  ok +MSProviderInit +S_OK .*provider SPI version 0x",
            r"^  ok +IMSProvider::Logon +S_OK",
            r"^  ok +QueryInterface\(IID_IMAPISync\) +S_OK",
            r"^  ok +IUnknown identity +S_OK .*share IUnknown 0x[0-9a-f]+$",
            r"^  ok +IMSLogon::Logoff +S_OK",
            r"^synchost: PASS, every step of the load chain succeeded\n\Z",
        ], absent=[r"NOT FOUND", r"FAILED", r"looked for"])
        with open(report, encoding="utf-8") as f:
            doc = json.load(f)
        steps = [e.get("step") for e in doc["scenarios"][0]["events"] if e["kind"] == "load"]
        if steps != ["load-dll", "load-entry-point", "load-logon", "load-qi-imapisync",
                     "load-identity"]:
            problems.append("the report's load steps are %s" % steps)
        if doc["scenarios"][0]["status"] != "passed":
            problems.append("the reference's probe is %s" % doc["scenarios"][0]["status"])

        probe(a.synchost, [a.missing_dependency], 1, [
            r"^  synchost-missing\.dll +NOT FOUND +searched: the provider's folder",
            r"^missing +1 DLL, first synchost-missing\.dll: LoadLibrary fails",
            r"^  FAILED LoadLibrary +0x8007007E: .*missing dependency: synchost-missing\.dll",
            r"^  - +MSProviderInit +not reached$",
            r"^synchost: FAIL, LoadLibrary: 0x8007007E\n\Z",
        ])
        # The same DLL with a file of that name beside it: found there (and
        # not loadable, since it is no DLL).
        beside = os.path.join(tmp, "beside")
        os.mkdir(beside)
        copy = shutil.copy(a.missing_dependency, beside)
        with open(os.path.join(beside, "SYNCHOST-MISSING.DLL"), "w") as f:
            f.write("not a DLL\n")
        probe(a.synchost, [copy], 1, [
            r"^  synchost-missing\.dll +beside the provider +.*/SYNCHOST-MISSING\.DLL$",
            r"its imports cannot be read: not a PE file",
            r"^  FAILED LoadLibrary ",
        ], absent=[r"NOT FOUND"])

        probe(a.synchost, [a.no_imapisync], 1, [
            r"^  ok +IMSProvider::Logon +S_OK",
            r"^  FAILED QueryInterface\(IID_IMAPISync\) +E_NOINTERFACE \(0x80004002\): the store "
            r"does not implement IMAPISync$",
            r"^  - +IUnknown identity +not reached$",
            r"^  ok +IMSLogon::Logoff +S_OK",
            r"^synchost: FAIL, QueryInterface\(IID_IMAPISync\): E_NOINTERFACE \(0x80004002\)\n\Z",
        ])

        # MAPI's other kinds of provider are named as what they are, in the
        # file's description and in the load chain's failure.
        for dll, kind, entry in ((a.transport, "a transport provider", "XPProviderInit"),
                                 (a.address_book, "an address book provider",
                                  "ABProviderInit")):
            probe(a.synchost, [dll], 1, [
                r"^kind +%s \(%s\)$" % (kind, entry),
                r"^ +no MSProviderInit: not a store provider; synchost hosts message store "
                r"providers$",
                r"^  FAILED MSProviderInit +0x8007007F: the DLL does not export MSProviderInit: "
                r"it is %s \(%s\), and synchost hosts message store providers$" % (kind, entry),
                r"^synchost: FAIL, MSProviderInit: 0x8007007F\n\Z",
            ], absent=[r"message store provider \(MSProviderInit\)"])

        # A store that looks for Outlook as it starts and gives up with an
        # HRESULT that says nothing: each thing it looked for is named, in
        # the order it asked.
        looked = [
            r'GetModuleHandle\("mspst32\.dll"\): not loaded',
            r'MsiProvideQualifiedComponent\("\{E83B4360-C208-4325-9504-0D23003A74A5\}", '
            r'"outlook\.exe"\): unknown component',
            r'RegOpenKeyEx\(HKEY_LOCAL_MACHINE, "Software\\Microsoft\\Office\\16\.0\\Outlook"\): '
            r'no such key',
            r'LoadLibrary\("olmapi32\.dll"\): not found',
            r'GetProcAddress\(kernel32\.dll, "OutlookOnlyFunction"\): not exported',
            r'CreateFile\("C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK\.EXE"\): '
            r'not found',
        ]
        probe(a.synchost, [a.needs_outlook], 1, [
            r"^  FAILED MSProviderInit +E_OUTOFMEMORY \(0x8007000E\): MSProviderInit failed; "
            r"it looked for what is not here: " + "; ".join(looked) + "$",
            r"^synchost: FAIL, MSProviderInit: E_OUTOFMEMORY \(0x8007000E\)\n\Z",
        ])
        # A provider that loads finds nothing missing worth saying: the
        # reference's probe (above) names no lookup.

        # What Visual Studio's builds import (its C++ runtime, the Universal
        # CRT through an API set) is found and loads; the DLL really imports
        # both, or this would prove nothing.
        names = [n.lower() for n in imports_of(a.visual_studio)]
        for dll in ("msvcp140.dll", "api-ms-win-crt-string-l1-1-0.dll"):
            if dll not in names:
                problems.append("%s does not import %s" % (a.visual_studio, dll))
        probe(a.synchost, [a.visual_studio], 0, [
            r"^  msvcp140\.dll +(system32|Wine builtin) +",
            r"^  api-ms-win-crt-string-l1-1-0\.dll +API set +",
            r"^  ok +LoadLibrary +S_OK",
            r"^synchost: PASS, every step of the load chain succeeded\n\Z",
        ], absent=[r"NOT FOUND", r"FAILED"])

        # Not a PE DLL: exit 2, whatever the file is.
        text = os.path.join(tmp, "notes.dll")
        with open(text, "w") as f:
            f.write("this is not a DLL\n")
        probe(a.synchost, [text], 2, [r"notes\.dll: not a PE file: no MZ header",
                                      r"^synchost: ERROR, bad input"], absent=[r"load chain"])
        probe(a.synchost, [a.worker], 2, [r"^type +not a DLL, subsystem Windows console",
                                          r"a PE file but not a DLL"], absent=[r"load chain"])
        with open(a.reference, "rb") as f:
            data = bytearray(f.read())
        struct.pack_into("<H", data, struct.unpack_from("<I", data, 0x3C)[0] + 4, 0x014c)
        x86 = os.path.join(tmp, "x86.dll")
        with open(x86, "wb") as f:
            f.write(data)
        # Described as x86, and hosted by the 32-bit worker: without one,
        # the harness's failure says what to build.
        os.environ["SYNCHOST_WORKER32"] = os.path.join(tmp, "absent", "synchost-worker32.exe")
        probe(a.synchost, [x86], 3, [r"^machine +x86 \(0x014C\)$",
                                     r"an x86 DLL needs synchost-worker32\.exe"])
        del os.environ["SYNCHOST_WORKER32"]
        probe(a.synchost, [os.path.join(tmp, "absent.dll")], 2, [r"cannot open"])

    for p in problems:
        print("FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
