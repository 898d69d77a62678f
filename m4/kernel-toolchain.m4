# kernel-toolchain.m4: find a cross compiler, binutils and QEMU for each kernel architecture.
#
# KERNEL_TOOLCHAIN(VAR, ARCH, MACHINE-GLOB, CANDIDATES, GCC-PACKAGE, QEMU-BINARY, QEMU-PACKAGE)
#   VAR           upper-case suffix of the variables set: KCC_VAR, KNM_VAR, QEMU_VAR, SKIP_VAR
#   ARCH          the architecture's name in the tree (x86_64, aarch64, riscv64)
#   MACHINE-GLOB  what `$CC -dumpmachine` must match (a shell case pattern)
#   CANDIDATES    compilers tried in order when KCC_VAR is not given
#   GCC-PACKAGE   the Debian package that provides a suitable compiler
#   QEMU-BINARY   the qemu-system-* program that runs this architecture
#   QEMU-PACKAGE  the Debian package that provides it
#
# Outcome: KCC_VAR/KNM_VAR/QEMU_VAR hold tool paths; the conditional BUILD_VAR says whether
# this architecture's kernels are built; SKIP_VAR is empty when they can also be booted, or
# holds a one-line reason naming the package to install. A missing tool never stops
# configure: that architecture's tests print TAP "1..0 # SKIP reason".
AC_DEFUN([KERNEL_TOOLCHAIN], [
AC_ARG_VAR([KCC_$1], [C compiler for $2 kernels])
AC_MSG_CHECKING([for a $2 kernel compiler])
SKIP_$1=
AS_IF([test -z "$KCC_$1"], [
  for kernel_cand in $4; do
    kernel_path=`command -v "$kernel_cand" 2>/dev/null` || continue
    case `"$kernel_path" -dumpmachine 2>/dev/null` in
    $3) KCC_$1=$kernel_path; break ;;
    esac
  done
])
AS_IF([test -n "$KCC_$1"], [
  AC_MSG_RESULT([$KCC_$1])
  kernel_prefix=`echo "$KCC_$1" | sed 's/gcc\(-[[0-9.]]*\)\{0,1\}$//'`
  KNM_$1=${KNM_$1:-${kernel_prefix}nm}
  AS_IF([command -v "$KNM_$1" >/dev/null 2>&1], [], [KNM_$1=nm])
  AC_MSG_CHECKING([whether $KCC_$1 builds freestanding code])
  echo 'int kernel_probe(void) { return 42; }' > conftest_kernel.c
  AS_IF(["$KCC_$1" -ffreestanding -nostdlib -c conftest_kernel.c -o conftest_kernel.o >&AS_MESSAGE_LOG_FD 2>&1],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no]); SKIP_$1="$KCC_$1 cannot compile freestanding code (install $5)"])
  rm -f conftest_kernel.c conftest_kernel.o
], [
  AC_MSG_RESULT([no])
  SKIP_$1="no $2 cross compiler found (install $5, or set KCC_$1=)"
])
AC_ARG_VAR([QEMU_$1], [QEMU system emulator for $2])
AC_PATH_PROG([QEMU_$1], [$6])
AS_IF([test -z "$SKIP_$1"], [kernel_build=yes; BUILD_ARCHES="$BUILD_ARCHES $2"], [kernel_build=no])
AS_IF([test -z "$SKIP_$1" && test -z "$QEMU_$1"], [SKIP_$1="$6 not found (install $7)"])
AS_IF([test -n "$SKIP_$1"], [kernel_line="SKIPPED: $SKIP_$1"],
  [kernel_line="$KCC_$1, $QEMU_$1"])
AS_IF([test "$kernel_build" = yes && test -n "$SKIP_$1"], [kernel_line="build only ($KCC_$1); not tested: $SKIP_$1"])
KERNEL_SUMMARY="$KERNEL_SUMMARY
  m4_format([%-8s], [$2]) $kernel_line"
AC_SUBST([KCC_$1])
AC_SUBST([KNM_$1])
AC_SUBST([SKIP_$1])
AM_CONDITIONAL([BUILD_$1], [test "$kernel_build" = yes])
])
