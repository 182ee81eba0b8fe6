package dev.permafrost.error;

import java.nio.file.Path;

/**
 * An operation the store's state or open mode does not allow: writing a read-only or frozen
 * store, freezing twice, using a closed store.
 */
public class StoreStateException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file   the store file concerned, or {@code null} when none is known
     * @param offset bytes from the start of the file, or {@link PermafrostException#NO_OFFSET}
     * @param detail what was expected and what was found
     */
    public StoreStateException(Path file, long offset, String detail) {
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
    public StoreStateException(Path file, long offset, String detail, Throwable cause) {
        super(file, offset, detail, cause);
    }
}
