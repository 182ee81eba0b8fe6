/**
 * Permafrost's store: a memory-mapped file of reference-counted objects that an owner
 * freezes and worker processes share copy-on-write. Exports the API package only; the
 * allocator, the file and mapping code, the reference-count protocol and the system calls
 * are internal.
 */
module dev.permafrost.core {
    requires transitive dev.permafrost.layout;
    requires org.jnrproject.posix;
    requires org.jnrproject.constants;

    exports dev.permafrost.store;
    exports dev.permafrost.memory;
    exports dev.permafrost.fleet;
}
