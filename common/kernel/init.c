/* init.c: running the layers' init functions (kernel/init.h). The linker script of every
 * port collects the .layer_init section between __start_layer_init and __stop_layer_init. */
#include <kernel/init.h>

extern const struct layer_init __start_layer_init[], __stop_layer_init[];

void layer_init_run(void)
{
	const struct layer_init *i;

	for (i = __start_layer_init; i < __stop_layer_init; i++)
		i->fn();
}
