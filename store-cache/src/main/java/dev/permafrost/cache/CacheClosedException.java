package dev.permafrost.cache;

import java.nio.file.Path;

/**
 * A cache, or a {@link CacheEntry} handle, used after it was closed, or a handle closed twice.
 */
public class CacheClosedException extends CacheException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param directory the cache directory
     * @param file      the file concerned
     * @param offset    bytes from the start of the file, or {@link dev.permafrost.error.PermafrostException#NO_OFFSET}
     * @param detail    what was expected and what was found
     * @param cause     the underlying failure, or {@code null}
     */
    public CacheClosedException(Path directory, Path file, long offset, String detail, Throwable cause) {
        super(directory, file, offset, detail, cause);
    }
}
