package dev.permafrost.store;

import dev.permafrost.layout.StoreFormat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Zero-copy access to one reference field of a stored type: one read of the mapped memory at
 * a fixed offset, computed when the accessor was made. The offset given must be an object of
 * the accessor's type (from {@link RecordType#write}, a root, or a reference field): the
 * accessor does not read the header to check, so that it costs no more than the read itself.
 */
public final class ReferenceField {
    private static final ValueLayout.OfLong LAYOUT = StoreFormat.LONG;

    private final RecordType<?> type;
    private final MemorySegment memory;
    private final long fieldOffset;
    private final String name;

    ReferenceField(RecordType<?> type, MemorySegment memory, long fieldOffset, String name) {
        this.type = type;
        this.memory = memory;
        this.fieldOffset = fieldOffset;
        this.name = name;
    }

    /**
     * Reads the field.
     *
     * @param objectOffset an object of the accessor's type
     * @return the referenced object's offset, or 0 for null
     */
    public long get(long objectOffset) {
        return memory.get(LAYOUT, objectOffset + fieldOffset);
    }

    /**
     * Reads the field.
     *
     * @param object       an object of the accessor's type, checked: live, and of that type
     * @return the referenced object, or {@code null} for a null reference
     * @throws dev.permafrost.error.ReferenceCountException if the reference names no live object
     * @throws dev.permafrost.error.TypeMismatchException if the object is of another type
     */
    public Ref<?> get(Ref<?> object) {
        long reference = get(type.checkInstance(object.offset()));
        return reference == 0 ? null : new Ref<>(reference);
    }

    /** {@return the field's name} */
    public String name() {
        return name;
    }

    /** {@return the field's offset from the start of an object (its header), bytes} */
    public long fieldOffset() {
        return fieldOffset;
    }
}
