/* elf.c: the ELF64 program loader (kernel/elf.h).
 *
 * Only what a static executable needs: the file header (magic, 64-bit, little-endian,
 * ET_EXEC, this machine) and the PT_LOAD program headers. Every offset and size comes from
 * the image, so each is checked against the image's size before use: a corrupt image gets
 * -ENOEXEC, never a wild read. (ELF field layouts: the System V ABI, "Object Files".) */
#include <stdbool.h>
#include <uapi/errno.h>
#include <arch/elf.h>
#include <arch/mmu.h>
#include <kernel/elf.h>
#include <lib/string.h>
#include <mm/page.h>
#include <mm/vm.h>

#define EI_NIDENT 16
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2

struct elf64_ehdr {
	unsigned char e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

/* True when [off, off + len) lies inside an image of size bytes. */
static bool elf_in_image(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

static bool elf_header_ok(const struct elf64_ehdr *eh, size_t size)
{
	static const unsigned char magic[4] = { 0x7f, 'E', 'L', 'F' };

	return size >= sizeof *eh && memcmp(eh->e_ident, magic, 4) == 0 &&
	       eh->e_ident[4] == ELFCLASS64 && eh->e_ident[5] == ELFDATA2LSB &&
	       eh->e_type == ET_EXEC && eh->e_machine == arch_elf_machine() &&
	       eh->e_phentsize == sizeof(struct elf64_phdr) && eh->e_phnum > 0 &&
	       elf_in_image(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr), size) &&
	       vm_range_ok(eh->e_entry, 1);
}

/* Map one PT_LOAD segment and copy its file contents in (the rest stays zero: .bss). */
static int elf_load_segment(struct vm_space *vm, const struct elf64_phdr *ph,
			    const unsigned char *image, size_t size)
{
	uintptr_t start = PAGE_ALIGN_DOWN(ph->p_vaddr);
	unsigned prot = ((ph->p_flags & PF_W) ? MMU_WRITE : 0) | ((ph->p_flags & PF_X) ? MMU_EXEC : 0);
	size_t len;
	int err;

	if (ph->p_filesz > ph->p_memsz || !elf_in_image(ph->p_offset, ph->p_filesz, size) ||
	    !vm_range_ok(ph->p_vaddr, ph->p_memsz) || ph->p_memsz == 0)
		return -ENOEXEC;
	len = PAGE_ALIGN_UP(ph->p_vaddr + ph->p_memsz) - start;
	err = vm_map_anon(vm, start, len, prot);
	if (err)
		return err;
	/* vm_write_kernel, not copy_to_user: text and read-only data must be filled too. */
	return vm_write_kernel(vm, ph->p_vaddr, image + ph->p_offset, ph->p_filesz);
}

int elf_load(struct vm_space *vm, const unsigned char *image, size_t size, uintptr_t *entry)
{
	const struct elf64_ehdr *eh = (const void *)image;
	const struct elf64_phdr *ph;
	unsigned i;
	int err;

	if (!elf_header_ok(eh, size))
		return -ENOEXEC;
	ph = (const void *)(image + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		err = elf_load_segment(vm, &ph[i], image, size);
		if (err)
			return err;
	}
	*entry = eh->e_entry;
	return 0;
}
