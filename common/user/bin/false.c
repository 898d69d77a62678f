/* false: do nothing, unsuccessfully (exit status 1), like the Unix tool. Scripts use it
 * to test a shell's handling of failure: `false; echo $?` prints 1. */
int main(void)
{
	return 1;
}
