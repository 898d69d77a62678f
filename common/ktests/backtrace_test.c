/* backtrace_test.c: the symbol table and the frame walk name the right functions. */
#include <arch/boot.h>
#include <kernel/backtrace.h>
#include <kernel/compiler.h>
#include <kernel/ktest.h>

static uintptr_t bt_pcs[8];
static size_t bt_n;

/* No tail calls here: a tail call reuses the caller's frame, and the frame this test looks
 * for would be gone from the chain. */
#define BT_NO_TAIL_CALLS __attribute__((optimize("no-optimize-sibling-calls")))

static __noinline BT_NO_TAIL_CALLS void backtrace_test_inner(void)
{
	bt_n = backtrace_collect(bt_pcs, ARRAY_SIZE(bt_pcs));
}

static __noinline BT_NO_TAIL_CALLS void backtrace_test_outer(void)
{
	backtrace_test_inner();
}

/* The name of the function a return address points into. */
static const char *bt_name(uintptr_t pc)
{
	uintptr_t off;

	return ksym_lookup(pc - 1, &off);
}

KTEST(backtrace_names_callers_in_order)
{
	backtrace_test_outer();
	KTEST_ASSERT(bt_n >= 3);
	KTEST_EXPECT_STREQ(bt_name(bt_pcs[0]), "backtrace_test_inner");
	KTEST_EXPECT_STREQ(bt_name(bt_pcs[1]), "backtrace_test_outer");
	KTEST_EXPECT_STREQ(bt_name(bt_pcs[2]), "ktest_fn_backtrace_names_callers_in_order");
}

KTEST(ksym_lookup_gives_name_and_offset)
{
	uintptr_t off = 0;

	KTEST_EXPECT_STREQ(ksym_lookup((uintptr_t)kmain, &off), "kmain");
	KTEST_EXPECT_EQ(off, 0);
	KTEST_EXPECT_STREQ(ksym_lookup((uintptr_t)kmain + 3, &off), "kmain");
	KTEST_EXPECT_EQ(off, 3);
	KTEST_EXPECT(ksym_lookup(0, &off) == NULL);
	KTEST_EXPECT(ksym_lookup((uintptr_t)&bt_n, &off) == NULL);
}
