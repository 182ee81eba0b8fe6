package dev.permafrost.cache;

import dev.permafrost.error.PermafrostException;
import java.nio.file.Path;

/**
 * Root of the cache's exceptions: each names the cache directory and the file concerned (a
 * version file, or {@code CURRENT}), and the offset in that file when one structure is concerned.
 */
public abstract class CacheException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    /**
     * Creates the exception.
     *
     * @param directory the cache directory, or {@code null} when none is known
     * @param file      the file concerned, or {@code null}
     * @param offset    bytes from the start of the file, or {@link PermafrostException#NO_OFFSET}
     * @param detail    what was expected and what was found
     * @param cause     the underlying failure, or {@code null}
     */
    protected CacheException(Path directory, Path file, long offset, String detail, Throwable cause) {
        super(file, offset, (directory == null ? "" : "cache " + directory + ": ") + detail, cause);
        this.directory = directory;
    }

    /** {@return the cache directory concerned, or {@code null} when none is known} */
    public Path directory() {
        return directory;
    }
}
