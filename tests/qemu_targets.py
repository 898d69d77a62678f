"""How to run the kernel under QEMU, for every architecture, in one place.

Every tool that starts QEMU (tests/run-qemu for `make check` and `make run`,
tests/gdb-kernel for debugging, and the self-tests) builds its command line
from the table TARGETS below, so a learner reading one QEMU command has read
them all.  This module also holds what those tools share besides the table:

  * the exit-status convention: how a QEMU exit code tells what status the
    kernel reported when it powered off (see Target.kernel_status);
  * the test description file ("TESTFILE"): `key = value` lines that say
    which kernel to boot and how (see read_testfile);
  * finding QEMU and gdb, and running a tool with a hard time limit.

Python 3 standard library only.  Tools import it from their own directory.
"""

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from typing import Callable, NamedTuple, Optional


def _isa_debug_exit_status(qemu_code: int) -> Optional[int]:
    """Decode x86_64's isa-debug-exit: the kernel writes status S to port
    0xf4 and QEMU exits with (S << 1) | 1.  An even code (0) means QEMU exited
    without the kernel writing there: a reset under -no-reboot (for example
    a triple fault) or a power-off that did not report a status."""
    if qemu_code & 1:
        return qemu_code >> 1
    return None


def _semihosting_status(qemu_code: int) -> Optional[int]:
    """Decode arm64's semihosting SYS_EXIT: QEMU exits with the status."""
    return qemu_code


@dataclass(frozen=True)
class Target:
    """One architecture: the QEMU binary and the arguments that describe
    the machine, plus what the debugger and the harness need to know."""

    arch: str                     # canonical name: x86_64, aarch64, riscv64
    qemu: str                     # QEMU binary looked up on PATH
    package: str                  # Debian package that ships that binary
    machine: tuple                # machine, CPU and firmware arguments
    exit_args: tuple              # how the kernel reports a status
    gdb_arch: str                 # argument of gdb's `set architecture`
    # QEMU exit code -> status the kernel reported (None: nothing reported).
    # None for the whole field: the arch has no way to report a status.
    kernel_status: Optional[Callable[[int], Optional[int]]] = field(
        default=None, compare=False)


TARGETS = {
    # PVH boot of an ELF64: QEMU jumps to the 32-bit entry point named in
    # the kernel's PVH ELF note.  isa-debug-exit gives the kernel a way to
    # end the run with a status (see _isa_debug_exit_status).
    "x86_64": Target(
        arch="x86_64",
        qemu="qemu-system-x86_64",
        package="qemu-system-x86",
        machine=("-machine", "q35", "-cpu", "max"),
        exit_args=("-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"),
        gdb_arch="i386:x86-64",
        kernel_status=_isa_debug_exit_status,
    ),
    # The kernel powers off with PSCI SYSTEM_OFF (hvc); before that it may
    # report its status through semihosting SYS_EXIT, which QEMU only
    # honours when semihosting is enabled.
    "aarch64": Target(
        arch="aarch64",
        qemu="qemu-system-aarch64",
        package="qemu-system-arm",
        machine=("-machine", "virt,gic-version=3", "-cpu", "cortex-a57"),
        exit_args=("-semihosting-config", "enable=on,target=native"),
        gdb_arch="aarch64",
        kernel_status=_semihosting_status,
    ),
    # OpenSBI (-bios default) runs first and hands over to the kernel in
    # S-mode.  SBI system reset powers off, but the status is lost: the
    # harness judges a riscv64 run by its TAP stream alone.
    "riscv64": Target(
        arch="riscv64",
        qemu="qemu-system-riscv64",
        package="qemu-system-misc",
        machine=("-machine", "virt", "-bios", "default"),
        exit_args=(),
        gdb_arch="riscv:rv64",
        kernel_status=None,
    ),
}

# Other spellings people (and the build system) use for the same targets.
ARCH_ALIASES = {
    "amd64": "x86_64",
    "x86-64": "x86_64",
    "arm64": "aarch64",
    "riscv": "riscv64",
}

DEFAULT_MEM = "512M"
DEFAULT_SMP = 1
DEFAULT_TIMEOUT = 60.0

# Keys a test description file may set; all are optional there.
TESTFILE_KEYS = ("arch", "kernel", "smp", "mem", "append", "timeout",
                 "icount", "function")


class UsageError(Exception):
    """Bad input from the user: the tools print it on one line, exit 2."""


def canonical_arch(name: str) -> str:
    """Return the canonical architecture name for NAME (an alias such as
    arm64 becomes aarch64); raise UsageError for an unknown one."""
    arch = ARCH_ALIASES.get(name, name)
    if arch not in TARGETS:
        known = ", ".join(sorted(set(TARGETS) | set(ARCH_ALIASES)))
        raise UsageError(f"unknown arch '{name}' (known: {known})")
    return arch


def env_suffix(arch: str) -> str:
    """Upper-case spelling used in environment variable names: X86_64."""
    return arch.upper()


def skip_reason(arch: str) -> str:
    """Why configure decided this target cannot run here ('' if it can).
    configure sets SKIP_<ARCH> when a cross compiler or QEMU is missing."""
    return os.environ.get("SKIP_" + env_suffix(arch), "")


def find_qemu(target: Target, override: Optional[str] = None) -> str:
    """Return the QEMU binary to run: OVERRIDE, else $QEMU_<ARCH>, else the
    standard name on PATH.  Raise UsageError if it cannot be found."""
    name = (override or os.environ.get("QEMU_" + env_suffix(target.arch))
            or target.qemu)
    path = shutil.which(name)
    if path is None:
        raise UsageError(f"{name} not found (install {target.package})")
    return path


def find_gdb(target: Target) -> str:
    """Return the debugger for TARGET: $GDB if set (configure finds one),
    else gdb-multiarch, which knows every architecture, else plain gdb,
    which knows only the one it was built for and so serves x86_64 alone.
    Raise UsageError if none is installed."""
    candidates = [os.environ.get("GDB") or "gdb-multiarch"]
    if target.arch == "x86_64":
        candidates.append("gdb")
    for name in candidates:
        path = shutil.which(name)
        if path:
            return path
    raise UsageError("gdb-multiarch not found (install gdb-multiarch)")


def qemu_command(target: Target, qemu: str, kernel: str, *,
                 append: str = "", smp: int = DEFAULT_SMP,
                 mem: str = DEFAULT_MEM, icount: bool = False,
                 gdb_port: Optional[int] = None,
                 serial: str = "stdio", initrd: Optional[str] = None) -> list:
    """Build the full QEMU argument list for booting KERNEL on TARGET.

    SERIAL is a QEMU character device for the first serial port, the
    kernel's console: "stdio" (the harness reads it; no monitor), "mon:stdio"
    (a person at a terminal: Ctrl-A X quits, Ctrl-A C is the monitor), or
    "file:PATH".  GDB_PORT starts QEMU halted (-S) with a gdb stub on the
    loopback interface.  ICOUNT runs with -icount shift=0: guest time then
    advances one nanosecond per guest instruction, which makes benchmark
    figures exact instruction counts.  INITRD is an initial RAM disk for a
    Linux kernel (tools/ipc-bench boots Debian's beside ours)."""
    cmd = [qemu, *target.machine, "-m", str(mem), "-smp", str(smp),
           "-kernel", kernel]
    if initrd:
        cmd += ["-initrd", initrd]
    if append:
        cmd += ["-append", append]
    cmd += list(target.exit_args)
    # -no-reboot: a reset (such as a triple fault) ends QEMU instead of
    # silently booting the kernel again.
    cmd += ["-display", "none", "-serial", serial, "-no-reboot"]
    if serial != "mon:stdio":
        cmd += ["-monitor", "none"]
    if icount:
        cmd += ["-icount", "shift=0"]
    if gdb_port is not None:
        cmd += ["-S", "-gdb", f"tcp:127.0.0.1:{gdb_port}"]
    return cmd


def read_testfile(path: str) -> dict:
    """Read a test description file and return its settings as strings.

    The format is one `key = value` per line; blank lines and lines whose
    first non-blank character is `#` are ignored.  For example:

        # stage 4 kernel tests on x86_64
        arch = x86_64
        kernel = kernel-x86_64.elf
        append = ktest seed=0x2a
        timeout = 120
    """
    settings = {}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key, sep, value = (part.strip() for part in line.partition("="))
            if not sep or not key:
                raise UsageError(f"{path}:{number}: expected 'key = value'")
            if key not in TESTFILE_KEYS:
                raise UsageError(f"{path}:{number}: unknown key '{key}'")
            settings[key] = value
    return settings


def pick(cli_value, settings: dict, key: str, default=None):
    """A command-line option wins over the test file, which wins over the
    default."""
    if cli_value is not None:
        return cli_value
    return settings.get(key, default)


def parse_bool(text, what: str) -> bool:
    """Read yes/no, true/false, on/off or 1/0 from a test file."""
    if isinstance(text, bool):
        return text
    value = str(text).strip().lower()
    if value in ("yes", "true", "on", "1"):
        return True
    if value in ("no", "false", "off", "0", ""):
        return False
    raise UsageError(f"{what}: expected yes or no, got '{text}'")


def parse_number(text, what: str, kind=int):
    """Read a number (int or float) for WHAT, or raise UsageError."""
    try:
        value = kind(text)
    except (TypeError, ValueError):
        raise UsageError(f"{what}: expected a number, got '{text}'") from None
    if value < 0:
        raise UsageError(f"{what}: must not be negative, got '{text}'")
    return value


def resolve_kernel(kernel: str, testfile: Optional[str]) -> str:
    """Find the kernel image.  A relative path is tried against the current
    directory first (make runs tests from the build directory), then against
    the directory that holds the test file.  Raise UsageError if neither
    exists."""
    places = [kernel]
    if testfile and not os.path.isabs(kernel):
        places.append(os.path.join(os.path.dirname(testfile), kernel))
    for candidate in places:
        if os.path.isfile(candidate):
            return candidate
    raise UsageError("kernel not found: " + " or ".join(places))


def stop_group(proc: subprocess.Popen, grace: float = 3.0) -> None:
    """Stop PROC, started as the leader of its own process group, and
    everything in that group: SIGTERM first, so that a tool can clean up,
    then SIGKILL if it is still there GRACE seconds later."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
            proc.wait(grace)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


class Finished(NamedTuple):
    """How a command run by run_bounded ended."""
    status: Optional[int]      # exit status; None if it ran out of time
    stdout: str
    stderr: str
    seconds: float             # wall-clock time it took


def run_bounded(cmd: list, limit: float, env=None) -> Finished:
    """Run CMD in a process group of its own, collecting its output, and
    stop the group if it runs longer than LIMIT seconds, so that a test
    of a tool can never hang."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, errors="replace", env=env,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=limit)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        stop_group(proc)
        out, err = proc.communicate()
        status = None
    return Finished(status, out, err, time.monotonic() - start)
