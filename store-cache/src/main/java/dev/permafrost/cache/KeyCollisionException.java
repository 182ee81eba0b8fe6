package dev.permafrost.cache;

import dev.permafrost.error.PermafrostException;
import java.nio.file.Path;

/**
 * A version that cannot be published because hundreds of its keys share a hash under both of
 * the format's hash algorithms, which random keys never do: the keys were made to collide. The
 * version is not published; the current one stays current.
 */
public class KeyCollisionException extends CacheException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param directory the cache directory
     * @param file      the version file that was being built
     * @param detail    how many keys, and what was tried
     */
    public KeyCollisionException(Path directory, Path file, String detail) {
        super(directory, file, PermafrostException.NO_OFFSET, detail, null);
    }
}
