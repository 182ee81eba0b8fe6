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
    /** First id of the types registered by users; ids between {@link #ROOT_TABLE} and this one are reserved for built-in kinds. */
    public static final int FIRST_USER_TYPE_ID = 64;

    private TypeIds() {
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
            default -> "type#" + typeId;
        };
    }
}
