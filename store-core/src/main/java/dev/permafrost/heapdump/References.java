package dev.permafrost.heapdump;

import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.RootTableDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.TypeIds;
import dev.permafrost.layout.TypeTableDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * Where the references inside an object are, for every type whose layout the CLI knows: the
 * type table (entries point at type descriptors), the root table (names and objects), untyped
 * blocks (none). Reports each reference with the offset of the field holding it, so findings
 * can name both ends.
 */
final class References {
    /** Receives one reference. */
    @FunctionalInterface
    interface Sink {
        /**
         * Called for each non-null reference.
         *
         * @param fieldOffset  bytes from the start of the file to the field holding it
         * @param target       the reference: the referenced object's offset
         * @param expectedType the type the target must have, or -1 for any
         */
        void reference(long fieldOffset, long target, int expectedType);
    }

    private References() {
    }

    /**
     * Returns whether the references of objects of this type can be found.
     *
     * @param typeId a type id
     * @return whether {@link #forEach} reports every reference such an object holds
     */
    static boolean knows(int typeId) {
        return typeId == TypeIds.RAW || typeId == TypeIds.TYPE_TABLE || typeId == TypeIds.ROOT_TABLE;
    }

    /**
     * Returns whether objects of this type may hold references the CLI can find.
     *
     * @param typeId a type id
     * @return whether {@link #forEach} may report anything for such an object
     */
    static boolean holdsReferences(int typeId) {
        return typeId == TypeIds.TYPE_TABLE || typeId == TypeIds.ROOT_TABLE;
    }

    /**
     * Reports the references an object holds. Counts read from the object are clamped to its
     * payload, so a damaged table is never read past its block.
     *
     * @param memory       the store, from offset 0
     * @param objectOffset the object
     * @param meta         its meta word
     * @param sink         receives each non-null reference
     */
    static void forEach(MemorySegment memory, long objectOffset, long meta, Sink sink) {
        int typeId = ObjectHeaderDescriptor.typeId(meta);
        long payloadBytes = ObjectHeaderDescriptor.payloadBytes(meta);
        long payload = objectOffset + ObjectHeaderDescriptor.LENGTH;
        if (typeId == TypeIds.TYPE_TABLE && payloadBytes >= TypeTableDescriptor.ENTRIES_OFFSET) {
            long count = entries(memory, payload, TypeTableDescriptor.COUNT_OFFSET, payloadBytes,
                    TypeTableDescriptor.ENTRIES_OFFSET, TypeTableDescriptor.ENTRY_LENGTH);
            for (long i = 0; i < count; i++) {
                long field = payload + TypeTableDescriptor.ENTRIES_OFFSET + TypeTableDescriptor.ENTRY_LENGTH * i;
                report(memory, field, TypeIds.TYPE_DESCRIPTOR, sink);
            }
        } else if (typeId == TypeIds.ROOT_TABLE && payloadBytes >= RootTableDescriptor.ENTRIES_OFFSET) {
            long count = entries(memory, payload, RootTableDescriptor.COUNT_OFFSET, payloadBytes,
                    RootTableDescriptor.ENTRIES_OFFSET, RootTableDescriptor.ENTRY_LENGTH);
            for (long i = 0; i < count; i++) {
                long entry = payload + RootTableDescriptor.ENTRIES_OFFSET + RootTableDescriptor.ENTRY_LENGTH * i;
                report(memory, entry + RootTableDescriptor.ENTRY_NAME_OFFSET, -1, sink);
                report(memory, entry + RootTableDescriptor.ENTRY_OBJECT_OFFSET, -1, sink);
            }
        }
    }

    private static long entries(MemorySegment memory, long payload, int countOffset, long payloadBytes,
                                int entriesOffset, int entryLength) {
        long count = memory.get(StoreFormat.INT, payload + countOffset);
        return Math.clamp(count, 0, (payloadBytes - entriesOffset) / entryLength);
    }

    private static void report(MemorySegment memory, long field, int expectedType, Sink sink) {
        long target = memory.get(StoreFormat.LONG, field);
        if (target != StoreFormat.NULL_REFERENCE) {
            sink.reference(field, target, expectedType);
        }
    }
}
