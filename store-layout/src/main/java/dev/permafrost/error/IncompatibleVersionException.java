package dev.permafrost.error;

import java.nio.file.Path;

/**
 * A store written in a format version or with format features this build does not read
 * (usually: written by a newer Permafrost).
 */
public class IncompatibleVersionException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file   the store file concerned, or {@code null} when none is known
     * @param offset bytes from the start of the file, or {@link PermafrostException#NO_OFFSET}
     * @param detail what was expected and what was found
     */
    public IncompatibleVersionException(Path file, long offset, String detail) {
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
    public IncompatibleVersionException(Path file, long offset, String detail, Throwable cause) {
        super(file, offset, detail, cause);
    }
}
