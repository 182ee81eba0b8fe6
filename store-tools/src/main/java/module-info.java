/**
 * Permafrost's tools: programs that run beside a store, never inside an embedder's JVM. The
 * heap-dump CLI ({@code dev.permafrost.heapdump}, run by {@code scripts/heap-dump}) looks inside
 * store files and the processes that map them; the demo ({@code dev.permafrost.demo}, run by
 * {@code scripts/demo}) runs a fleet on a store mortal and frozen. Exports nothing: its API is
 * its command lines.
 * picocli reads the CLI's annotated command classes reflectively (hence the qualified
 * {@code opens}); {@code java.desktop} draws its page maps.
 */
module dev.permafrost.tools {
    requires dev.permafrost.layout;
    requires dev.permafrost.core;
    requires dev.permafrost.fleet;
    requires dev.permafrost.cache; // the demo's data is a cache version
    requires info.picocli;
    requires java.desktop;

    opens dev.permafrost.heapdump to info.picocli;
}
