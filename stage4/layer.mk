# stage4/layer.mk: the sources this stage adds to the kernel (included by mk/kernel.mk).
# This stage has no code of its own yet.
