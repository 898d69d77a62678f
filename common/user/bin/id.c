/* id: print who this process runs as: "uid=N gid=N". Users and groups are numbers only;
 * 0 is root. `su 1000 id` shows what su changes. */
#include <ulib/stdio.h>
#include <ulib/syscall.h>

int main(void)
{
	printf("uid=%d gid=%d\n", sys_getuid(), sys_getgid());
	return 0;
}
