/* backtrace.c: naming code addresses and walking the chain of frame pointers.
 *
 * The symbol table comes from the link itself (mk/kernel.mk links twice; mk/ksyms.awk
 * writes the table of function addresses and names, sorted by address). Walking frames is
 * the port's job (arch/stack.h); naming them is generic. */
#include <kernel/backtrace.h>
#include <kernel/printk.h>
#include <kernel/sections.h>

struct ksym {
	uintptr_t addr;
	const char *name;
};

extern const struct ksym ksyms_table[];
extern const unsigned long ksyms_count;

/* The deepest backtrace printed: a deeper one is a loop or a corrupt stack. */
#define BACKTRACE_MAX_FRAMES 32

const char *ksym_lookup(uintptr_t addr, uintptr_t *offset)
{
	unsigned long lo = 0, hi = ksyms_count;

	if (addr < (uintptr_t)__text_start || addr >= (uintptr_t)__text_end || ksyms_count == 0)
		return NULL;
	/* Invariant: every entry below lo starts at or before addr; none from hi on does. */
	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (ksyms_table[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	*offset = addr - ksyms_table[lo - 1].addr;
	return ksyms_table[lo - 1].name;
}

/* Print one frame. A return address may point just past the end of a function that ends in
 * a call (a noreturn call), so frames after the first are looked up at pc - 1. */
static void backtrace_print_frame(unsigned depth, uintptr_t pc)
{
	uintptr_t off = 0;
	const char *name = ksym_lookup(depth ? pc - 1 : pc, &off);

	if (depth)
		off++;
	if (name)
		printk("  #%u %p %s+0x%lx\n", depth, (void *)pc, name, (unsigned long)off);
	else
		printk("  #%u %p ?\n", depth, (void *)pc);
}

void backtrace_print(const struct arch_frame *start)
{
	struct arch_frame f = *start;
	unsigned depth = 0;

	do {
		backtrace_print_frame(depth, f.pc);
	} while (++depth < BACKTRACE_MAX_FRAMES && arch_frame_next(&f));
}

size_t backtrace_collect(uintptr_t *pcs, size_t n)
{
	struct arch_frame f;
	size_t i = 0;

	arch_frame_current(&f); /* our own frame: skip it, the caller wants its own */
	while (i < n && arch_frame_next(&f))
		pcs[i++] = f.pc;
	return i;
}
