/**
 * Permafrost's store: a memory-mapped file of reference-counted objects that an owner
 * freezes and worker processes share copy-on-write. Exports the API package only; the
 * allocator, the file and mapping code, the reference-count protocol and the system calls
 * are internal. Also holds the heap-dump CLI ({@code dev.permafrost.heapdump}), run by
 * {@code scripts/heap-dump}; picocli reads its annotated command classes reflectively.
 */
module dev.permafrost.core {
    requires transitive dev.permafrost.layout;
    requires info.picocli;
    requires java.desktop;

    exports dev.permafrost.store;
    exports dev.permafrost.memory;

    opens dev.permafrost.heapdump to info.picocli;
}
