# /etc/bench.sh: what `make bench` runs (the kernel boots with init=/etc/bench.sh, under
# QEMU -icount shift=0 on 2 CPUs): stage 4's IPC benchmark. Its figures in nanoseconds are
# guest instructions there (lab-guides/stage4.md, "Benchmarks").
ipcbench
