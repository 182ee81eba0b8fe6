package dev.permafrost.store;

import dev.permafrost.layout.ArrayDescriptor;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.TypeIds;
import java.util.function.LongConsumer;

/**
 * Finds the references an object holds, so that freeing it can release them: the reference
 * fields of a struct (their offsets come from the type table, computed once per type), the
 * elements of a reference array; none for strings, primitive arrays, raw objects and the type
 * and root tables (whose references move with them when they grow).
 *
 * <p>Hot path of freeing: one header read, then one read per reference slot.
 */
final class ReferenceScan {
    private final ObjectSpace space;
    private final TypeTable table;

    ReferenceScan(ObjectSpace space, TypeTable table) {
        this.space = space;
        this.table = table;
    }

    /**
     * Reports every non-null reference an object holds.
     *
     * @param objectOffset a live object (or one being freed)
     * @param action       receives each referenced object's offset
     */
    void forEachReference(long objectOffset, LongConsumer action) {
        int typeId = space.typeIdAt(objectOffset);
        if (typeId >= TypeIds.FIRST_USER_TYPE_ID) {
            for (long fieldOffset : table.layoutOf(objectOffset, typeId).referenceOffsets) {
                long reference = space.memory.get(StoreFormat.LONG, objectOffset + fieldOffset);
                if (reference != 0) {
                    action.accept(reference);
                }
            }
        } else if (typeId == TypeIds.REFERENCE_ARRAY) {
            long elements = objectOffset + ObjectHeaderDescriptor.LENGTH + ArrayDescriptor.REFERENCES_OFFSET;
            int length = ArrayDescriptor.referenceArrayLength(space.payloadBytesAt(objectOffset));
            for (int i = 0; i < length; i++) {
                long reference = space.memory.get(StoreFormat.LONG, elements + (long) ArrayDescriptor.REFERENCE_BYTES * i);
                if (reference != 0) {
                    action.accept(reference);
                }
            }
        }
    }
}
