/* ubsan.c: the kernel's runtime for GCC's -fsanitize=undefined (./configure --enable-ubsan).
 *
 * The compiler inserts a check before each operation that could be undefined behaviour and
 * calls one of the __ubsan_handle_* functions below when the check fails, passing a static
 * description (source location, types). We print "UBSAN: <kind> at file:line:col" and fail
 * the running test; outside tests the kernel goes on, as the reported code may well be
 * harmless in practice. The data layouts are the compiler's UBSan ABI. This file itself is
 * built without the sanitizer (common/layer.mk, KNOSAN), or its checks would recurse. */
#include <stdint.h>
#include <kernel/backtrace.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/ubsan.h>
#include <lib/fmt.h>

struct ubsan_loc {
	const char *file;
	uint32_t line;
	uint32_t column;
};

struct ubsan_type {
	uint16_t kind;
	uint16_t info;
	char name[];
};

struct ubsan_type_mismatch {
	struct ubsan_loc loc;
	const struct ubsan_type *type;
	unsigned char log_alignment;
	unsigned char type_check_kind;
};

struct ubsan_overflow {
	struct ubsan_loc loc;
	const struct ubsan_type *type;
};

struct ubsan_shift {
	struct ubsan_loc loc;
	const struct ubsan_type *lhs_type;
	const struct ubsan_type *rhs_type;
};

struct ubsan_out_of_bounds {
	struct ubsan_loc loc;
	const struct ubsan_type *array_type;
	const struct ubsan_type *index_type;
};

struct ubsan_loc_only {
	struct ubsan_loc loc;
};

struct ubsan_nonnull_arg {
	struct ubsan_loc loc;
	struct ubsan_loc attr_loc;
	int arg_index;
};

static unsigned long ubsan_reports;
static unsigned ubsan_expected;

bool ubsan_enabled(void)
{
#ifdef CONFIG_UBSAN
	return true;
#else
	return false;
#endif
}

unsigned long ubsan_report_count(void)
{
	return ubsan_reports;
}

void ubsan_expect(unsigned n)
{
	ubsan_expected = n;
}

/* Print one report and fail the running test unless the report was expected. */
static void ubsan_report(const struct ubsan_loc *loc, const char *kind, const char *detail)
{
	struct arch_frame f;

	ubsan_reports++;
	printk("UBSAN: %s at %s:%u:%u%s%s\n", kind, loc->file, loc->line, loc->column,
	       detail ? ": " : "", detail ? detail : "");
	if (ubsan_expected) {
		ubsan_expected--;
		return;
	}
	if (ktest_running()) {
		ktest_fail(loc->file, (int)loc->line, "UBSan: %s", kind);
		return;
	}
	arch_frame_current(&f);
	backtrace_print(&f);
}

/* The kind of access a type-mismatch report is about, as the compiler numbers them. */
static const char *ubsan_check_kind(unsigned k)
{
	static const char *const kinds[] = {
		"load of", "store to", "reference binding to", "member access within",
		"member call on", "constructor call on", "downcast of", "downcast of",
		"upcast of", "cast to virtual base of", "_Nonnull binding to",
		"dynamic operation on",
	};
	return k < sizeof kinds / sizeof kinds[0] ? kinds[k] : "access to";
}

/* Prototypes: the compiler calls these; nothing in the kernel does. */
void __ubsan_handle_type_mismatch_v1(struct ubsan_type_mismatch *d, uintptr_t ptr);
void __ubsan_handle_add_overflow(struct ubsan_overflow *d, uintptr_t a, uintptr_t b);
void __ubsan_handle_sub_overflow(struct ubsan_overflow *d, uintptr_t a, uintptr_t b);
void __ubsan_handle_mul_overflow(struct ubsan_overflow *d, uintptr_t a, uintptr_t b);
void __ubsan_handle_negate_overflow(struct ubsan_overflow *d, uintptr_t a);
void __ubsan_handle_divrem_overflow(struct ubsan_overflow *d, uintptr_t a, uintptr_t b);
void __ubsan_handle_shift_out_of_bounds(struct ubsan_shift *d, uintptr_t a, uintptr_t b);
void __ubsan_handle_out_of_bounds(struct ubsan_out_of_bounds *d, uintptr_t index);
void __ubsan_handle_load_invalid_value(struct ubsan_overflow *d, uintptr_t v);
void __ubsan_handle_builtin_unreachable(struct ubsan_loc_only *d);
void __ubsan_handle_vla_bound_not_positive(struct ubsan_overflow *d, uintptr_t bound);
void __ubsan_handle_nonnull_arg(struct ubsan_nonnull_arg *d);
void __ubsan_handle_nonnull_return_v1(struct ubsan_loc_only *d, struct ubsan_loc *loc);
void __ubsan_handle_pointer_overflow(struct ubsan_loc_only *d, uintptr_t base, uintptr_t res);
void __ubsan_handle_invalid_builtin(struct ubsan_loc_only *d);

void __ubsan_handle_type_mismatch_v1(struct ubsan_type_mismatch *d, uintptr_t ptr)
{
	char detail[160];
	const char *kind = "misaligned address";

	if (ptr == 0)
		kind = "null pointer use";
	else if (d->log_alignment && (ptr & ((1UL << d->log_alignment) - 1)) == 0)
		kind = "object size mismatch";
	snprintf(detail, sizeof detail, "%s address %p for type %s", ubsan_check_kind(d->type_check_kind),
		 (void *)ptr, d->type->name);
	ubsan_report(&d->loc, kind, detail);
}

/* The detail line of the arithmetic reports: operands in hexadecimal and the type. */
static void ubsan_arith(struct ubsan_overflow *d, const char *kind, uintptr_t a, uintptr_t b)
{
	char detail[128];

	snprintf(detail, sizeof detail, "operands 0x%lx, 0x%lx of type %s", (unsigned long)a,
		 (unsigned long)b, d->type->name);
	ubsan_report(&d->loc, kind, detail);
}

void __ubsan_handle_add_overflow(struct ubsan_overflow *d, uintptr_t a, uintptr_t b)
{
	ubsan_arith(d, "signed addition overflow", a, b);
}

void __ubsan_handle_sub_overflow(struct ubsan_overflow *d, uintptr_t a, uintptr_t b)
{
	ubsan_arith(d, "signed subtraction overflow", a, b);
}

void __ubsan_handle_mul_overflow(struct ubsan_overflow *d, uintptr_t a, uintptr_t b)
{
	ubsan_arith(d, "signed multiplication overflow", a, b);
}

void __ubsan_handle_negate_overflow(struct ubsan_overflow *d, uintptr_t a)
{
	ubsan_arith(d, "negation overflow", a, 0);
}

void __ubsan_handle_divrem_overflow(struct ubsan_overflow *d, uintptr_t a, uintptr_t b)
{
	ubsan_arith(d, "division overflow or by zero", a, b);
}

void __ubsan_handle_shift_out_of_bounds(struct ubsan_shift *d, uintptr_t a, uintptr_t b)
{
	char detail[128];

	snprintf(detail, sizeof detail, "0x%lx << or >> %lu (%s by %s)", (unsigned long)a,
		 (unsigned long)b, d->lhs_type->name, d->rhs_type->name);
	ubsan_report(&d->loc, "shift out of bounds", detail);
}

void __ubsan_handle_out_of_bounds(struct ubsan_out_of_bounds *d, uintptr_t index)
{
	char detail[128];

	snprintf(detail, sizeof detail, "index %lu of %s", (unsigned long)index,
		 d->array_type->name);
	ubsan_report(&d->loc, "array index out of bounds", detail);
}

void __ubsan_handle_load_invalid_value(struct ubsan_overflow *d, uintptr_t v)
{
	char detail[96];

	snprintf(detail, sizeof detail, "value 0x%lx for type %s", (unsigned long)v, d->type->name);
	ubsan_report(&d->loc, "load of invalid value", detail);
}

void __ubsan_handle_builtin_unreachable(struct ubsan_loc_only *d)
{
	ubsan_report(&d->loc, "reached __builtin_unreachable()", NULL);
}

void __ubsan_handle_vla_bound_not_positive(struct ubsan_overflow *d, uintptr_t bound)
{
	ubsan_arith(d, "variable-length array bound not positive", bound, 0);
}

void __ubsan_handle_nonnull_arg(struct ubsan_nonnull_arg *d)
{
	ubsan_report(&d->loc, "null passed as a nonnull argument", NULL);
}

void __ubsan_handle_nonnull_return_v1(struct ubsan_loc_only *d, struct ubsan_loc *loc)
{
	ubsan_report(loc, "null returned from a returns_nonnull function", NULL);
}

void __ubsan_handle_pointer_overflow(struct ubsan_loc_only *d, uintptr_t base, uintptr_t res)
{
	char detail[96];

	snprintf(detail, sizeof detail, "%p to %p", (void *)base, (void *)res);
	ubsan_report(&d->loc, "pointer arithmetic overflow", detail);
}

void __ubsan_handle_invalid_builtin(struct ubsan_loc_only *d)
{
	ubsan_report(&d->loc, "invalid argument to a builtin (ctz/clz of 0)", NULL);
}
