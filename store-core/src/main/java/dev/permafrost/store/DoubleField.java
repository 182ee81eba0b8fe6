package dev.permafrost.store;

import dev.permafrost.layout.StoreFormat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Zero-copy access to one {@code double} field of a stored type: one read of the mapped memory at
 * a fixed offset, computed when the accessor was made. The offset form reads and checks
 * nothing else; the {@link Ref} form checks the object first ({@link FieldAccessor}).
 */
public final class DoubleField extends FieldAccessor {
    private static final ValueLayout.OfDouble LAYOUT = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(StoreFormat.BYTE_ORDER);

    DoubleField(RecordType<?> type, MemorySegment memory, long fieldOffset, String name) {
        super(type, memory, fieldOffset, name);
    }

    /**
     * Reads the field.
     *
     * @param objectOffset an object of the accessor's type
     * @return the field's value
     */
    public double get(long objectOffset) {
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
     * @return the field's value
     * @throws dev.permafrost.error.ReferenceCountException if the reference names no live object
     * @throws dev.permafrost.error.TypeMismatchException if the object is of another type
     */
    public double get(Ref<?> object) {
        return get(checked(object));
    }
}
