/**
 * Permafrost's store: a memory-mapped file of reference-counted objects that an owner
 * freezes and worker processes share copy-on-write. Exports the API packages only (the store,
 * and its typed objects); the allocator, the file and mapping code, the reference-count
 * protocol, the system calls and the store's glue to its type system are internal.
 */
module dev.permafrost.core {
    requires transitive dev.permafrost.layout;

    exports dev.permafrost.store;
    exports dev.permafrost.types;
}
