package dev.permafrost.heapdump;

import dev.permafrost.layout.ArrayDescriptor;
import dev.permafrost.layout.FieldKinds;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.RootTableDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.TypeEntryDescriptor;
import dev.permafrost.layout.TypeIds;
import dev.permafrost.layout.TypeTableDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * Where the references inside an object are, from the store's own description of its types:
 * the type table (entries point at type descriptors), the root table (names are strings,
 * objects anything), reference arrays (their element type), user structs (their
 * {@link FieldKinds#REFERENCE} fields, of the type the descriptor names). Strings, primitive
 * arrays, descriptors and untyped blocks hold none. Reports each reference with the offset of
 * the field holding it, so findings can name both ends. Counts and field offsets read from an
 * object are clamped to its payload, so a damaged object is never read past its block.
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

    private final Tables tables;

    References(Tables tables) {
        this.tables = tables;
    }

    /**
     * Returns whether the references of objects of this type can be found.
     *
     * @param typeId a type id
     * @return whether {@link #forEach} reports every reference such an object holds
     */
    boolean knows(int typeId) {
        return typeId < TypeIds.FIRST_USER_TYPE_ID ? typeId <= TypeIds.REFERENCE_ARRAY : tables.entry(typeId) != null;
    }

    /**
     * Returns whether objects of this type may hold references.
     *
     * @param typeId a type id
     * @return whether {@link #forEach} may report anything for such an object
     */
    boolean holdsReferences(int typeId) {
        if (typeId == TypeIds.TYPE_TABLE || typeId == TypeIds.ROOT_TABLE || typeId == TypeIds.REFERENCE_ARRAY) {
            return true;
        }
        TypeEntryDescriptor.TypeEntry entry = tables.entry(typeId);
        return entry != null && entry.fields().stream().anyMatch(f -> f.kind() == FieldKinds.REFERENCE);
    }

    /**
     * Reports the references an object holds.
     *
     * @param memory       the store, from offset 0
     * @param objectOffset the object
     * @param meta         its meta word
     * @param sink         receives each non-null reference
     */
    void forEach(MemorySegment memory, long objectOffset, long meta, Sink sink) {
        int typeId = ObjectHeaderDescriptor.typeId(meta);
        long payloadBytes = ObjectHeaderDescriptor.payloadBytes(meta);
        long payload = objectOffset + ObjectHeaderDescriptor.LENGTH;
        if (typeId >= TypeIds.FIRST_USER_TYPE_ID) {
            TypeEntryDescriptor.TypeEntry entry = tables.entry(typeId);
            if (entry == null) {
                return;
            }
            for (TypeEntryDescriptor.FieldEntry f : entry.fields()) {
                if (f.kind() == FieldKinds.REFERENCE && f.payloadOffset() + 8L <= payloadBytes) {
                    report(memory, payload + f.payloadOffset(), f.referencedTypeId() == 0 ? -1 : f.referencedTypeId(), sink);
                }
            }
        } else if (typeId == TypeIds.REFERENCE_ARRAY && payloadBytes >= ArrayDescriptor.REFERENCES_OFFSET) {
            int element = memory.get(StoreFormat.INT, payload + ArrayDescriptor.ELEMENT_TYPE_OFFSET);
            long length = (payloadBytes - ArrayDescriptor.REFERENCES_OFFSET) / ArrayDescriptor.REFERENCE_BYTES;
            for (long i = 0; i < length; i++) {
                report(memory, payload + ArrayDescriptor.REFERENCES_OFFSET + ArrayDescriptor.REFERENCE_BYTES * i,
                        element == 0 ? -1 : element, sink);
            }
        } else if (typeId == TypeIds.TYPE_TABLE && payloadBytes >= TypeTableDescriptor.ENTRIES_OFFSET) {
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
                report(memory, entry + RootTableDescriptor.ENTRY_NAME_OFFSET, TypeIds.STRING, sink);
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
