package dev.permafrost.store;

import dev.permafrost.error.TypeMismatchException;
import dev.permafrost.layout.ArrayDescriptor;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.permafrost.store.ObjectSpace.CHAR;
import static dev.permafrost.store.ObjectSpace.DOUBLE;
import static dev.permafrost.store.ObjectSpace.FLOAT;
import static dev.permafrost.store.ObjectSpace.SHORT;

/**
 * The built-in kinds: string objects (UTF-8), primitive arrays and reference arrays, written
 * and read back. Strings and primitive arrays hold no references; a reference array holds one
 * per non-null element.
 */
final class BuiltinKinds {
    private final ObjectSpace space;
    private final TypeTable table;

    BuiltinKinds(ObjectSpace space, TypeTable table) {
        this.space = space;
        this.table = table;
    }

    /** Reads a string object whose offset came from the file and was checked there. */
    String readStoredString(long objectOffset) {
        return Utf8.decode(space.memory, objectOffset + ObjectHeaderDescriptor.LENGTH, (int) space.payloadBytesAt(objectOffset), false);
    }

    private void checkLiveType(long objectOffset, int typeId) {
        int found = space.checkLive(objectOffset, "read");
        if (found != typeId) {
            throw space.notOfType(objectOffset, found, TypeIds.builtinName(typeId), table.typeName(found));
        }
    }

    void checkReferenceTarget(long objectOffset, int expectedTypeId, String where) {
        int found = space.checkLive(objectOffset, where);
        if (expectedTypeId != 0 && found != expectedTypeId) {
            throw new TypeMismatchException(space.file, objectOffset, table.typeName(expectedTypeId), where
                    + " must refer to a '" + table.typeName(expectedTypeId) + "', found an object of type '"
                    + table.typeName(found) + "'");
        }
    }

    /**
     * Writes a string object ({@link TypeIds#STRING}: its UTF-8 bytes) with a count of 1.
     *
     * @param s the string
     * @return the new object's offset
     */
    long writeString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        long object = space.allocate(TypeIds.STRING, bytes.length);
        MemorySegment.copy(bytes, 0, space.memory, ValueLayout.JAVA_BYTE, object + ObjectHeaderDescriptor.LENGTH, bytes.length);
        return object;
    }

    /**
     * Reads a string object into a heap string.
     *
     * @param objectOffset a string object
     * @return the string
     * @throws TypeMismatchException if the object is not a string
     */
    String readString(long objectOffset) {
        checkLiveType(objectOffset, TypeIds.STRING);
        return Utf8.decode(space.memory, objectOffset + ObjectHeaderDescriptor.LENGTH, (int) space.payloadBytesAt(objectOffset), false);
    }

    /**
     * Compares a string object with a Java string without allocating.
     *
     * @param objectOffset a string object
     * @param s            the string to compare with
     * @return whether the object holds exactly that string
     * @throws TypeMismatchException if the object is not a string
     */
    boolean stringEquals(long objectOffset, String s) {
        checkLiveType(objectOffset, TypeIds.STRING);
        return Utf8.equals(space.memory, objectOffset + ObjectHeaderDescriptor.LENGTH, (int) space.payloadBytesAt(objectOffset), s);
    }

    /**
     * Writes a primitive array object ({@code byte[]}, {@code short[]}, {@code char[]},
     * {@code int[]}, {@code long[]}, {@code float[]} or {@code double[]}) with a count of 1.
     *
     * @param array the array
     * @return the new object's offset
     * @throws IllegalArgumentException if it is not one of those arrays
     */
    long writeArray(Object array) {
        int typeId = Component.primitiveArrayTypeId(array.getClass());
        if (typeId == 0) {
            throw new IllegalArgumentException(array.getClass().getTypeName() + " is not a storable primitive array");
        }
        long object = space.allocate(typeId, (long) java.lang.reflect.Array.getLength(array) * ArrayDescriptor.elementBytes(typeId));
        copyArray(array, space.memory, object + ObjectHeaderDescriptor.LENGTH);
        return object;
    }

    /**
     * Reads a primitive array object into a new Java array of its kind.
     *
     * @param objectOffset a primitive array object
     * @return the array ({@code byte[]}, {@code int[]}, ...)
     * @throws TypeMismatchException if the object is not a primitive array
     */
    Object readArray(long objectOffset) {
        int typeId = space.checkLive(objectOffset, "read");
        if (typeId == TypeIds.STRING || !ArrayDescriptor.isValueKind(typeId)) {
            throw space.notOfType(objectOffset, typeId, "primitive array", table.typeName(typeId));
        }
        return decodeElements(typeId, space.memory.asSlice(objectOffset + ObjectHeaderDescriptor.LENGTH, space.payloadBytesAt(objectOffset)));
    }

    /**
     * Writes a reference array with a count of 1, retaining every non-null element.
     *
     * @param elementTypeId the elements' type id, or 0 for any
     * @param references    the elements' offsets, 0 for null
     * @return the new object's offset
     * @throws TypeMismatchException if an element is not of the element type
     */
    long writeReferenceArray(int elementTypeId, long... references) {
        for (long reference : references) {
            if (reference != 0) {
                checkReferenceTarget(reference, elementTypeId, "reference array element");
            }
        }
        int retained = 0;
        try {
            for (; retained < references.length; retained++) {
                if (references[retained] != 0) {
                    space.store.retain(references[retained]);
                }
            }
            return adoptReferenceArray(elementTypeId, references);
        } catch (RuntimeException e) {
            releaseAll(Arrays.copyOf(references, retained));
            throw e;
        }
    }

    /**
     * Reads the elements of a reference array.
     *
     * @param objectOffset a reference array object
     * @return its elements' offsets, 0 for null
     * @throws TypeMismatchException if the object is not a reference array
     */
    long[] readReferenceArray(long objectOffset) {
        checkLiveType(objectOffset, TypeIds.REFERENCE_ARRAY);
        int length = ArrayDescriptor.referenceArrayLength(space.payloadBytesAt(objectOffset));
        return space.memory.asSlice(objectOffset + ObjectHeaderDescriptor.LENGTH + ArrayDescriptor.REFERENCES_OFFSET,
                (long) length * ArrayDescriptor.REFERENCE_BYTES).toArray(StoreFormat.LONG);
    }

    /** Writes a reference array whose element references the caller already holds and hands over. */
    long adoptReferenceArray(int elementTypeId, long[] references) {
        long object = space.allocate(TypeIds.REFERENCE_ARRAY, ArrayDescriptor.referenceArrayPayloadBytes(references.length));
        long payload = object + ObjectHeaderDescriptor.LENGTH;
        space.memory.set(StoreFormat.INT, payload + ArrayDescriptor.ELEMENT_TYPE_OFFSET, elementTypeId);
        MemorySegment.copy(references, 0, space.memory, StoreFormat.LONG, payload + ArrayDescriptor.REFERENCES_OFFSET, references.length);
        return object;
    }

    void releaseAll(long[] references) {
        for (long reference : references) {
            if (reference != 0) {
                space.store.release(reference);
            }
        }
    }

    /** Copies a primitive array to the memory, little-endian; returns the bytes written. */
    static int copyArray(Object array, MemorySegment memory, long at) {
        return switch (array) {
            case byte[] a -> copy(a, a.length, ValueLayout.JAVA_BYTE, memory, at);
            case short[] a -> copy(a, a.length, SHORT, memory, at);
            case char[] a -> copy(a, a.length, CHAR, memory, at);
            case int[] a -> copy(a, a.length, StoreFormat.INT, memory, at);
            case long[] a -> copy(a, a.length, StoreFormat.LONG, memory, at);
            case float[] a -> copy(a, a.length, FLOAT, memory, at);
            case double[] a -> copy(a, a.length, DOUBLE, memory, at);
            default -> throw new IllegalArgumentException(array.getClass().getTypeName() + " is not a storable primitive array");
        };
    }

    private static int copy(Object array, int length, ValueLayout layout, MemorySegment memory, long at) {
        MemorySegment.copy(array, 0, memory, layout, at, length);
        return Math.toIntExact(length * layout.byteSize());
    }

    static Object decodeElements(int typeId, MemorySegment bytes) {
        return switch (typeId) {
            case TypeIds.STRING -> Utf8.decode(bytes, 0, (int) bytes.byteSize(), false);
            case TypeIds.BYTE_ARRAY -> bytes.toArray(ValueLayout.JAVA_BYTE);
            case TypeIds.SHORT_ARRAY -> bytes.toArray(SHORT);
            case TypeIds.CHAR_ARRAY -> bytes.toArray(CHAR);
            case TypeIds.INT_ARRAY -> bytes.toArray(StoreFormat.INT);
            case TypeIds.LONG_ARRAY -> bytes.toArray(StoreFormat.LONG);
            case TypeIds.FLOAT_ARRAY -> bytes.toArray(FLOAT);
            case TypeIds.DOUBLE_ARRAY -> bytes.toArray(DOUBLE);
            default -> throw new IllegalArgumentException("type id " + typeId + " is not a string or primitive array");
        };
    }
}
