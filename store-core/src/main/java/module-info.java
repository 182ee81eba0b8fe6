/**
 * Permafrost's store: a memory-mapped file of reference-counted objects that an owner
 * freezes and worker processes share copy-on-write. Exports the API packages: the store with
 * its typed objects, and the kernel's memory accounting of a mapping. The allocator, the file
 * and mapping code, the reference-count protocol and the system calls are internal. Needs
 * nothing but the JDK and the file format; worker fleets are {@code dev.permafrost.fleet}, the
 * heap-dump CLI and the demo {@code dev.permafrost.tools}.
 */
module dev.permafrost.core {
    requires dev.permafrost.layout;

    exports dev.permafrost.store;
    exports dev.permafrost.memory;
}
