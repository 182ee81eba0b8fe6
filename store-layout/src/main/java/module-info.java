/**
 * The Permafrost store file format: descriptors for every structure of the file, and the
 * exception family shared by every Permafrost module. Imports nothing but {@code java.base}.
 *
 * <p>{@code dev.permafrost.error} is API: every caller of the store catches these. The
 * descriptors ({@code dev.permafrost.layout}) are exported only to the project's modules that
 * read or write the format themselves: the store, the cache (its versions' header, table
 * and entries), and the tools that read files and processes
 * without it. A qualified export names modules that are not part of this compilation; javac's
 * "module not found" warning for them is suppressed.
 */
@SuppressWarnings("module")
module dev.permafrost.layout {
    exports dev.permafrost.error;
    exports dev.permafrost.layout to dev.permafrost.core, dev.permafrost.cache, dev.permafrost.tools;
}
