/**
 * Permafrost's store: a memory-mapped file of reference-counted objects that an owner
 * freezes and worker processes share copy-on-write. Exports the API packages: the store, its
 * typed objects, the kernel's memory accounting of a mapping, and worker fleets. The
 * allocator, the file and mapping code, the reference-count protocol, the system calls, the
 * store's glue to its type system and the demo are internal.
 * jnr-posix (an automatic module) sends the fleet's signals. The heap-dump CLI is in
 * {@code dev.permafrost.tools}.
 */
module dev.permafrost.core {
    requires transitive dev.permafrost.layout;
    requires org.jnrproject.posix;
    requires org.jnrproject.constants;

    exports dev.permafrost.store;
    exports dev.permafrost.memory;
    exports dev.permafrost.fleet;
}
