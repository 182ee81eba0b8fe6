package dev.permafrost.error;

import java.nio.file.Path;

/**
 * The operating system refused an operation on the store file: missing, a directory, no
 * permission, an I/O error. The message carries the system's reason.
 */
public class StoreAccessException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file   the store file concerned, or {@code null} when none is known
     * @param offset bytes from the start of the file, or {@link PermafrostException#NO_OFFSET}
     * @param detail what was expected and what was found
     */
    public StoreAccessException(Path file, long offset, String detail) {
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
    public StoreAccessException(Path file, long offset, String detail, Throwable cause) {
        super(file, offset, detail, cause);
    }
}
