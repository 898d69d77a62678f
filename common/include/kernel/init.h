/* init.h: how a later layer hooks into boot (DESIGN.md, "Layers").
 *
 * A stage adds behaviour without editing common/: it registers an init function, which
 * kmain runs once the namespace exists (kfs_init) and before the first process starts,
 *
 *     static void chan_layer_init(void) { ... take over /ipc ... }
 *     LAYER_INIT(chan_layer_init);
 *
 * Functions run in link order: common's first, then each stage's, oldest layer first. */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

#include <kernel/compiler.h>

struct layer_init {
	void (*fn)(void);
	const char *name;
};

#define LAYER_INIT(f) \
	static const struct layer_init layer_init_##f __used __section(".layer_init") \
		__aligned(8) = { f, #f }

/* Run every registered init function, in order. Called once by kmain. */
void layer_init_run(void);

#endif
