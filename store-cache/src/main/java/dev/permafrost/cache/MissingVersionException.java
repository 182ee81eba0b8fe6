package dev.permafrost.cache;

import java.nio.file.Path;

/**
 * {@code CURRENT} names a version file that does not exist.
 */
public class MissingVersionException extends CacheException {
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
    public MissingVersionException(Path directory, Path file, long offset, String detail, Throwable cause) {
        super(directory, file, offset, detail, cause);
    }
}
