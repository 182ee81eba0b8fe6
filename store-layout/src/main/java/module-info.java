/**
 * The Permafrost store file format: descriptors for every structure of the file, and the
 * exception family shared by every Permafrost module. Imports nothing but {@code java.base}.
 */
module dev.permafrost.layout {
    exports dev.permafrost.layout;
    exports dev.permafrost.error;
}
