/* vm_test.c: user address spaces: mapping, unmapping, the checked user copies, and that
 * destroying a space gives every page back. */
#include <stdbool.h>
#include <stdint.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/ktest.h>
#include <kernel/trap.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <uapi/errno.h>
#include "mm_test.h"

#define VM_TEST_BASE 0x400000UL /* an ordinary user address, 4 MiB */
#define RW MMU_WRITE

/* The counters a test must leave as it found them. */
struct vm_test_baseline {
	struct page_stats pages;
	struct kmalloc_stats heap;
};

static void vm_test_baseline(struct vm_test_baseline *b)
{
	page_stats(&b->pages);
	kmalloc_stats(&b->heap);
}

static void vm_test_expect_back(const struct vm_test_baseline *b)
{
	struct vm_test_baseline now;

	vm_test_baseline(&now);
	KTEST_EXPECT_EQ(now.pages.free_pages, b->pages.free_pages);
	KTEST_EXPECT_EQ(now.heap.allocs_in_use, b->heap.allocs_in_use);
	KTEST_EXPECT_EQ(now.heap.bytes_in_use, b->heap.bytes_in_use);
}

static struct vm_space *vm_test_create(void)
{
	struct vm_space *vm = vm_create();

	KTEST_ASSERT(vm != NULL);
	return vm;
}

/* True when the page at va is mapped in vm (a one-byte copy from it works). */
static bool vm_test_mapped(struct vm_space *vm, uintptr_t va)
{
	char c;

	return copy_from_user(vm, &c, va, 1) == 0;
}

KTEST(vm_map_and_unmap_count_pages)
{
	struct vm_test_baseline base;
	struct page_stats mapped;
	struct vm_space *vm;

	vm_test_baseline(&base);
	vm = vm_test_create();
	KTEST_ASSERT_EQ(vm_map_anon(vm, VM_TEST_BASE, 4 * PAGE_SIZE, RW), 0);
	KTEST_EXPECT_EQ(vm->pages, 4);
	page_stats(&mapped);
	/* 4 pages, plus the root and three tables below it, plus the struct's slab page. */
	KTEST_EXPECT(base.pages.free_pages - mapped.free_pages >= 4 + 4);
	KTEST_EXPECT_EQ(vm_unmap(vm, VM_TEST_BASE + PAGE_SIZE, 2 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(vm->pages, 2);
	KTEST_EXPECT(vm_test_mapped(vm, VM_TEST_BASE));
	KTEST_EXPECT(!vm_test_mapped(vm, VM_TEST_BASE + PAGE_SIZE));
	KTEST_EXPECT(!vm_test_mapped(vm, VM_TEST_BASE + 2 * PAGE_SIZE));
	KTEST_EXPECT(vm_test_mapped(vm, VM_TEST_BASE + 3 * PAGE_SIZE));
	/* Unmapping what is not mapped is no error; the hole can be mapped again. */
	KTEST_EXPECT_EQ(vm_unmap(vm, VM_TEST_BASE + PAGE_SIZE, 2 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(vm_map_anon(vm, VM_TEST_BASE + PAGE_SIZE, PAGE_SIZE, 0), 0);
	KTEST_EXPECT_EQ(vm->pages, 3);
	vm_destroy(vm);
	vm_test_expect_back(&base);
}

KTEST(vm_map_and_unmap_reject_bad_ranges)
{
	uintptr_t end = arch_user_end();
	struct vm_space *vm = vm_test_create();

	KTEST_EXPECT_EQ(vm_map_anon(vm, VM_TEST_BASE + 1, PAGE_SIZE, RW), -EINVAL);
	KTEST_EXPECT_EQ(vm_map_anon(vm, VM_TEST_BASE, PAGE_SIZE + 1, RW), -EINVAL);
	KTEST_EXPECT_EQ(vm_map_anon(vm, VM_TEST_BASE, 0, RW), -EINVAL);
	KTEST_EXPECT_EQ(vm_map_anon(vm, end, PAGE_SIZE, RW), -EINVAL);
	KTEST_EXPECT_EQ(vm_map_anon(vm, end - PAGE_SIZE, 2 * PAGE_SIZE, RW), -EINVAL);
	KTEST_EXPECT_EQ(vm_map_anon(vm, -PAGE_SIZE, 2 * PAGE_SIZE, RW), -EINVAL);
	KTEST_EXPECT_EQ(vm_map_anon(vm, VM_TEST_BASE, PAGE_SIZE, 0x80), -EINVAL);
	KTEST_EXPECT_EQ(vm_unmap(vm, VM_TEST_BASE + 1, PAGE_SIZE), -EINVAL);
	KTEST_EXPECT_EQ(vm_unmap(vm, -PAGE_SIZE, 2 * PAGE_SIZE), -EINVAL);
	KTEST_EXPECT_EQ(vm->pages, 0);
	/* The last page of the user half is a page like any other. */
	KTEST_EXPECT_EQ(vm_map_anon(vm, end - PAGE_SIZE, PAGE_SIZE, RW), 0);
	KTEST_EXPECT(vm_test_mapped(vm, end - 1));
	vm_destroy(vm);
}

KTEST(vm_map_anon_overlap_changes_nothing)
{
	struct vm_space *vm = vm_test_create();

	KTEST_ASSERT_EQ(vm_map_anon(vm, VM_TEST_BASE + PAGE_SIZE, PAGE_SIZE, RW), 0);
	KTEST_EXPECT_EQ(vm_map_anon(vm, VM_TEST_BASE, 3 * PAGE_SIZE, RW), -EEXIST);
	KTEST_EXPECT_EQ(vm->pages, 1);
	KTEST_EXPECT(!vm_test_mapped(vm, VM_TEST_BASE));
	KTEST_EXPECT(!vm_test_mapped(vm, VM_TEST_BASE + 2 * PAGE_SIZE));
	vm_destroy(vm);
}

/* The copies have two paths (mm/vm.c): through the page tables for a space that is not
 * loaded on this CPU, through the user addresses for the one that is. Each test of the
 * copies below runs twice, once each way: vm_test_load(vm, true) loads vm, with interrupts
 * off so that the thread stays on this CPU and the scheduler does not load another space
 * meanwhile, and vm_test_unload() undoes it. Returns what vm_test_unload() needs. */
static unsigned long vm_test_load(struct vm_space *vm, bool loaded)
{
	unsigned long flags = 0;

	if (loaded) {
		flags = arch_irq_save();
		vm_activate(vm);
	}
	return flags;
}

static void vm_test_unload(bool loaded, unsigned long flags)
{
	if (loaded) {
		vm_activate(NULL);
		arch_irq_restore(flags);
	}
}

static void vm_test_round_trip_across_pages(bool loaded)
{
	static unsigned char out[5000], in[5000];
	uintptr_t at = VM_TEST_BASE + PAGE_SIZE - 100; /* spans three pages */
	struct vm_space *vm = vm_test_create();
	unsigned long flags;
	size_t i;

	for (i = 0; i < sizeof out; i++)
		out[i] = (unsigned char)(i * 7 + 3);
	KTEST_ASSERT_EQ(vm_map_anon(vm, VM_TEST_BASE, 3 * PAGE_SIZE, RW), 0);
	flags = vm_test_load(vm, loaded);
	KTEST_EXPECT_EQ(copy_to_user(vm, at, out, sizeof out), 0);
	memset(in, 0, sizeof in);
	KTEST_EXPECT_EQ(copy_from_user(vm, in, at, sizeof in), 0);
	KTEST_EXPECT(memcmp(in, out, sizeof in) == 0);
	/* Fresh pages are zero around what was written. */
	KTEST_EXPECT_EQ(copy_from_user(vm, in, VM_TEST_BASE, 16), 0);
	KTEST_EXPECT(in[0] == 0 && in[15] == 0);
	KTEST_EXPECT_EQ(copy_to_user(vm, at, out, 0), 0);
	vm_test_unload(loaded, flags);
	vm_destroy(vm);
}

KTEST(vm_copy_round_trip_across_pages)
{
	vm_test_round_trip_across_pages(false);
}

KTEST(vm_copy_loaded_round_trip_across_pages)
{
	vm_test_round_trip_across_pages(true);
}

static void vm_test_rejects_bad_ranges(bool loaded)
{
	static const char kernel_data[16] = "kernel";
	uintptr_t end = arch_user_end();
	struct vm_space *vm = vm_test_create();
	unsigned long flags;
	char buf[16];

	/* Pages 0 and 2 mapped, page 1 not: a range over all three must fail as a whole. */
	KTEST_ASSERT_EQ(vm_map_anon(vm, VM_TEST_BASE, PAGE_SIZE, RW), 0);
	KTEST_ASSERT_EQ(vm_map_anon(vm, VM_TEST_BASE + 2 * PAGE_SIZE, PAGE_SIZE, RW), 0);
	KTEST_ASSERT_EQ(vm_map_anon(vm, end - PAGE_SIZE, PAGE_SIZE, RW), 0);

	flags = vm_test_load(vm, loaded);
	KTEST_EXPECT_EQ(copy_from_user(vm, buf, 0, 8), -EFAULT);
	KTEST_EXPECT_EQ(copy_to_user(vm, 0, "x", 1), -EFAULT);
	KTEST_EXPECT_EQ(copy_from_user(vm, buf, (uintptr_t)kernel_data, 8), -EFAULT);
	KTEST_EXPECT_EQ(copy_to_user(vm, (uintptr_t)buf, "x", 1), -EFAULT);
	KTEST_EXPECT_EQ(copy_from_user(vm, buf, -8UL, 16), -EFAULT);
	KTEST_EXPECT_EQ(copy_from_user(vm, buf, end - 8, 16), -EFAULT);
	KTEST_EXPECT_EQ(copy_from_user(vm, buf, end - 16, 16), 0);

	memset(buf, 'k', sizeof buf);
	KTEST_EXPECT_EQ(copy_to_user(vm, VM_TEST_BASE + PAGE_SIZE - 8, buf, PAGE_SIZE + 16),
			-EFAULT);
	KTEST_EXPECT_EQ(copy_from_user(vm, buf, VM_TEST_BASE + PAGE_SIZE - 8, 8), 0);
	KTEST_EXPECT(buf[0] == 0 && buf[7] == 0); /* the failed copy wrote nothing */
	memset(buf, 'k', sizeof buf);
	KTEST_EXPECT_EQ(copy_from_user(vm, buf, VM_TEST_BASE + PAGE_SIZE - 8, PAGE_SIZE + 16),
			-EFAULT);
	KTEST_EXPECT(buf[0] == 'k' && buf[15] == 'k');
	vm_test_unload(loaded, flags);
	vm_destroy(vm);
}

KTEST(vm_copy_rejects_bad_ranges_and_copies_nothing)
{
	vm_test_rejects_bad_ranges(false);
}

KTEST(vm_copy_loaded_rejects_bad_ranges_and_copies_nothing)
{
	vm_test_rejects_bad_ranges(true);
}

static void vm_test_refuses_read_only_page(bool loaded)
{
	struct vm_space *vm = vm_test_create();
	char buf[4] = "abc";
	unsigned long flags;

	KTEST_ASSERT_EQ(vm_map_anon(vm, VM_TEST_BASE, PAGE_SIZE, 0), 0);
	flags = vm_test_load(vm, loaded);
	KTEST_EXPECT_EQ(copy_to_user(vm, VM_TEST_BASE, buf, 4), -EFAULT);
	KTEST_EXPECT_EQ(copy_from_user(vm, buf, VM_TEST_BASE, 4), 0);
	KTEST_EXPECT(buf[0] == 0);
	/* The kernel itself may fill a read-only page (a program's text). */
	KTEST_EXPECT_EQ(vm_write_kernel(vm, VM_TEST_BASE, "xyz", 4), 0);
	KTEST_EXPECT_EQ(copy_from_user(vm, buf, VM_TEST_BASE, 4), 0);
	KTEST_EXPECT_STREQ(buf, "xyz");
	vm_test_unload(loaded, flags);
	vm_destroy(vm);
}

KTEST(vm_copy_to_user_refuses_read_only_page)
{
	vm_test_refuses_read_only_page(false);
}

KTEST(vm_copy_loaded_to_user_refuses_read_only_page)
{
	vm_test_refuses_read_only_page(true);
}

static void vm_test_user_ok(bool loaded)
{
	struct vm_space *vm = vm_test_create();
	uintptr_t ro = VM_TEST_BASE + PAGE_SIZE, hole = VM_TEST_BASE + 2 * PAGE_SIZE;
	unsigned long flags;

	KTEST_ASSERT_EQ(vm_map_anon(vm, VM_TEST_BASE, PAGE_SIZE, RW), 0);
	KTEST_ASSERT_EQ(vm_map_anon(vm, ro, PAGE_SIZE, 0), 0);
	flags = vm_test_load(vm, loaded);
	KTEST_EXPECT_EQ(vm_user_ok(vm, VM_TEST_BASE, PAGE_SIZE, true), 0);
	KTEST_EXPECT_EQ(vm_user_ok(vm, VM_TEST_BASE + 8, 2 * PAGE_SIZE - 16, false), 0);
	KTEST_EXPECT_EQ(vm_user_ok(vm, VM_TEST_BASE + 8, 2 * PAGE_SIZE - 16, true), -EFAULT);
	KTEST_EXPECT_EQ(vm_user_ok(vm, ro, PAGE_SIZE + 1, false), -EFAULT);
	KTEST_EXPECT_EQ(vm_user_ok(vm, hole, 1, false), -EFAULT);
	KTEST_EXPECT_EQ(vm_user_ok(vm, hole + 1, 0, true), 0);
	KTEST_EXPECT_EQ(vm_user_ok(vm, -8UL, 16, false), -EFAULT);
	vm_test_unload(loaded, flags);
	vm_destroy(vm);
}

KTEST(vm_user_ok_checks_as_the_copies_would)
{
	vm_test_user_ok(false);
}

KTEST(vm_user_ok_loaded_checks_as_the_copies_would)
{
	vm_test_user_ok(true);
}

KTEST(vm_strncpy_from_user_stops_at_nul_limit_or_hole)
{
	uintptr_t last = VM_TEST_BASE + PAGE_SIZE; /* page 1 is mapped, page 2 is not */
	struct vm_space *vm = vm_test_create();
	char dst[16];

	KTEST_ASSERT_EQ(vm_map_anon(vm, VM_TEST_BASE, 2 * PAGE_SIZE, RW), 0);
	/* "hello" across the boundary of pages 0 and 1. */
	KTEST_ASSERT_EQ(copy_to_user(vm, last - 3, "hello", 6), 0);
	KTEST_EXPECT_EQ(strncpy_from_user(vm, dst, last - 3, 6), 5);
	KTEST_EXPECT_STREQ(dst, "hello");
	KTEST_EXPECT_EQ(strncpy_from_user(vm, dst, last - 3, 5), -ENAMETOOLONG);
	KTEST_EXPECT_EQ(strncpy_from_user(vm, dst, last - 3, 0), -ENAMETOOLONG);
	KTEST_EXPECT_EQ(strncpy_from_user(vm, dst, last - 1, 16), 3);
	/* A string whose NUL is the last byte before the hole is fine... */
	last += PAGE_SIZE;
	KTEST_ASSERT_EQ(copy_to_user(vm, last - 4, "end", 4), 0);
	KTEST_EXPECT_EQ(strncpy_from_user(vm, dst, last - 4, 16), 3);
	KTEST_EXPECT_STREQ(dst, "end");
	/* ...but one that runs on into it is not. */
	KTEST_ASSERT_EQ(copy_to_user(vm, last - 4, "endless", 4), 0);
	KTEST_EXPECT_EQ(strncpy_from_user(vm, dst, last - 4, 16), -EFAULT);
	KTEST_EXPECT_EQ(strncpy_from_user(vm, dst, 0, 16), -EFAULT);
	KTEST_EXPECT_EQ(strncpy_from_user(vm, dst, (uintptr_t)"kernel", 16), -EFAULT);
	vm_destroy(vm);
}

/* Mappings far apart need their own tables at every level; destroying the space must free
 * the pages, the tables and the struct, leaving the counters exactly where they were. */
KTEST(vm_destroy_returns_every_page)
{
	uintptr_t end = arch_user_end();
	struct vm_test_baseline base;
	struct vm_space *vm;

	vm_test_baseline(&base);
	vm = vm_test_create();
	KTEST_ASSERT_EQ(vm_map_anon(vm, PAGE_SIZE, PAGE_SIZE, RW), 0);
	KTEST_ASSERT_EQ(vm_map_anon(vm, VM_TEST_BASE, 300 * PAGE_SIZE, RW | MMU_EXEC), 0);
	KTEST_ASSERT_EQ(vm_map_anon(vm, 1UL << 30, 2 * PAGE_SIZE, 0), 0);
	KTEST_ASSERT_EQ(vm_map_anon(vm, 1UL << 40, PAGE_SIZE, RW), 0);
	KTEST_ASSERT_EQ(vm_map_anon(vm, end - 2 * PAGE_SIZE, 2 * PAGE_SIZE, RW), 0);
	KTEST_EXPECT_EQ(vm->pages, 1 + 300 + 2 + 1 + 2);
	vm_destroy(vm);
	vm_test_expect_back(&base);
}

/* With only a few pages left, a large mapping fails part way: -ENOMEM, and the pages it had
 * mapped so far are taken out again. */
KTEST(vm_map_anon_out_of_memory_leaves_nothing_mapped)
{
	struct vm_test_baseline base;
	struct vm_space *vm;
	size_t count;
	void *chain;
	int err;

	vm_test_baseline(&base);
	vm = vm_test_create();
	chain = mm_test_take_all(0, &count);
	chain = mm_test_free_some(chain, 0, 8); /* 3 tables and 5 of the 16 pages */
	err = vm_map_anon(vm, VM_TEST_BASE, 16 * PAGE_SIZE, RW);
	mm_test_free_some(chain, 0, SIZE_MAX);
	KTEST_EXPECT_EQ(err, -ENOMEM);
	KTEST_EXPECT_EQ(vm->pages, 0);
	KTEST_EXPECT(!vm_test_mapped(vm, VM_TEST_BASE));
	vm_destroy(vm);
	vm_test_expect_back(&base);
}

static void vm_test_read(void *arg)
{
	(void)*(volatile const char *)arg;
}

static void vm_test_write(void *arg)
{
	*(volatile char *)arg = 1;
}

/* The page tables are the hardware's, not only ours: with the space active, the CPU
 * finds the data at the user address, faults on a write to a read-only page, and faults
 * after vm_unmap() (whose TLB flush must drop the translation it used a moment before).
 * Only this test touches user addresses directly, to watch the CPU: the kernel does not
 * enable SMAP, so ring 0 may. Interrupts stay off from vm_activate() on, so that this
 * thread is neither moved to another CPU nor switched back to the kernel's tables by the
 * scheduler meanwhile; and nothing in between may end the test early. */
KTEST(vm_mappings_are_what_the_cpu_sees)
{
	struct vm_space *vm = vm_test_create();
	struct trap_info ti = { .fault_addr = 0 }, tj = { .fault_addr = 0 };
	bool seen, write_faulted, read_faulted;
	unsigned long flags;
	int unmapped;

	KTEST_ASSERT_EQ(vm_map_anon(vm, VM_TEST_BASE, PAGE_SIZE, RW), 0);
	KTEST_ASSERT_EQ(vm_map_anon(vm, VM_TEST_BASE + PAGE_SIZE, PAGE_SIZE, 0), 0);
	KTEST_ASSERT_EQ(copy_to_user(vm, VM_TEST_BASE, "cpu", 4), 0);
	flags = arch_irq_save();
	vm_activate(vm);
	seen = memcmp((const void *)VM_TEST_BASE, "cpu", 4) == 0;
	write_faulted = trap_catch_run(vm_test_write, (void *)(VM_TEST_BASE + PAGE_SIZE), &ti);
	unmapped = vm_unmap(vm, VM_TEST_BASE, PAGE_SIZE);
	read_faulted = trap_catch_run(vm_test_read, (void *)VM_TEST_BASE, &tj);
	vm_activate(NULL);
	arch_irq_restore(flags);
	KTEST_EXPECT(seen);
	KTEST_EXPECT(write_faulted);
	KTEST_EXPECT_EQ(ti.fault_addr, VM_TEST_BASE + PAGE_SIZE);
	KTEST_EXPECT_EQ(unmapped, 0);
	KTEST_EXPECT(read_faulted);
	KTEST_EXPECT_EQ(tj.fault_addr, VM_TEST_BASE);
	vm_destroy(vm);
}
