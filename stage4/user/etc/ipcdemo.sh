# /etc/ipcdemo.sh: what `make demo` runs in stage 4 (the kernel boots with
# init=/etc/ipcdemo.sh): a producer and a consumer process talk through a channel, then
# ipcstat shows what the channel counted; then one server thread serves three channels,
# woken by notifications (ntfysrv), while ipcwatch prints the notifications it sees.
# init powers off with the script's status.
echo "== a channel is a name under /ipc: 4 messages of at most 64 bytes"
mkchan -c 4 -s 64 /ipc/demo
ls -l /ipc
echo "== one write is one message: echo writes one into the channel, cat reads it"
echo hello > /ipc/demo
ls -l /ipc/demo
cat /ipc/demo
echo "== a producer in the background, a consumer in front"
sh -c "echo one; sleep 500ms; echo two; sleep 500ms; echo three" > /ipc/demo &
cat /ipc/demo
echo "== cat has ended: the producer closed the channel, the end of file"
wait
echo "== what the channel counted"
ipcstat
rm /ipc/demo
echo "== notifications: ntfysrv serves /ipc/ns/req0..2 from one thread, ipcwatch watches"
ntfysrv /ipc/ns 3 &
sleep 200ms
ipcwatch -n 40 /ipc/ns /ipc/ns/req0 /ipc/ns/req2 &
sleep 200ms
ntfysrv -c /ipc/ns/req0 hello from req0
ntfysrv -c /ipc/ns/req2 and from req2
echo "== what the channels and the endpoints counted"
ipcstat
echo "== quit: the server removes its channels, so ipcwatch sees them gone and ends"
ntfysrv -q /ipc/ns/req0
wait
echo "== done"
