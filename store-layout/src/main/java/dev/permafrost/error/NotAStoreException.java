package dev.permafrost.error;

import java.nio.file.Path;

/**
 * A file that is not a Permafrost store at all: empty, or without the store magic.
 */
public class NotAStoreException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file   the store file concerned, or {@code null} when none is known
     * @param offset bytes from the start of the file, or {@link PermafrostException#NO_OFFSET}
     * @param detail what was expected and what was found
     */
    public NotAStoreException(Path file, long offset, String detail) {
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
    public NotAStoreException(Path file, long offset, String detail, Throwable cause) {
        super(file, offset, detail, cause);
    }
}
