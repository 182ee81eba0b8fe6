package dev.permafrost.heapdump;

import dev.permafrost.error.PermafrostException;
import java.nio.file.Path;

/**
 * A tool was asked to inspect something it cannot: a process that does not exist, does not map
 * the store, or may not be read; an output file that cannot be written. The message says which
 * and why.
 */
public class InspectionException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file   the file concerned, or {@code null} when none is
     * @param detail what was expected and what was found
     */
    public InspectionException(Path file, String detail) {
        super(file, NO_OFFSET, detail, null);
    }

    /**
     * Creates the exception.
     *
     * @param file   the file concerned, or {@code null} when none is
     * @param detail what was expected and what was found
     * @param cause  the underlying failure
     */
    public InspectionException(Path file, String detail, Throwable cause) {
        super(file, NO_OFFSET, detail, cause);
    }
}
