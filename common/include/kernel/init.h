/* init.h: how a later layer hooks into boot (DESIGN.md, "Layers").
 *
 * A stage adds behaviour without editing common/: it registers an init function, which
 * kmain runs once the namespace exists (kfs_init) and before the first process starts,
 *
 *     static void chan_layer_init(void) { ... take over /ipc ... }
 *     LAYER_INIT(chan_layer_init);
 *
 * and it may register a service: a function that starts something long-running (a kernel
 * thread such as stage 4's klogd), which kmain calls in a normal boot only, just before it
 * starts /bin/init,
 *
 *     static void klogd_service(void) { klogd_start(KLOGD_PATH); }
 *     LAYER_SERVICE(klogd_service);
 *
 * Test boots (ktest, utest) start no services: their leak checks count the kernel heap to
 * the byte, and a service allocating behind their backs would make that count a race. A
 * test that needs a service starts it itself.
 *
 * Functions run in link order: common's first, then each stage's, oldest layer first. */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

#include <stdbool.h>
#include <kernel/compiler.h>

struct layer_init {
	void (*fn)(void);
	const char *name;
	bool service;           /* LAYER_SERVICE: normal boots only, before /bin/init */
};

#define LAYER_HOOK(f, svc) \
	static const struct layer_init layer_init_##f __used __section(".layer_init") \
		__aligned(8) = { f, #f, svc }
#define LAYER_INIT(f) LAYER_HOOK(f, false)
#define LAYER_SERVICE(f) LAYER_HOOK(f, true)

/* Run every registered init function, in order. Called once by kmain. */
void layer_init_run(void);

/* Call every registered service function, in order. Called once by kmain, in a normal
 * boot, before /bin/init starts. */
void layer_services_start(void);

#endif
