package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.INT;

import java.lang.foreign.MemorySegment;

/**
 * The built-in kinds whose payload is a run of elements: strings ({@link TypeIds#STRING}),
 * primitive arrays ({@link TypeIds#BYTE_ARRAY} to {@link TypeIds#DOUBLE_ARRAY}) and reference
 * arrays ({@link TypeIds#REFERENCE_ARRAY}). The element count follows from the payload length
 * in the object header; nothing else is stored.
 *
 * <pre>
 *  string, T[] (T primitive):  payload offset 0
 *                             +--------------------------------------------+
 *                             | elements: UTF-8 bytes, or n * sizeof(T) LE |
 *                             +--------------------------------------------+
 *
 *  reference array:            0                  4          8                  8 + 8n
 *                             +------------------+----------+------------------+
 *                             | element type id  | reserved | n references     |
 *                             | (0 = any type)   | (0)      | (8 bytes, 0=null)|
 *                             +------------------+----------+------------------+
 * </pre>
 *
 * Every reference in a reference array counts: storing it retained the target, and freeing
 * the array releases each non-null element.
 */
public final class ArrayDescriptor {
    /** Payload offset of a reference array's 4-byte element type id. */
    public static final int ELEMENT_TYPE_OFFSET = 0;
    /** Payload offset of a reference array's first element. */
    public static final int REFERENCES_OFFSET = 8;
    /** Bytes of one reference. */
    public static final int REFERENCE_BYTES = 8;

    private ArrayDescriptor() {
    }

    /**
     * Returns the bytes of one element of a built-in element-run kind, or 0 for any other id.
     *
     * @param typeId a type id
     * @return bytes of one element: 1 for strings (UTF-8 bytes) and byte arrays, 2, 4 or 8 for
     *         other primitive arrays, 8 for reference arrays, 0 if the id is not an array kind
     */
    public static int elementBytes(int typeId) {
        return switch (typeId) {
            case TypeIds.STRING, TypeIds.BYTE_ARRAY -> 1;
            case TypeIds.SHORT_ARRAY, TypeIds.CHAR_ARRAY -> 2;
            case TypeIds.INT_ARRAY, TypeIds.FLOAT_ARRAY -> 4;
            case TypeIds.LONG_ARRAY, TypeIds.DOUBLE_ARRAY, TypeIds.REFERENCE_ARRAY -> 8;
            default -> 0;
        };
    }

    /**
     * Returns whether the id is a string or primitive array: a kind whose payload is plain bytes.
     *
     * @param typeId a type id
     * @return whether the payload of that kind holds no references
     */
    public static boolean isValueKind(int typeId) {
        return typeId >= TypeIds.STRING && typeId <= TypeIds.DOUBLE_ARRAY;
    }

    /**
     * Returns payload bytes of a reference array of that length.
     *
     * @param length number of elements
     * @return payload bytes of a reference array of that length
     */
    public static long referenceArrayPayloadBytes(int length) {
        return REFERENCES_OFFSET + (long) REFERENCE_BYTES * length;
    }

    /**
     * Returns the number of elements of a reference array.
     *
     * @param payloadBytes the array's payload length, from its header
     * @return the number of elements
     */
    public static int referenceArrayLength(long payloadBytes) {
        return (int) ((payloadBytes - REFERENCES_OFFSET) / REFERENCE_BYTES);
    }

    /**
     * Returns the element type id of a reference array (0 if its elements may be of any type).
     *
     * @param payload the array's payload
     * @return the element type id
     */
    public static int elementTypeId(MemorySegment payload) {
        return payload.get(INT, ELEMENT_TYPE_OFFSET);
    }
}
