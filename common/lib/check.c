/* check.c: the comparisons of the test assertions (lib/check.h). */
#include <lib/check.h>
#include <lib/fmt.h>
#include <lib/string.h>

bool check_eq(long long a, long long b, const char *ea, const char *eb, char *msg, size_t n)
{
	if (a == b)
		return true;
	snprintf(msg, n, "expected %s == %s: got %lld (0x%llx) and %lld (0x%llx)", ea, eb, a,
		 (unsigned long long)a, b, (unsigned long long)b);
	return false;
}

bool check_streq(const char *a, const char *b, const char *ea, const char *eb, char *msg,
		 size_t n)
{
	if (a && b && strcmp(a, b) == 0)
		return true;
	snprintf(msg, n, "expected %s == %s: got \"%s\" and \"%s\"", ea, eb, a ? a : "(null)",
		 b ? b : "(null)");
	return false;
}
