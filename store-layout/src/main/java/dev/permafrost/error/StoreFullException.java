package dev.permafrost.error;

import java.nio.file.Path;

/**
 * An allocation that does not fit: the store's capacity is used up, or the disk under it has
 * no room left for the space the store reserves ahead of its allocations. The store is unchanged
 * and stays usable.
 */
public class StoreFullException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file   the store file concerned, or {@code null} when none is known
     * @param offset bytes from the start of the file, or {@link PermafrostException#NO_OFFSET}
     * @param detail what was expected and what was found
     */
    public StoreFullException(Path file, long offset, String detail) {
        super(file, offset, detail, null);
    }

    /**
     * Creates the exception.
     *
     * @param file   the store file concerned, or {@code null} when none is known
     * @param offset bytes from the start of the file, or {@link PermafrostException#NO_OFFSET}
     * @param detail what was expected and what was found
     * @param cause  the underlying failure
     */
    public StoreFullException(Path file, long offset, String detail, Throwable cause) {
        super(file, offset, detail, cause);
    }
}
