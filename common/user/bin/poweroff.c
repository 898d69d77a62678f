/* poweroff: stop the machine; under QEMU, end QEMU with an exit status.
 *
 *   poweroff [STATUS]       STATUS 0 to 255, default 0
 *
 * Only root may (the kernel answers anyone else with EPERM). Scripts run by `make demo`
 * end this way, and the status becomes QEMU's: a test script can fail its run. */
#include <ulib/args.h>
#include <ulib/error.h>
#include <ulib/syscall.h>

int main(int argc, char **argv)
{
	long status = 0;

	if (argc > 2 || (argc == 2 && !args_number(argv[1], 10, 0, 255, &status)))
		args_usage("poweroff [STATUS]   (STATUS: 0 to 255)");
	uerror("poweroff", NULL, sys_poweroff((int)status));
	return 1;
}
