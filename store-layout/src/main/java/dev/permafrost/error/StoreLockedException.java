package dev.permafrost.error;

import java.nio.file.Path;

/**
 * The store file is held by another opener in a way that excludes this one: an owner holds it
 * exclusively, or readers hold it while an owner tries to open it.
 */
public class StoreLockedException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file   the store file concerned, or {@code null} when none is known
     * @param offset bytes from the start of the file, or {@link PermafrostException#NO_OFFSET}
     * @param detail what was expected and what was found
     */
    public StoreLockedException(Path file, long offset, String detail) {
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
    public StoreLockedException(Path file, long offset, String detail, Throwable cause) {
        super(file, offset, detail, cause);
    }
}
