package dev.permafrost.store;

/** How a process opens an existing store ({@link Store#open}). */
public enum OpenMode {
    /**
     * The one writer: a read-write shared mapping under an exclusive file lock; allocates,
     * frees, commits and freezes. Refused for a frozen store (it is immutable) and while any
     * other process has the store open.
     */
    OWNER,
    /**
     * A worker: a private mapping under a shared file lock. Reading and referencing frozen
     * objects writes nothing, so every page stays shared with every other process; the
     * process's own objects live in private memory above the frozen boundary (or, in a store
     * that is not frozen, above its bump offset, and every count it changes copies a page).
     * Works on a file that is read-only on disk. Refused while an owner has the store open.
     */
    COPY_ON_WRITE,
    /**
     * An inspector: a read-only shared mapping under a shared file lock. Reference operations
     * on immortal objects are free; on mortal objects, and allocation, they throw.
     */
    READ_ONLY
}
