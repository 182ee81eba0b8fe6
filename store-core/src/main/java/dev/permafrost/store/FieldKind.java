package dev.permafrost.store;

import dev.permafrost.layout.FieldKinds;

/** The kind of a stored field (the codes of {@link FieldKinds}). */
public enum FieldKind {
    /** {@code boolean}, 1 byte. */
    BOOLEAN(FieldKinds.BOOLEAN),
    /** {@code byte}, 1 byte. */
    BYTE(FieldKinds.BYTE),
    /** {@code short}, 2 bytes. */
    SHORT(FieldKinds.SHORT),
    /** {@code char}, 2 bytes. */
    CHAR(FieldKinds.CHAR),
    /** {@code int}, 4 bytes. */
    INT(FieldKinds.INT),
    /** {@code long}, 8 bytes. */
    LONG(FieldKinds.LONG),
    /** {@code float}, 4 bytes. */
    FLOAT(FieldKinds.FLOAT),
    /** {@code double}, 8 bytes. */
    DOUBLE(FieldKinds.DOUBLE),
    /** A counted reference to another object. */
    REFERENCE(FieldKinds.REFERENCE),
    /** A string or primitive array whose bytes live in the struct's own tail. */
    INLINE(FieldKinds.INLINE);

    private final int code;

    FieldKind(int code) {
        this.code = code;
    }

    /** {@return the code stored in type descriptors} */
    public int code() {
        return code;
    }

    /** {@return the bytes a field of this kind takes in a struct's fixed part} */
    public int fixedBytes() {
        return FieldKinds.fixedBytes(code);
    }

    /**
     * Returns the kind with that code.
     *
     * @param code a code from a type descriptor
     * @return the kind
     * @throws IllegalArgumentException if the code is not a kind
     */
    public static FieldKind ofCode(int code) {
        for (FieldKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no field kind has code " + code);
    }
}
