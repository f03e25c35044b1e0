#!/usr/bin/env python3
"""Installs a program built for the build machine (the native supervisor) into
a folder of the install: Meson 1.0 installs only the host machine's targets
in a cross build, and synchost's build is a cross build whose host is
Windows. Usage: install-native.py PROGRAM DIR (DIR relative to the prefix,
or absolute). Honours DESTDIR, as Meson's own install does."""
import os
import shutil
import sys


def main():
    program, folder = sys.argv[1], sys.argv[2]
    if os.path.isabs(folder):
        dest = os.environ.get("DESTDIR", "") + folder
    else:
        dest = os.path.join(os.environ["MESON_INSTALL_DESTDIR_PREFIX"], folder)
    os.makedirs(dest, exist_ok=True)
    target = os.path.join(dest, os.path.basename(program))
    shutil.copy2(program, target)
    os.chmod(target, 0o755)
    if not os.environ.get("MESON_INSTALL_QUIET"):
        print("Installing %s to %s" % (program, dest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
