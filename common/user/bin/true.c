/* true: do nothing, successfully (exit status 0), like the Unix tool. Being the smallest
 * program, it also shows what crt0.S and exit() alone take. */
int main(void)
{
	return 0;
}
