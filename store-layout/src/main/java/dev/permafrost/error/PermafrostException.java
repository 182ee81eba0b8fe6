package dev.permafrost.error;

import java.nio.file.Path;

/**
 * Root of every exception Permafrost throws. Unchecked: each one reports a bug in the
 * caller, a damaged file or an exhausted resource, none of which a caller can retry
 * blindly.
 *
 * <p>Every exception names where it happened: the store file when there is one, and the
 * byte offset from the start of that file when one structure or object is concerned
 * ({@link #NO_OFFSET} otherwise).
 */
public abstract class PermafrostException extends RuntimeException {
    /** The value of {@link #offset()} when no single offset is concerned. */
    public static final long NO_OFFSET = -1L;

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * Creates the exception.
     *
     * @param file   the store file concerned, or {@code null} when none is known
     * @param offset bytes from the start of the file, or {@link #NO_OFFSET}
     * @param detail what was expected and what was found
     * @param cause  the underlying failure, or {@code null}
     */
    protected PermafrostException(Path file, long offset, String detail, Throwable cause) {
        super(describe(file, offset, detail), cause);
        this.file = file;
        this.offset = offset;
    }

    /** {@return the store file concerned, or {@code null} when none is known} */
    public Path file() {
        return file;
    }

    /** {@return bytes from the start of the file of the structure concerned, or {@link #NO_OFFSET}} */
    public long offset() {
        return offset;
    }

    private static String describe(Path file, long offset, String detail) {
        StringBuilder message = new StringBuilder();
        if (file != null) {
            message.append(file);
        }
        if (offset != NO_OFFSET) {
            message.append(message.isEmpty() ? "" : " ").append("at offset 0x").append(Long.toHexString(offset));
        }
        if (!message.isEmpty()) {
            message.append(": ");
        }
        return message.append(detail).toString();
    }
}
