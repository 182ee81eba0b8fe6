package dev.permafrost.cache;

import java.nio.file.Path;

/**
 * A directory that holds no published version: no {@code CURRENT} file (or no directory at all).
 */
public class NoCurrentVersionException extends CacheException {
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
    public NoCurrentVersionException(Path directory, Path file, long offset, String detail, Throwable cause) {
        super(directory, file, offset, detail, cause);
    }
}
