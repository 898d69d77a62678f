# stage4/layer.mk: the sources this stage adds to the kernel (included by mk/kernel.mk).

# ---- IPC channels ----
KSRCS += stage4/ipc/chan.c
KSRCS += stage4/ipc/chan_core.c
KSRCS += stage4/ipc/chan_dir.c
KSRCS += stage4/ipc/chan_stat.c
KSRCS += stage4/ipc/chan_syscall.c
KSRCS += stage4/ipc/klogd.c

# ---- notifications ----
KSRCS += stage4/ipc/ntfy.c
KSRCS += stage4/ipc/ntfy_core.c
KSRCS += stage4/ipc/ntfy_syscall.c

# ---- in-kernel tests ----
KSRCS += stage4/ktests/chan_test.c
KSRCS += stage4/ktests/chan_stat_test.c
KSRCS += stage4/ktests/chan_scale_test.c
KSRCS += stage4/ktests/klog_test.c

# ---- user library, libu.a: wrappers of stage 4's system calls ----
ULIBSRCS += stage4/model/chan_model.c
ULIBSRCS += stage4/model/ipc_model.c
ULIBSRCS += stage4/model/ntfy_model.c
ULIBSRCS += stage4/user/lib/agent.c
ULIBSRCS += stage4/user/lib/chanstat.c
ULIBSRCS += stage4/user/lib/ipc.c
ULIBSRCS += stage4/user/lib/ntfystat.c

# ---- user programs ----
UPROGS += stage4/user/bin/dmesg.c
UPROGS += stage4/user/bin/ipcbench.c
UPROGS += stage4/user/bin/ipcstat.c
UPROGS += stage4/user/bin/ipcwatch.c
UPROGS += stage4/user/bin/mkchan.c
UPROGS += stage4/user/bin/ntfysrv.c
UPROGS += stage4/user/bin/timeq.c
UPROGS += stage4/user/bin/timesrv.c
UPROGS += stage4/user/tests/callstress.c
UPROGS += stage4/user/tests/chanprop.c
UPROGS += stage4/user/tests/chanstress.c
UPROGS += stage4/user/tests/chantest.c
UPROGS += stage4/user/tests/ntfyprop.c
UPROGS += stage4/user/tests/ntfyrace.c
UPROGS += stage4/user/tests/ntfytest.c
UPROGS += stage4/user/tests/svctest.c

# ---- data files: /etc/NAME ----
UFILES += stage4/user/etc/bench.sh
UFILES += stage4/user/etc/ipcdemo.sh
UFILES += stage4/user/etc/rc
