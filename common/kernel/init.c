/* init.c: running the layers' init and service functions (kernel/init.h). The linker
 * script of every port collects the .layer_init section between __start_layer_init and
 * __stop_layer_init. */
#include <kernel/init.h>

extern const struct layer_init __start_layer_init[], __stop_layer_init[];

/* Call the registered functions that are services (service) or not (!service), in order. */
static void layer_run(bool service)
{
	const struct layer_init *i;

	for (i = __start_layer_init; i < __stop_layer_init; i++)
		if (i->service == service)
			i->fn();
}

void layer_init_run(void)
{
	layer_run(false);
}

void layer_services_start(void)
{
	layer_run(true);
}
