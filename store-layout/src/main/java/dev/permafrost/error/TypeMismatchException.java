package dev.permafrost.error;

import java.nio.file.Path;

/**
 * A Java class that does not match the type stored under its name (a field added, removed or
 * retyped), or an object read as a type it is not. Nothing was read or written: the store
 * never decodes an object with a layout other than its own.
 */
public class TypeMismatchException extends PermafrostException {
    private static final long serialVersionUID = 1L;

    private final String typeName;

    /**
     * Creates the exception.
     *
     * @param file     the store file, or {@code null} when none is known
     * @param offset   the type descriptor's or object's offset, or {@link PermafrostException#NO_OFFSET}
     * @param typeName the name of the type concerned
     * @param detail   the difference: what the store holds and what the class declares
     */
    public TypeMismatchException(Path file, long offset, String typeName, String detail) {
        super(file, offset, "type '" + typeName + "': " + detail, null);
        this.typeName = typeName;
    }

    /** {@return the name of the type concerned} */
    public String typeName() {
        return typeName;
    }
}
