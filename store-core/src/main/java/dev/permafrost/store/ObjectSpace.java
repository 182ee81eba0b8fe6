package dev.permafrost.store;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.error.ReferenceCountException;
import dev.permafrost.error.TypeMismatchException;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What every part of a store's typed layer shares: the store's memory and file, the one
 * allocator entry point that takes any type id, and the checks of an offset against the
 * headers it names. Package-private: the parts ({@link TypeTable}, {@link Roots},
 * {@link BuiltinKinds}, {@link ObjectDecoder}, {@link ReferenceScan}) reach the store only
 * through this object, and users reach them only through {@link Types}.
 *
 * <p>Two kinds of check, by where the offset came from: {@link #checkStored} for an offset
 * read from the file (a bad one is a {@link CorruptStoreException}), {@link #checkLive} for
 * one a caller passed in (a bad one is a {@link ReferenceCountException}, as the reference
 * counts report it).
 */
final class ObjectSpace {
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(StoreFormat.BYTE_ORDER);
    static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(StoreFormat.BYTE_ORDER);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(StoreFormat.BYTE_ORDER);
    static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(StoreFormat.BYTE_ORDER);

    static {
        // generated decoders read with native-order layouts; the format is little-endian
        if (ByteOrder.nativeOrder() != StoreFormat.BYTE_ORDER) {
            throw new ExceptionInInitializerError("Permafrost needs a little-endian platform, found " + ByteOrder.nativeOrder());
        }
    }

    /** Allocates an object of any type id, which the public {@link Store#allocate(long)} does not offer. */
    @FunctionalInterface
    interface Allocation {
        /**
         * Allocates an object with a count of 1 and a zeroed payload.
         *
         * @param typeId       any valid type id
         * @param payloadBytes payload length
         * @return the object's offset
         */
        long allocate(int typeId, long payloadBytes);
    }

    final Store store;
    final MemorySegment memory;
    final Path file;
    private final Allocation allocation;

    ObjectSpace(Store store, MemorySegment memory, Path file, Allocation allocation) {
        this.store = store;
        this.memory = memory;
        this.file = file;
        this.allocation = allocation;
    }

    /** Allocates an object of any kind, checking the store's state as {@link Store#allocate(long)} does. */
    long allocate(int typeId, long payloadBytes) {
        return allocation.allocate(typeId, payloadBytes);
    }

    int typeIdAt(long objectOffset) {
        return ObjectHeaderDescriptor.typeId(memory.get(StoreFormat.LONG, objectOffset + ObjectHeaderDescriptor.META_OFFSET));
    }

    long payloadBytesAt(long objectOffset) {
        return ObjectHeaderDescriptor.payloadBytes(memory.get(StoreFormat.LONG, objectOffset + ObjectHeaderDescriptor.META_OFFSET));
    }

    MemorySegment payloadOf(long objectOffset) {
        return memory.asSlice(objectOffset + ObjectHeaderDescriptor.LENGTH, payloadBytesAt(objectOffset));
    }

    /**
     * Copies a table into a larger one and frees the old one. The table's references move with
     * it: freeing a table releases nothing ({@link ReferenceScan} reports none for tables).
     */
    long grow(long table, int typeId, long payloadBytes) {
        long larger = allocate(typeId, payloadBytes);
        payloadOf(larger).copyFrom(payloadOf(table));
        store.release(table);
        return larger;
    }

    /** Whether an offset can head an object of this mapping: in the heap, 16-aligned, a whole header inside. */
    boolean isObjectOffset(long objectOffset) {
        return objectOffset >= StoreFormat.HEAP_START_OFFSET && (objectOffset & (StoreFormat.OBJECT_ALIGNMENT - 1)) == 0
                && objectOffset <= memory.byteSize() - ObjectHeaderDescriptor.LENGTH;
    }

    /**
     * Validates a reference read from the file's tables as the store opens: 16-aligned, a live
     * object of the type (0 = any) whose payload ends at or below the committed bump offset (a
     * copy-on-write mapping is larger than the file: a damaged length must not reach into it).
     */
    void checkStored(long offset, int typeId, String what) {
        long bump = store.committedBumpOffset();
        if (!isObjectOffset(offset) || offset > bump - ObjectHeaderDescriptor.LENGTH) {
            throw new CorruptStoreException(file, offset, what + " is not at a 16-aligned offset inside the heap");
        }
        long meta = memory.get(StoreFormat.LONG, offset + ObjectHeaderDescriptor.META_OFFSET);
        long count = memory.get(StoreFormat.LONG, offset);
        int found = ObjectHeaderDescriptor.typeId(meta);
        if (count == ObjectHeaderDescriptor.FREE_COUNT || (typeId != 0 && found != typeId)
                || ObjectHeaderDescriptor.payloadBytes(meta) > bump - offset - ObjectHeaderDescriptor.LENGTH) {
            throw new CorruptStoreException(file, offset, what + " is " + (count == 0 ? "a free block" : "an object of type "
                    + TypeIds.builtinName(found) + " with " + ObjectHeaderDescriptor.payloadBytes(meta) + " payload bytes")
                    + (typeId != 0 ? ", expected a live " + TypeIds.builtinName(typeId) : ""));
        }
    }

    /**
     * Turns a reference read from an object's payload into a {@link Ref}, without following it.
     *
     * @param reference    the word read
     * @param objectOffset the object it was read from, or the reference itself where that is not known
     * @param what         names the word, for the message ("field 'next' of a 'Node'")
     * @return {@code null} for 0, else the reference
     * @throws CorruptStoreException if no object can be at that offset (negative, or not 16-aligned)
     */
    Ref<?> storedRef(long reference, long objectOffset, Supplier<String> what) {
        if (reference == 0) {
            return null;
        }
        if (!canBeObjectOffset(reference)) {
            throw badReference(reference, objectOffset, what.get());
        }
        return new Ref<>(reference);
    }

    /** {@return whether a {@link Ref} can name that offset: positive and 16-aligned} */
    static boolean canBeObjectOffset(long reference) {
        return reference > 0 && (reference & (StoreFormat.OBJECT_ALIGNMENT - 1)) == 0;
    }

    /** The error of a stored reference no object can be at, read from {@code what} of the object at {@code objectOffset}. */
    CorruptStoreException badReference(long reference, long objectOffset, String what) {
        return new CorruptStoreException(file, objectOffset, what + " holds reference 0x" + Long.toHexString(reference)
                + ", not a 16-aligned offset");
    }

    /**
     * Validates an offset a caller passed in: it must head a live object of this mapping.
     *
     * @return the object's type id
     * @throws ReferenceCountException if it is not an object offset, or the object is free
     */
    int checkLive(long objectOffset, String operation) {
        if (!isObjectOffset(objectOffset)) {
            throw new ReferenceCountException(file, objectOffset, TypeIds.INVALID, 0, operation + ": 0x"
                    + Long.toHexString(objectOffset) + " is not an object offset in this store (16-aligned, from 0x"
                    + Long.toHexString(StoreFormat.HEAP_START_OFFSET) + " to the end of the mapping)");
        }
        long count;
        int typeId;
        try {
            count = memory.get(StoreFormat.LONG, objectOffset);
            typeId = typeIdAt(objectOffset);
        } catch (IllegalStateException e) { // the store was closed: its arena refuses
            throw store.closed(e);
        } catch (InternalError e) { // the file was truncated under the mapping
            throw store.truncated(e, objectOffset);
        }
        store.checkHeadsObject(objectOffset, count, operation);
        if (count == ObjectHeaderDescriptor.FREE_COUNT) {
            throw new ReferenceCountException(file, objectOffset, typeId, count, operation + " of a free object (use after free)");
        }
        return typeId;
    }

    TypeMismatchException notOfType(long objectOffset, int found, String expected, String foundName) {
        return new TypeMismatchException(file, objectOffset, expected, "the object is of type '" + foundName
                + "' (id " + found + "), not '" + expected + "'");
    }
}
