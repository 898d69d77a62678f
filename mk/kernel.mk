# mk/kernel.mk: how one kernel image is built. Plain GNU make, run by each stage's Makefile:
#
#   make -f mk/kernel.mk ARCH=x86_64 STAGE=stage4 LAYERS="common stage4" OUT=kernel-x86_64.elf \
#        top_srcdir=.. top_builddir=..
#
# A stage's kernel is the union of its layers (DESIGN.md, "Layers"): every layer's layer.mk
# adds sources to KSRCS, and exactly one layer holds the port, LAYER/arch/ARCH/arch.mk, which
# adds the port's sources, compiler flags and linker script. Objects go to obj-ARCH/ in the
# stage's build directory, so the source tree is never written to (VPATH builds work).
#
# The image is linked twice so that panic() can name functions: pass 1 links with an empty
# symbol table, mk/ksyms.awk turns pass 1's function symbols into a table, and pass 2 links
# that table in. The table sits after all code, so no function moves between the passes; the
# last step checks exactly that.

ifeq ($(origin top_srcdir),undefined)
$(error mk/kernel.mk: set top_srcdir, top_builddir, ARCH, STAGE, LAYERS and OUT (see the comment at the top))
endif
include $(top_builddir)/mk/config.mk

KCC := $(KCC_$(ARCH))
KNM := $(KNM_$(ARCH))
ifeq ($(KCC),)
$(error mk/kernel.mk: no compiler for ARCH=$(ARCH): configure found none (see its summary))
endif
OBJDIR := obj-$(ARCH)

KSRCS :=
KNOSAN :=
ULIBSRCS :=
UPROGS :=
UFILES :=
$(foreach layer,$(LAYERS),$(eval include $(top_srcdir)/$(layer)/layer.mk))
PORT_MK := $(firstword $(wildcard $(foreach layer,$(LAYERS),$(top_srcdir)/$(layer)/arch/$(ARCH)/arch.mk)))
ifeq ($(PORT_MK),)
$(error mk/kernel.mk: no port for ARCH=$(ARCH) in layers "$(LAYERS)")
endif
include $(PORT_MK)

KERNEL_UBSAN := $(if $(filter yes,$(UBSAN)),-fsanitize=undefined -DCONFIG_UBSAN=1)
INCDIRS := $(wildcard $(foreach layer,$(LAYERS),$(top_srcdir)/$(layer)/include))
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc \
	-isystem $(shell $(KCC) -print-file-name=include) \
	-fno-pie -fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing -fno-common \
	-fno-asynchronous-unwind-tables \
	-Wall -Wextra -Wno-unused-parameter -Wstrict-prototypes -Wmissing-prototypes \
	-Wmissing-declarations -Wshadow $(KERNEL_WERROR) $(KERNEL_UBSAN) $(ARCH_CFLAGS) \
	$(addprefix -I,$(INCDIRS)) -DKERNEL_STAGE='"$(STAGE)"'
KLDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(top_srcdir)/$(ARCH_LDSCRIPT) \
	-Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack \
	-Wl,--no-warn-rwx-segments $(ARCH_LDFLAGS)

KOBJS := $(patsubst %,$(OBJDIR)/%.o,$(KSRCS))
KOBJS += $(OBJDIR)/programs.S.o

Q := $(if $(filter 1,$(V)),,@)
say = $(if $(Q),@printf '  %-8s %s\n' '$(1)' '$(2)';)

$(OUT): $(KOBJS) $(OBJDIR)/ksyms1.S.o $(top_srcdir)/$(ARCH_LDSCRIPT)
	$(call say,LD,$@)
	$(Q)$(KCC) $(KCFLAGS) $(KLDFLAGS) -o $@.tmp $(KOBJS) $(OBJDIR)/ksyms1.S.o -lgcc
	$(Q)$(KNM) -n $@.tmp | $(AWK) -f $(top_srcdir)/mk/ksyms.awk > $(OBJDIR)/ksyms2.S
	$(Q)cmp -s $(OBJDIR)/ksyms1.S $(OBJDIR)/ksyms2.S || \
		{ echo "mk/kernel.mk: functions moved between link passes (check the linker script)" >&2; exit 1; }
	$(Q)mv $@.tmp $@

$(OBJDIR)/pass1.elf: $(KOBJS) $(OBJDIR)/ksyms0.S.o $(top_srcdir)/$(ARCH_LDSCRIPT)
	$(call say,LD,$@)
	$(Q)$(KCC) $(KCFLAGS) $(KLDFLAGS) -o $@ $(KOBJS) $(OBJDIR)/ksyms0.S.o -lgcc

$(OBJDIR)/ksyms0.S: $(top_srcdir)/mk/ksyms.awk
	$(Q)mkdir -p $(@D)
	$(Q)$(AWK) -f $< < /dev/null > $@

$(OBJDIR)/ksyms1.S: $(OBJDIR)/pass1.elf $(top_srcdir)/mk/ksyms.awk
	$(call say,KSYMS,$@)
	$(Q)$(KNM) -n $< | $(AWK) -f $(top_srcdir)/mk/ksyms.awk > $@

$(OBJDIR)/%.S.o: $(OBJDIR)/%.S
	$(Q)$(KCC) $(KCFLAGS) -c $< -o $@

$(OBJDIR)/%.c.o: $(top_srcdir)/%.c
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(KCC) $(KCFLAGS) -MMD -MP -c $< -o $@

$(OBJDIR)/%.S.o: $(top_srcdir)/%.S
	$(call say,AS,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(KCC) $(KCFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

# Any change of compiler, flags or layers rebuilds everything.
KFLAGS_STAMP := $(OBJDIR)/flags
KFLAGS_NOW := $(KCC) $(KCFLAGS) $(KLDFLAGS) $(KSRCS)
ifneq ($(file <$(KFLAGS_STAMP)),$(KFLAGS_NOW))
$(shell mkdir -p $(OBJDIR))
$(file >$(KFLAGS_STAMP),$(KFLAGS_NOW))
endif
$(KOBJS): $(KFLAGS_STAMP) $(top_srcdir)/mk/kernel.mk

-include $(KOBJS:.o=.d)

# Tests run in the order they are written in their file (GCC would emit them reversed).
$(filter %_test.c.o,$(KOBJS)): KCFLAGS += -fno-toplevel-reorder

# Files that must not be instrumented by the sanitizer (a layer lists them in KNOSAN).
$(patsubst %,$(OBJDIR)/%.o,$(KNOSAN)): KCFLAGS += -fno-sanitize=all

# The user programs embedded in the image: libu.a, UPROGS and programs.S (see its comment).
include $(top_srcdir)/mk/user.mk
