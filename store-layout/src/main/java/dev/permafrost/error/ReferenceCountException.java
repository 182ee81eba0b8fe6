package dev.permafrost.error;

import java.nio.file.Path;

/**
 * Misuse of an object's reference count: releasing an object more times than it was
 * retained (a double release), or retaining an object that is already free (a use after
 * free). The count is left as it was found, so the store stays consistent.
 */
public class ReferenceCountException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    private final int typeId;
    private final long countFound;

    /**
     * Creates the exception.
     *
     * @param file       the store file, or {@code null} when none is known
     * @param offset     the object's offset, bytes from the start of the file
     * @param typeId     the object's type id, from its header
     * @param countFound the reference-count word found
     * @param detail     what was attempted
     */
    public ReferenceCountException(Path file, long offset, int typeId, long countFound, String detail) {
        super(file, offset, detail + " (type id " + typeId + ", reference count " + countFound + ")", null);
        this.typeId = typeId;
        this.countFound = countFound;
    }

    /** {@return the type id in the object's header} */
    public int typeId() {
        return typeId;
    }

    /** {@return the reference-count word found when the misuse was detected} */
    public long countFound() {
        return countFound;
    }
}
