/**
 * Permafrost's store: a memory-mapped file of reference-counted objects that an owner
 * freezes and worker processes share copy-on-write. Exports the API packages: the store, its
 * typed objects, the kernel's memory accounting of a mapping, and worker fleets. The
 * allocator, the file and mapping code, the reference-count protocol, the system calls, the
 * store's glue to its type system and the demo are internal.
 * jnr-posix (an automatic module) sends the fleet's signals. Also holds the heap-dump CLI
 * ({@code dev.permafrost.heapdump}, run by {@code scripts/heap-dump}); picocli reads its
 * annotated command classes reflectively, and {@code java.desktop} draws its page maps.
 */
module dev.permafrost.core {
    requires transitive dev.permafrost.layout;
    requires org.jnrproject.posix;
    requires org.jnrproject.constants;
    requires info.picocli;
    requires java.desktop;

    exports dev.permafrost.store;
    exports dev.permafrost.memory;
    exports dev.permafrost.fleet;

    opens dev.permafrost.heapdump to info.picocli;
}
