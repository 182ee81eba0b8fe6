package dev.permafrost.error;

import java.nio.file.Path;

/** An operation on a store, or on memory of a store, after the store was closed. */
public class StoreClosedException extends StoreStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file   the store file
     * @param detail what was attempted
     */
    public StoreClosedException(Path file, String detail) {
        super(file, NO_OFFSET, detail);
    }

    /**
     * Creates the exception.
     *
     * @param file   the store file
     * @param detail what was attempted
     * @param cause  the failure the closed memory raised
     */
    public StoreClosedException(Path file, String detail, Throwable cause) {
        super(file, NO_OFFSET, detail, cause);
    }
}
