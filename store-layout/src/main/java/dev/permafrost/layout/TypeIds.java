package dev.permafrost.layout;

/**
 * Type ids, the upper 24 bits of an object's meta word. Ids below {@link #FIRST_USER_TYPE_ID}
 * are the format's own kinds; ids from {@link #FIRST_USER_TYPE_ID} up are described by
 * entries of the {@linkplain TypeTableDescriptor type table}.
 */
public final class TypeIds {
    /** Never found in a valid header. */
    public static final int INVALID = 0;
    /** Untyped bytes: the store knows their length and nothing else. */
    public static final int RAW = 1;
    /** The type table ({@link TypeTableDescriptor}). */
    public static final int TYPE_TABLE = 2;
    /** One type's description, referenced from the type table. */
    public static final int TYPE_DESCRIPTOR = 3;
    /** The root table ({@link RootTableDescriptor}). */
    public static final int ROOT_TABLE = 4;
    /** A string: its UTF-8 bytes are the whole payload ({@link ArrayDescriptor}). */
    public static final int STRING = 5;
    /** An array of {@code byte}: the elements are the whole payload. */
    public static final int BYTE_ARRAY = 6;
    /** An array of {@code short}, 2 bytes an element, little-endian. */
    public static final int SHORT_ARRAY = 7;
    /** An array of {@code char} (UTF-16 code units), 2 bytes an element, little-endian. */
    public static final int CHAR_ARRAY = 8;
    /** An array of {@code int}, 4 bytes an element, little-endian. */
    public static final int INT_ARRAY = 9;
    /** An array of {@code long}, 8 bytes an element, little-endian. */
    public static final int LONG_ARRAY = 10;
    /** An array of {@code float}, 4 bytes an element (IEEE 754 bits), little-endian. */
    public static final int FLOAT_ARRAY = 11;
    /** An array of {@code double}, 8 bytes an element (IEEE 754 bits), little-endian. */
    public static final int DOUBLE_ARRAY = 12;
    /** An array of references: an element type id, then 8-byte references ({@link ArrayDescriptor}). */
    public static final int REFERENCE_ARRAY = 13;
    /** First id of the types registered by users; ids from {@link #REFERENCE_ARRAY} + 1 up to this one are reserved for built-in kinds. */
    public static final int FIRST_USER_TYPE_ID = 64;

    private TypeIds() {
    }

    /**
     * Returns whether the id is one of the format's own kinds (below {@link #FIRST_USER_TYPE_ID}).
     *
     * @param typeId a type id
     * @return whether the id is one of the format's own kinds
     */
    public static boolean isBuiltin(int typeId) {
        return typeId > INVALID && typeId < FIRST_USER_TYPE_ID;
    }

    /**
     * Returns a short name for built-in ids, {@code "type#N"} for others.
     *
     * @param typeId a type id
     * @return a short name for built-in ids, {@code "type#N"} for others
     */
    public static String builtinName(int typeId) {
        return switch (typeId) {
            case INVALID -> "invalid";
            case RAW -> "raw";
            case TYPE_TABLE -> "type-table";
            case TYPE_DESCRIPTOR -> "type-descriptor";
            case ROOT_TABLE -> "root-table";
            case STRING -> "string";
            case BYTE_ARRAY -> "byte[]";
            case SHORT_ARRAY -> "short[]";
            case CHAR_ARRAY -> "char[]";
            case INT_ARRAY -> "int[]";
            case LONG_ARRAY -> "long[]";
            case FLOAT_ARRAY -> "float[]";
            case DOUBLE_ARRAY -> "double[]";
            case REFERENCE_ARRAY -> "reference[]";
            default -> "type#" + typeId;
        };
    }
}
