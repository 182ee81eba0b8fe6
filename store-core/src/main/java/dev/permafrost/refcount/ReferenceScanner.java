package dev.permafrost.refcount;

import java.lang.foreign.MemorySegment;
import java.util.function.LongConsumer;

/**
 * Finds the references an object holds, so that freeing it can release them. The store
 * frees with an explicit work list, never by recursion, so a long chain frees in constant
 * Java stack.
 */
@FunctionalInterface
public interface ReferenceScanner {
    /** For stores whose objects hold no references (untyped blocks). */
    ReferenceScanner NONE = (memory, objectOffset, typeId, action) -> { };

    /**
     * Reports every non-null reference the object holds.
     *
     * @param memory       the store's memory, from offset 0 of the file
     * @param objectOffset the object's offset, bytes from the start of the file
     * @param typeId       the object's type id
     * @param action       receives each referenced object's offset
     */
    void forEachReference(MemorySegment memory, long objectOffset, int typeId, LongConsumer action);
}
