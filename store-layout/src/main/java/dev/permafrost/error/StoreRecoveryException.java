package dev.permafrost.error;

import java.nio.file.Path;

/**
 * Recovery of a store whose owner died was refused: it could not guarantee that the last
 * commit is intact. The message says what is damaged and what recovering would lose; the file
 * is left as it was found.
 */
public class StoreRecoveryException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file   the store file concerned
     * @param offset bytes from the start of the file of the damage, or {@link PermafrostException#NO_OFFSET}
     * @param detail what is damaged, and what recovering would lose
     * @param cause  the underlying failure, or {@code null}
     */
    public StoreRecoveryException(Path file, long offset, String detail, Throwable cause) {
        super(file, offset, detail, cause);
    }
}
