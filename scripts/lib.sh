# Shared settings for the scripts in this folder. Sourced, not run.
# Everything the project installs or creates outside the work tree lives under
# SYNCHOST_HOME, so that a second clone reuses it and `rm -rf` resets it.

SYNCHOST_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SYNCHOST_HOME=${SYNCHOST_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/synchost}
SYNCHOST_BUILD=${SYNCHOST_BUILD:-$SYNCHOST_ROOT/build}
# The x86 build: the 32-bit worker, fakes and providers under test (and a
# native half like the x64 build's, so that its tests run the same way).
SYNCHOST_BUILD32=${SYNCHOST_BUILD32:-$SYNCHOST_BUILD-x86}
# The Wine prefix the harness runs workers in; synchost reads the same variable.
export WINEPREFIX=${WINEPREFIX:-$SYNCHOST_HOME/wine}
export WINEDEBUG=${WINEDEBUG:--all}
# No Mono or Gecko install dialogs when a prefix is created.
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}
SYNCHOST_MINGW_PREFIX=$SYNCHOST_HOME/mingw64
SYNCHOST_LOCAL_CROSS=$SYNCHOST_HOME/cross-local.txt
SYNCHOST_MINGW32_PREFIX=$SYNCHOST_HOME/mingw32
SYNCHOST_LOCAL_CROSS32=$SYNCHOST_HOME/cross-local32.txt

say() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { say "$*"; exit 1; }

# Does this machine run 32-bit x86 programs? Some kernels do not (IA-32
# emulation built out or switched off): their execve refuses them. Asked of
# the 32-bit C library's loader, a program of Debian's libc6:i386; the reason
# when not is left in SYNCHOST_NO_X86_WHY.
machine_runs_x86() {
    local ld=/lib/ld-linux.so.2 out
    if [[ ! -e $ld ]]; then
        SYNCHOST_NO_X86_WHY="the 32-bit C library (libc6:i386) is not installed"
        return 1
    fi
    out=$("$ld" --version 2>&1 >/dev/null) && return 0
    SYNCHOST_NO_X86_WHY="its kernel refuses them: $ld: ${out##*: }"
    return 1
}
