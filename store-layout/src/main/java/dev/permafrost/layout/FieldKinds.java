package dev.permafrost.layout;

/**
 * The kinds of a struct's fields, as stored in {@link TypeEntryDescriptor type descriptors}.
 * A field's kind says how many bytes it takes in the struct's fixed part and how to read them.
 *
 * <pre>
 *  code kind       bytes  content
 *   1   BOOLEAN      1    0 or 1
 *   2   BYTE         1    two's complement
 *   3   SHORT        2    little-endian
 *   4   CHAR         2    UTF-16 code unit, little-endian
 *   5   INT          4    little-endian
 *   6   LONG         8    little-endian
 *   7   FLOAT        4    IEEE 754 bits, little-endian
 *   8   DOUBLE       8    IEEE 754 bits, little-endian
 *   9   REFERENCE    8    offset of another object (0 = null); counts: retained when stored
 *  10   INLINE       8    a slot naming bytes in the struct's own tail (0 = null), see {@link StructDescriptor}
 * </pre>
 */
public final class FieldKinds {
    /** {@code boolean}, 1 byte. */
    public static final int BOOLEAN = 1;
    /** {@code byte}, 1 byte. */
    public static final int BYTE = 2;
    /** {@code short}, 2 bytes. */
    public static final int SHORT = 3;
    /** {@code char}, 2 bytes. */
    public static final int CHAR = 4;
    /** {@code int}, 4 bytes. */
    public static final int INT = 5;
    /** {@code long}, 8 bytes. */
    public static final int LONG = 6;
    /** {@code float}, 4 bytes. */
    public static final int FLOAT = 7;
    /** {@code double}, 8 bytes. */
    public static final int DOUBLE = 8;
    /** A counted reference to another object, 8 bytes. */
    public static final int REFERENCE = 9;
    /** An inline string or primitive array: an 8-byte slot in the fixed part, the bytes in the tail. */
    public static final int INLINE = 10;

    private FieldKinds() {
    }

    /**
     * Returns the bytes a field of that kind takes in the fixed part, or 0 for an unknown kind.
     *
     * @param kind a field kind code
     * @return bytes in the struct's fixed part, or 0 if the code is not a kind
     */
    public static int fixedBytes(int kind) {
        return switch (kind) {
            case BOOLEAN, BYTE -> 1;
            case SHORT, CHAR -> 2;
            case INT, FLOAT -> 4;
            case LONG, DOUBLE, REFERENCE, INLINE -> 8;
            default -> 0;
        };
    }

    /**
     * Returns the kind's name, or {@code "kind#N"} for an unknown code.
     *
     * @param kind a field kind code
     * @return the kind's name
     */
    public static String name(int kind) {
        return switch (kind) {
            case BOOLEAN -> "boolean";
            case BYTE -> "byte";
            case SHORT -> "short";
            case CHAR -> "char";
            case INT -> "int";
            case LONG -> "long";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case REFERENCE -> "reference";
            case INLINE -> "inline";
            default -> "kind#" + kind;
        };
    }
}
