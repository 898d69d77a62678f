/* vm.c: user address spaces and the user-memory copies (mm/vm.h).
 *
 * A vm_space owns every page mapped in its user half: vm_map_anon() allocates them,
 * vm_unmap() and vm_destroy() free them. The kernel reads and writes user memory only here,
 * in one of two ways (lab-guides/benchmarking.md, "Where the instructions go"):
 *  - the fast path, when the space is the one loaded on this CPU (a process copying its
 *    own buffer, which is what system calls do): through the user address itself, with
 *    arch_user_copy(), so the CPU checks every page as it copies; a page it refuses is a
 *    page fault that the port's trap handler turns into -EFAULT here. No walk, no lock.
 *  - the slow path, for any other space (loading a program into a new process): look each
 *    page up in the space's page tables (arch_mmu_translate) and copy through the direct
 *    map, under vm->lock, so no other thread can unmap (and free) a page between the
 *    lookup and the copy.
 * Either way a page is freed only after every CPU has dropped its translation (the TLB
 * shootdown in vm_unmap_range()), so a copy never touches a page that has been freed.
 *
 * vm_map_anon(), vm_unmap() and vm_destroy() may wait for the other CPUs to flush their
 * TLBs (tlb_shootdown_others), so they must be called with no spinlock held. */
#include <stdbool.h>
#include <stdint.h>
#include <uapi/errno.h>
#include <arch/mmu.h>
#include <arch/uaccess.h>
#include <kernel/compiler.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/vm.h>

/* Pages unmapped per round of vm_unmap_range(): their physical addresses wait on the stack
 * for the TLB shootdown, so the batch is bounded rather than allocated. */
#define VM_UNMAP_BATCH 64

/* True when [va, va + len) lies inside the user half; an empty range at its end does too. */
bool vm_range_ok(uintptr_t va, size_t len)
{
	uintptr_t end = arch_user_end();

	/* Written so that nothing overflows: va + len could wrap around to a small number. */
	return len <= end && va <= end - len;
}

/* The arguments of vm_map_anon() and vm_unmap(): a non-empty, page-aligned user range. */
static bool vm_pages_ok(uintptr_t va, size_t len)
{
	return len > 0 && (va & (PAGE_SIZE - 1)) == 0 && (len & (PAGE_SIZE - 1)) == 0 &&
	       vm_range_ok(va, len);
}

/* A new space: the struct from kmalloc, a root table with the kernel half from the port.
 * Returns NULL when either allocation fails. */
struct vm_space *vm_create(void)
{
	struct vm_space *vm = kmalloc(sizeof *vm);

	if (!vm)
		return NULL;
	if (arch_mmu_create(&vm->root) < 0) {
		kfree(vm);
		return NULL;
	}
	spin_init(&vm->lock, "vm", LOCK_ORDER_VM);
	vm->pages = 0;
	return vm;
}

/* ---- unmapping ---- */

/* Unmap up to VM_UNMAP_BATCH mapped pages from [*va, end), flushing each from this CPU's
 * TLB, and store their physical addresses in batch. Advances *va past the last one (to end
 * when none is left). Returns how many. Locks: vm->lock held. */
static size_t vm_unmap_batch(struct vm_space *vm, uintptr_t *va, uintptr_t end,
			     uint64_t *batch)
{
	uintptr_t found;
	uint64_t pa;
	size_t n = 0;
	int err;

	kassert(spin_held(&vm->lock));
	while (n < VM_UNMAP_BATCH && arch_mmu_next_mapped(vm->root, *va, end, &found, &pa)) {
		err = arch_mmu_unmap(vm->root, found, &pa);
		kassert(err == 0);
		arch_tlb_flush_page(found);
		batch[n++] = pa;
		vm->pages--;
		*va = found + PAGE_SIZE;
	}
	if (n < VM_UNMAP_BATCH)
		*va = end;
	return n;
}

/* LAB(kernel-core): TLB shootdown. Unmap and free every page of [va, end), a batch at a
 * time. Another CPU running a thread of this space may still hold a page's old translation
 * in its TLB, and could go on writing to the page through it; so a page is freed only after
 * tlb_shootdown_others() has returned, which is done with vm->lock dropped (it waits for
 * the other CPUs, which must not wait for our lock meanwhile). */
static void vm_unmap_range(struct vm_space *vm, uintptr_t va, uintptr_t end)
{
	uint64_t batch[VM_UNMAP_BATCH];
	size_t n, i;

	while (va < end) {
		spin_lock(&vm->lock);
		n = vm_unmap_batch(vm, &va, end, batch);
		spin_unlock(&vm->lock);
		if (n == 0)
			break;
		tlb_shootdown_others();
		for (i = 0; i < n; i++)
			page_free(page_from_phys(batch[i]), 0);
	}
}

/* Unmap and free the mapped pages of a page-aligned user range. Returns 0 or -EINVAL. */
int vm_unmap(struct vm_space *vm, uintptr_t va, size_t len)
{
	if (!vm_pages_ok(va, len))
		return -EINVAL;
	vm_unmap_range(vm, va, va + len);
	return 0;
}

/* Free every page of the user half, then the tables and the struct. The space must not be
 * active on any CPU. */
void vm_destroy(struct vm_space *vm)
{
	vm_unmap_range(vm, 0, arch_user_end());
	kassert(vm->pages == 0);
	arch_mmu_destroy(vm->root);
	kfree(vm);
}

/* ---- mapping ---- */

/* Map a fresh zeroed page at each page of [va, va + len) with prot. Returns 0, or -ENOMEM
 * with *done set to how many bytes from va were mapped before it ran out. Locks: vm->lock
 * held. */
static int vm_map_pages(struct vm_space *vm, uintptr_t va, size_t len, unsigned prot,
			size_t *done)
{
	kassert(spin_held(&vm->lock));
	for (*done = 0; *done < len; *done += PAGE_SIZE) {
		void *page = page_alloc(0);

		if (!page)
			return -ENOMEM;
		if (arch_mmu_map(vm->root, va + *done, page_to_phys(page), prot) < 0) {
			page_free(page, 0);
			return -ENOMEM;
		}
		vm->pages++;
	}
	return 0;
}

/* Check first, then map: -EEXIST leaves the space untouched. Running out of memory half
 * way is only found out while mapping, so the pages mapped so far are taken out again,
 * through the same path as vm_unmap() (they may already be in another CPU's TLB). */
int vm_map_anon(struct vm_space *vm, uintptr_t va, size_t len, unsigned prot)
{
	uintptr_t found;
	uint64_t pa;
	size_t done = 0;
	int err;

	if (!vm_pages_ok(va, len) || (prot & ~(MMU_WRITE | MMU_EXEC | MMU_USER)))
		return -EINVAL;
	spin_lock(&vm->lock);
	if (arch_mmu_next_mapped(vm->root, va, va + len, &found, &pa))
		err = -EEXIST;
	else
		err = vm_map_pages(vm, va, len, prot | MMU_USER, &done);
	spin_unlock(&vm->lock);
	if (err == -ENOMEM)
		vm_unmap_range(vm, va, va + done);
	return err;
}

/* Load vm's root on this CPU, or the kernel's own when vm is NULL, and note which in the
 * CPU's struct cpu: the copies take their fast path for the space loaded. */
void vm_activate(struct vm_space *vm)
{
	arch_mmu_activate(vm ? vm->root : arch_mmu_kernel_root());
	cpu_self()->vm = vm;
}

/* ---- copies ---- */

/* True when user address va is mapped with every right in need (MMU_USER, plus MMU_WRITE
 * to write), and then its physical address in *pa. */
static bool vm_user_pa(struct vm_space *vm, uintptr_t va, unsigned need, uint64_t *pa)
{
	unsigned prot;

	return arch_mmu_translate(vm->root, va, pa, &prot) && (prot & need) == need;
}

/* The direct-map address of user address va, when its page is mapped with every right in
 * need; NULL otherwise. Locks: vm->lock held. */
static void *vm_user_ptr(struct vm_space *vm, uintptr_t va, unsigned need)
{
	uint64_t pa;

	return vm_user_pa(vm, va, need, &pa) ? page_from_phys(pa) : NULL;
}

/* True when [va, va + n) is not empty and lies within one page. */
static bool vm_one_page(uintptr_t va, size_t n)
{
	return n > 0 && PAGE_ALIGN_DOWN(va) == PAGE_ALIGN_DOWN(va + n - 1);
}

/* True when vm is the space loaded on this CPU. A thread of a process runs in its
 * process's space wherever it runs (the scheduler loads it before switching to it), so the
 * answer stays true if the thread moves to another CPU right after asking. */
static bool vm_is_loaded(const struct vm_space *vm)
{
	return READ_ONCE(cpu_self()->vm) == vm;
}

/* True when the page of user address va gives the rights in need. With probe (vm must be
 * loaded here) the CPU answers (arch_user_probe: a few instructions instead of a walk of
 * four tables): the same answer, since every page of a user half is a user page and the
 * kernel, like the user, may not write a read-only one (x86_64's CR0.WP); but the CPU's
 * TLB may still hold a page another CPU has just unmapped, so under vm->lock, where the
 * answer must be the tables' own, the tables are walked. */
static bool vm_page_ok(struct vm_space *vm, uintptr_t va, unsigned need, bool probe)
{
	uint64_t pa;

	if (probe)
		return arch_user_probe(va, need & MMU_WRITE);
	return vm_user_pa(vm, va, need, &pa);
}

/* True when [va, va + n) lies in the user half and each of its pages gives the rights in
 * need (asked as vm_page_ok() says); an empty range always does. Locks: none needed (see
 * vm_user_ok()); under vm->lock, and without probe, the answer stays true until the lock
 * is dropped. */
static bool vm_user_range_ok(struct vm_space *vm, uintptr_t va, size_t n, unsigned need,
			     bool probe)
{
	uintptr_t p;

	if (!vm_range_ok(va, n))
		return false;
	for (p = PAGE_ALIGN_DOWN(va); n > 0 && p < va + n; p += PAGE_SIZE)
		if (!vm_page_ok(vm, p, need, probe))
			return false;
	return true;
}

/* Copy n bytes between kernel buffer k and user range [uva, uva + n), page by page, in the
 * direction to_user says. Every page must have been checked. Locks: vm->lock held. */
static void vm_copy_pages(struct vm_space *vm, uintptr_t uva, char *k, size_t n, bool to_user)
{
	while (n > 0) {
		size_t chunk = PAGE_SIZE - (uva & (PAGE_SIZE - 1));
		char *u = vm_user_ptr(vm, uva, MMU_USER);

		kassert(u != NULL);
		if (chunk > n)
			chunk = n;
		if (to_user)
			memcpy(u, k, chunk);
		else
			memcpy(k, u, chunk);
		uva += chunk;
		k += chunk;
		n -= chunk;
	}
}

/* LAB(kernel-core): the slow path of the user copies, for a space not loaded here. Check
 * the whole range first, so that a bad range copies nothing, then copy, all under vm->lock
 * so that the pages checked are the pages copied. need says which rights each page must
 * give. */
static int vm_copy(struct vm_space *vm, uintptr_t uva, void *k, size_t n, unsigned need,
		   bool to_user)
{
	bool ok;

	spin_lock(&vm->lock);
	ok = vm_user_range_ok(vm, uva, n, need, false);
	if (ok)
		vm_copy_pages(vm, uva, k, n, to_user);
	spin_unlock(&vm->lock);
	return ok ? 0 : -EFAULT;
}

/* LAB(kernel-core): the fast path of the user copies, for the space vm loaded here: check
 * that the range lies in the user half (the CPU cannot tell a user address from a kernel
 * one), then let the CPU translate and check every page as arch_user_copy() goes. A fault
 * stops the copy at the first page refused, having copied nothing if that is the first
 * page; a copy over several pages probes them all first, so that a failed copy copies
 * nothing on this path too. A page unmapped meanwhile by another thread faults, or, until
 * the TLB shootdown reaches this CPU, is still the old page, which vm_unmap_range() frees
 * only after that. */
static int vm_copy_loaded(struct vm_space *vm, void *dst, const void *src, uintptr_t uva,
			  size_t n, bool to_user)
{
	if (!vm_range_ok(uva, n))
		return -EFAULT;
	if (n > 0 && !vm_one_page(uva, n) &&
	    !vm_user_range_ok(vm, uva, n, MMU_USER | (to_user ? MMU_WRITE : 0), true))
		return -EFAULT;
	return arch_user_copy(dst, src, n) ? -EFAULT : 0;
}

/* The checks of the copies below without the copy: 0 or -EFAULT. Needs no lock: the
 * tables of a live space are never freed (arch_mmu_unmap() clears entries, only
 * vm_destroy() frees tables), so a walk always reads tables; its answer may go stale the
 * moment it is given, like any answer without a lock, and the copy finds out again. */
int vm_user_ok(struct vm_space *vm, uintptr_t va, size_t len, bool write)
{
	unsigned need = MMU_USER | (write ? MMU_WRITE : 0);
	bool loaded = vm_is_loaded(vm);

	/* The common case, a system call's buffer within one page: one probe, no loop. */
	if (likely(loaded && vm_one_page(va, len) && vm_range_ok(va, len)))
		return arch_user_probe(va, write) ? 0 : -EFAULT;
	return vm_user_range_ok(vm, va, len, need, loaded) ? 0 : -EFAULT;
}

/* Copy n bytes from user memory at usrc, which must be mapped for user access, to dst.
 * Returns 0 or -EFAULT. */
int copy_from_user(struct vm_space *vm, void *dst, uintptr_t usrc, size_t n)
{
	if (unlikely(!vm_is_loaded(vm)))
		return vm_copy(vm, usrc, dst, n, MMU_USER, false);
	return vm_copy_loaded(vm, dst, (const void *)usrc, usrc, n, false);
}

/* Copy n bytes from src to user memory at udst, which must be mapped user-writable.
 * Returns 0 or -EFAULT. */
int copy_to_user(struct vm_space *vm, uintptr_t udst, const void *src, size_t n)
{
	if (unlikely(!vm_is_loaded(vm)))
		return vm_copy(vm, udst, (void *)src, n, MMU_USER | MMU_WRITE, true);
	return vm_copy_loaded(vm, (void *)udst, src, udst, n, true);
}

/* As copy_to_user(), but the pages need only be user pages, not writable ones: the kernel
 * fills a program's text this way. Returns 0 or -EFAULT. */
int vm_write_kernel(struct vm_space *vm, uintptr_t udst, const void *src, size_t n)
{
	return vm_copy(vm, udst, (void *)src, n, MMU_USER, true);
}

/* Copy the string at usrc a page at a time, stopping at its NUL. Locks: vm->lock held. */
static long vm_strncpy(struct vm_space *vm, char *dst, uintptr_t usrc, size_t max)
{
	size_t done = 0;

	kassert(spin_held(&vm->lock));
	while (done < max) {
		uintptr_t va = usrc + done;
		size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1)), len;
		const char *u;

		if (chunk > max - done)
			chunk = max - done;
		if (!vm_range_ok(va, chunk) || !(u = vm_user_ptr(vm, va, MMU_USER)))
			return -EFAULT;
		len = strnlen(u, chunk);
		memcpy(dst + done, u, len);
		if (len < chunk) {
			dst[done + len] = '\0';
			return (long)(done + len);
		}
		done += chunk;
	}
	return -ENAMETOOLONG;
}

/* Unlike copy_from_user(), the length is not known in advance, so pages are checked as the
 * copy reaches them: a string that ends before an unmapped page is fine. On an error, dst
 * may hold part of the string. */
long strncpy_from_user(struct vm_space *vm, char *dst, uintptr_t usrc, size_t max)
{
	long ret;

	spin_lock(&vm->lock);
	ret = vm_strncpy(vm, dst, usrc, max);
	spin_unlock(&vm->lock);
	return ret;
}
