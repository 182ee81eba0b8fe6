package dev.permafrost.store;

import dev.permafrost.layout.StoreFormat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Zero-copy access to one reference field of a stored type: one read of the mapped memory at
 * a fixed offset, computed when the accessor was made. The offset form reads and checks
 * nothing else; the {@link Ref} form checks the object first ({@link FieldAccessor}).
 */
public final class ReferenceField extends FieldAccessor {
    private static final ValueLayout.OfLong LAYOUT = StoreFormat.LONG;

    ReferenceField(RecordType<?> type, MemorySegment memory, long fieldOffset, String name) {
        super(type, memory, fieldOffset, name);
    }

    /**
     * Reads the field.
     *
     * @param objectOffset an object of the accessor's type
     * @return the referenced object's offset, or 0 for null
     */
    public long get(long objectOffset) {
        try {
            return memory.get(LAYOUT, objectOffset + fieldOffset);
        } catch (InternalError e) { // the file was truncated under the mapping
            throw truncated(e, objectOffset);
        }
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
        long offset = checked(object);
        return type.storedRef(get(offset), offset, name());
    }
}
