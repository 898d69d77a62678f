/* hello: the first user test program. It checks that a process starts as the process ABI
 * says (crt0.S), that system calls reach the kernel and come back with results and
 * errors, and that the library's allocator and threads work. The kernel runs it with
 * utest=hello (make check: utest-x86_64-hello.qtest). */
#include <stdint.h>
#include <lib/prng.h>
#include <lib/prop.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/thread.h>
#include <ulib/utest.h>

#define HELLO_BLOCKS 64             /* blocks alive at once in the malloc property */
#define HELLO_MAX_SIZE 16384        /* their largest size */
#define HELLO_THREADS 4

/* main()'s arguments, for the test of the start-up ABI. */
static int hello_argc;
static char **hello_argv;

UTEST(argv_holds_program_name)
{
	UTEST_ASSERT(hello_argc >= 1);
	UTEST_EXPECT_STREQ(hello_argv[0], "hello");
	UTEST_EXPECT(hello_argv[hello_argc] == NULL);
}

UTEST(getpid_is_positive)
{
	UTEST_EXPECT(sys_getpid() > 0);
}

UTEST(write_returns_byte_count)
{
	static const char line[] = "# this line was written with sys_write\n";

	UTEST_EXPECT_EQ(sys_write(1, line, sizeof line - 1), sizeof line - 1);
}

UTEST(write_rejects_bad_fd_and_pointer)
{
	UTEST_EXPECT_EQ(sys_write(7, "x", 1), -EBADF);
	UTEST_EXPECT_EQ(sys_write(1, (const void *)8, 1), -EFAULT);   /* page 0 is never mapped */
}

UTEST(clock_ns_advances)
{
	long t0 = sys_clock_ns();

	UTEST_ASSERT(t0 > 0);
	UTEST_ASSERT_EQ(sys_sleep_ns(1000000), 0);
	UTEST_EXPECT(sys_clock_ns() - t0 >= 1000000);
}

/* True when all n bytes at p are byte. */
static bool hello_filled(const unsigned char *p, size_t n, unsigned char byte)
{
	while (n--)
		if (*p++ != byte)
			return false;
	return true;
}

/* Free the n blocks of p in a random order (Fisher-Yates shuffle of the indexes). */
static void hello_free_shuffled(struct prng *rng, unsigned char **p, unsigned n)
{
	while (n > 0) {
		unsigned i = (unsigned)prng_below(rng, n--);
		unsigned char *tmp = p[i];

		p[i] = p[n];
		p[n] = tmp;
		free(p[n]);
	}
}

/* One case: up to HELLO_BLOCKS live blocks of random sizes (0 to HELLO_MAX_SIZE bytes),
 * each 16-byte aligned and filled with its own byte; none may be overwritten by another
 * before all are freed in a random order. (A failing case leaks its blocks.) */
static int hello_prop_malloc(struct prop_case *c, void *arg)
{
	unsigned char *p[HELLO_BLOCKS];
	size_t size[HELLO_BLOCKS];
	unsigned i, n = 1 + (unsigned)prng_below(&c->rng, HELLO_BLOCKS);

	for (i = 0; i < n; i++) {
		size[i] = prng_range(&c->rng, 0, HELLO_MAX_SIZE);
		p[i] = malloc(size[i]);
		if (!p[i] || (uintptr_t)p[i] % 16 != 0)
			return prop_fail(c, "malloc(%zu) returned %p", size[i], (void *)p[i]);
		memset(p[i], (int)i + 1, size[i]);
		prop_observe(c, size[i]);
	}
	for (i = 0; i < n; i++)
		if (!hello_filled(p[i], size[i], (unsigned char)(i + 1)))
			return prop_fail(c, "block %u of %zu bytes was overwritten", i, size[i]);
	hello_free_shuffled(&c->rng, p, n);
	return 0;
}

UTEST(malloc_many_sizes)
{
	UTEST_EXPECT_EQ(prop_check(utest_tap(), "malloc_many_sizes", 200, hello_prop_malloc,
				   NULL), 0);
}

/* A 2 MiB block gets a heap region of its own (nothing else in this program is that
 * large). Cut into 16 blocks of 100 KiB, which only that region can hold, and freed again
 * (every other block first, so the rest merge on both sides), the region must become one
 * free block again: the next 2 MiB block then lands exactly where the first one was. */
UTEST(malloc_merges_freed_blocks)
{
	void *big = malloc(2 << 20), *p[16];
	uintptr_t first = (uintptr_t)big;
	unsigned i;

	UTEST_ASSERT(big != NULL);
	free(big);
	for (i = 0; i < 16; i++) {
		p[i] = malloc(100 << 10);
		UTEST_ASSERT(p[i] != NULL);
	}
	for (i = 0; i < 16; i += 2)
		free(p[i]);
	for (i = 1; i < 16; i += 2)
		free(p[i]);
	big = malloc(2 << 20);
	UTEST_EXPECT_EQ((uintptr_t)big, first);
	free(big);
}

UTEST(calloc_zeroes_and_realloc_keeps_contents)
{
	unsigned char *p = malloc(100), *q;

	UTEST_ASSERT(p != NULL);
	memset(p, 0xaa, 100);
	free(p);
	p = calloc(100, 1);              /* most likely the dirty block just freed */
	UTEST_ASSERT(p != NULL);
	UTEST_EXPECT(hello_filled(p, 100, 0));
	memset(p, 0x5a, 100);
	q = realloc(p, 5000);
	UTEST_ASSERT(q != NULL);
	UTEST_EXPECT(hello_filled(q, 100, 0x5a));
	free(q);
	UTEST_EXPECT(calloc(SIZE_MAX / 2, 4) == NULL);
}

/* A thread of uthread_runs_and_joins: allocate and free from several threads at once
 * (malloc's lock at work), then end with a code that says which thread this was. */
static int hello_thread(void *arg)
{
	unsigned index = (unsigned)(uintptr_t)arg, i;

	for (i = 0; i < 1000; i++)
		free(malloc(16 + (i * 7 + index) % 500));
	return 100 + (int)index;
}

UTEST(uthread_runs_and_joins)
{
	struct uthread t[HELLO_THREADS];
	unsigned i;
	int code;

	for (i = 0; i < HELLO_THREADS; i++)
		UTEST_ASSERT_EQ(uthread_create(&t[i], hello_thread, (void *)(uintptr_t)i), 0);
	for (i = 0; i < HELLO_THREADS; i++) {
		UTEST_EXPECT(t[i].tid != sys_gettid());
		code = -1;
		UTEST_EXPECT_EQ(uthread_join(&t[i], &code), 0);
		UTEST_EXPECT_EQ(code, 100 + (int)i);
	}
}

int main(int argc, char **argv)
{
	hello_argc = argc;
	hello_argv = argv;
	printf("hello from user space\n");
	return utest_main(argc, argv);
}
