# /etc/demo.sh: what `make demo` runs (the kernel boots with init=/etc/demo.sh).
# It shows the namespace, processes and permissions, then powers off.
echo "== the namespace"
ls /
ls -l /dev
echo "== a file in /tmp, written and read back"
echo "hello, kernel" > /tmp/greeting
cat /tmp/greeting
ls -l /tmp
echo "this line goes nowhere" > /dev/null
echo "== who am I, and what runs"
id
cat /kfs/procs
echo "== permissions: a private file and another user"
echo "secret" > /tmp/secret
chmod 600 /tmp/secret
su 1000 cat /tmp/secret
echo "exit status of that: $?"
echo "== memory"
cat /kfs/meminfo
echo "== done"
