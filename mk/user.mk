# mk/user.mk: the user programs a kernel carries inside its image (included by mk/kernel.mk,
# whose variables it uses: ARCH, LAYERS, OBJDIR, KCC, KCFLAGS, ARCH_CFLAGS, INCDIRS, Q, say).
#
# There is no disk: every program is an ELF file embedded in the kernel and found by name
# (kernel/programs.h). Each layer's layer.mk lists what it adds, one file per line:
#   ULIBSRCS  sources of the user library, libu.a (libc-like helpers, common/user/lib/)
#   UPROGS    programs, one .c file each: LAYER/user/bin/NAME.c (tools) or
#             LAYER/user/tests/NAME.c (test programs); the program is /bin/NAME
#   UFILES    data files, LAYER/user/etc/NAME: read-only /etc/NAME (demo scripts)
# The port's user side, LAYER/arch/ARCH/user/user.mk in the first layer that has one (as
# PORT_MK is found), sets UARCH_CFLAGS, UARCH_CRT0 (the start-up code, _start) and
# UARCH_LDSCRIPT, and may add arch sources to ULIBSRCS.
#
# Steps, all under obj-ARCH/user/: compile, archive libu.a, link each program at 0x400000
# (bin/NAME, with debug information, for gdb), copy it without debug information
# (embed/NAME), and generate obj-ARCH/programs.S, which .incbin's every embed/NAME and every
# UFILES file and holds the two tables common/kernel/programs.c reads. The kernel links programs.S.o like any object.

PORT_USER_MK := $(firstword $(wildcard $(foreach layer,$(LAYERS),$(top_srcdir)/$(layer)/arch/$(ARCH)/user/user.mk)))
ifeq ($(PORT_USER_MK),)
$(error mk/user.mk: no user-side port for ARCH=$(ARCH) (LAYER/arch/$(ARCH)/user/user.mk) in layers "$(LAYERS)")
endif
include $(PORT_USER_MK)

UOBJDIR := $(OBJDIR)/user
UAR := $(shell $(KCC) -print-prog-name=ar)
USTRIP := $(shell $(KCC) -print-prog-name=strip)

# User code is compiled like the kernel (same language, warnings, -Werror, freestanding, no
# libc headers), minus what only the kernel needs: its port's flags (e.g. x86_64's
# -mcmodel=kernel and -mno-red-zone), its sanitizer runtime and KERNEL_STAGE. The port adds
# its user flags instead. Include order: user headers (<ulib/...>), the port's user headers
# (<uarch/...>), then the kernel's include folders for <uapi/...> and <lib/...>.
UINCDIRS := $(wildcard $(foreach layer,$(LAYERS),$(top_srcdir)/$(layer)/user/include)) \
	$(dir $(PORT_USER_MK))include
UCFLAGS := $(filter-out $(ARCH_CFLAGS) $(KERNEL_UBSAN) -DKERNEL_STAGE=%,$(KCFLAGS)) \
	$(UARCH_CFLAGS) $(addprefix -I,$(UINCDIRS) $(INCDIRS))
ULDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(top_srcdir)/$(UARCH_LDSCRIPT) \
	-Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--fatal-warnings

UPROG_NAMES := $(basename $(notdir $(UPROGS)))
ifneq ($(words $(UPROG_NAMES)),$(words $(sort $(UPROG_NAMES))))
$(error mk/user.mk: two programs have the same name in UPROGS: $(UPROGS))
endif

ULIB := $(UOBJDIR)/libu.a
ULIBOBJS := $(patsubst %,$(UOBJDIR)/%.o,$(ULIBSRCS))
UCRT0OBJ := $(UOBJDIR)/$(UARCH_CRT0).o
UPROGOBJS := $(patsubst %,$(UOBJDIR)/%.o,$(UPROGS))
UEMBEDS := $(addprefix $(UOBJDIR)/embed/,$(UPROG_NAMES))

# Any change of compiler, flags, library or program list rebuilds all user code.
UFLAGS_STAMP := $(UOBJDIR)/flags
UFLAGS_NOW := $(KCC) $(UCFLAGS) $(ULDFLAGS) $(UARCH_CRT0) $(ULIBSRCS) $(UPROGS) $(UFILES)
ifneq ($(file <$(UFLAGS_STAMP)),$(UFLAGS_NOW))
$(shell mkdir -p $(UOBJDIR))
$(file >$(UFLAGS_STAMP),$(UFLAGS_NOW))
endif
$(ULIBOBJS) $(UCRT0OBJ) $(UPROGOBJS): $(UFLAGS_STAMP) $(top_srcdir)/mk/user.mk $(PORT_USER_MK)

$(UOBJDIR)/%.c.o: $(top_srcdir)/%.c
	$(call say,UCC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(KCC) $(UCFLAGS) -MMD -MP -c $< -o $@

$(UOBJDIR)/%.S.o: $(top_srcdir)/%.S
	$(call say,UAS,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(KCC) $(UCFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

# 'q' appends without replacing: library files in two folders may share a base name.
$(ULIB): $(ULIBOBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@
	$(Q)$(UAR) qcs $@ $(ULIBOBJS)

# The link rule of one program; $(1) is its source file, e.g. common/user/bin/true.c.
define uprog_link
$(UOBJDIR)/bin/$(basename $(notdir $(1))): $(UOBJDIR)/$(1).o $(UCRT0OBJ) $(ULIB) \
		$(top_srcdir)/$(UARCH_LDSCRIPT)
	$$(call say,ULD,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(KCC) $$(UCFLAGS) $$(ULDFLAGS) -o $$@ $(UCRT0OBJ) $(UOBJDIR)/$(1).o $(ULIB) -lgcc
endef
$(foreach prog,$(UPROGS),$(eval $(call uprog_link,$(prog))))

# The kernel carries programs without their debug information; gdb reads bin/NAME.
$(UOBJDIR)/embed/%: $(UOBJDIR)/bin/%
	$(call say,STRIP,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(USTRIP) --strip-debug -o $@ $<

$(OBJDIR)/programs.S: $(UFLAGS_STAMP) $(top_srcdir)/mk/programs.awk
	$(call say,GEN,$@)
	$(Q)for p in $(sort $(UPROG_NAMES)); do echo "$$p $(UOBJDIR)/embed/$$p"; done | \
		$(AWK) -v table=programs_embedded -f $(top_srcdir)/mk/programs.awk > $@
	$(Q)for f in $(UFILES); do echo "$$(basename $$f) $(top_srcdir)/$$f"; done | \
		$(AWK) -v table=etc_embedded -f $(top_srcdir)/mk/programs.awk >> $@

# .incbin is invisible to -MMD, so the images are named here.
$(OBJDIR)/programs.S.o: $(UEMBEDS) $(addprefix $(top_srcdir)/,$(UFILES))

# UTESTs run in the order they are written in their file (GCC would emit them reversed).
$(UPROGOBJS): UCFLAGS += -fno-toplevel-reorder

-include $(ULIBOBJS:.o=.d) $(UCRT0OBJ:.o=.d) $(UPROGOBJS:.o=.d)
