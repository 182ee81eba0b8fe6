package dev.permafrost.error;

import java.nio.file.Path;

/**
 * The store's owner did not close it cleanly (it died while writing): its newest committed
 * state may be followed by partly written objects. Opening it needs repair.
 */
public class StoreNotCleanException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file   the store file concerned, or {@code null} when none is known
     * @param offset bytes from the start of the file, or {@link PermafrostException#NO_OFFSET}
     * @param detail what was expected and what was found
     */
    public StoreNotCleanException(Path file, long offset, String detail) {
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
    public StoreNotCleanException(Path file, long offset, String detail, Throwable cause) {
        super(file, offset, detail, cause);
    }
}
