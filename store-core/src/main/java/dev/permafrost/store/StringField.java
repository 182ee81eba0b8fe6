package dev.permafrost.store;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StructDescriptor;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Zero-copy access to one string field of a stored type (an {@link FieldKind#INLINE} field whose
 * UTF-8 bytes live in the object's tail). {@link #contentEquals} compares with a Java string
 * without allocating. As with every accessor, the offset forms trust the offset to be an object
 * of the accessor's type and do not read the header; the {@link Ref} forms check it ({@link FieldAccessor}). A damaged slot (one whose bytes would lie outside the
 * mapping) throws {@link CorruptStoreException}, naming the file, the object and the field.
 */
public final class StringField extends FieldAccessor {
    private final Path file;
    private final String typeName;

    StringField(RecordType<?> type, MemorySegment memory, long slotOffset, String name, Path file, String typeName) {
        super(type, memory, slotOffset, name);
        this.file = file;
        this.typeName = typeName;
    }

    /**
     * Decodes the field into a heap string.
     *
     * @param objectOffset an object of the accessor's type
     * @return the string, or {@code null}
     * @throws CorruptStoreException if the field's slot places its bytes outside the mapping
     */
    public String get(long objectOffset) {
        long slot = memory.get(StoreFormat.LONG, objectOffset + fieldOffset);
        if (slot == 0) {
            return null;
        }
        return Utf8.decode(memory, bytesOffset(objectOffset, slot), StructDescriptor.inlineLength(slot), StructDescriptor.isAscii(slot));
    }

    /**
     * Compares the field with a string without allocating.
     *
     * @param objectOffset an object of the accessor's type
     * @param s            the string to compare with, or {@code null}
     * @return whether the field holds exactly that string ({@code null} equals only {@code null})
     * @throws CorruptStoreException if the field's slot places its bytes outside the mapping
     */
    public boolean contentEquals(long objectOffset, String s) {
        long slot = memory.get(StoreFormat.LONG, objectOffset + fieldOffset);
        if (slot == 0 || s == null) {
            return slot == 0 && s == null;
        }
        return Utf8.equals(memory, bytesOffset(objectOffset, slot), StructDescriptor.inlineLength(slot), s);
    }

    /**
     * Returns the field's UTF-8 bytes, zero-copy: read-only when the object is immortal.
     *
     * @param objectOffset an object of the accessor's type
     * @return the bytes, or {@code null} if the field is null
     * @throws CorruptStoreException if the field's slot places its bytes outside the mapping
     */
    public MemorySegment bytes(long objectOffset) {
        long slot = memory.get(StoreFormat.LONG, objectOffset + fieldOffset);
        if (slot == 0) {
            return null;
        }
        MemorySegment bytes = memory.asSlice(bytesOffset(objectOffset, slot), StructDescriptor.inlineLength(slot));
        return memory.get(StoreFormat.LONG, objectOffset) < 0 ? bytes.asReadOnly() : bytes;
    }

    /**
     * Returns the length of the field's UTF-8 encoding, or -1 if it is null.
     *
     * @param objectOffset an object of the accessor's type
     * @return bytes, or -1 for null
     */
    public int byteLength(long objectOffset) {
        long slot = memory.get(StoreFormat.LONG, objectOffset + fieldOffset);
        return slot == 0 ? -1 : StructDescriptor.inlineLength(slot);
    }

    /**
     * Decodes the field into a heap string.
     *
     * @param object       an object of the accessor's type, checked: live, and of that type
     * @return the string, or {@code null}
     * @throws dev.permafrost.error.ReferenceCountException if the reference names no live object
     * @throws dev.permafrost.error.TypeMismatchException if the object is of another type
     */
    public String get(Ref<?> object) {
        return get(checked(object));
    }

    /**
     * Compares the field with a string without allocating.
     *
     * @param object       an object of the accessor's type, checked: live, and of that type
     * @param s            the string to compare with, or {@code null}
     * @return whether the field holds exactly that string ({@code null} equals only {@code null})
     * @throws dev.permafrost.error.ReferenceCountException if the reference names no live object
     * @throws dev.permafrost.error.TypeMismatchException if the object is of another type
     */
    public boolean contentEquals(Ref<?> object, String s) {
        return contentEquals(checked(object), s);
    }

    /**
     * Returns the field's UTF-8 bytes, zero-copy: read-only when the object is immortal.
     *
     * @param object       an object of the accessor's type, checked: live, and of that type
     * @return the bytes, or {@code null} if the field is null
     * @throws dev.permafrost.error.ReferenceCountException if the reference names no live object
     * @throws dev.permafrost.error.TypeMismatchException if the object is of another type
     */
    public MemorySegment bytes(Ref<?> object) {
        return bytes(checked(object));
    }

    /**
     * Returns the length of the field's UTF-8 encoding, or -1 if it is null.
     *
     * @param object       an object of the accessor's type, checked: live, and of that type
     * @return bytes, or -1 for null
     * @throws dev.permafrost.error.ReferenceCountException if the reference names no live object
     * @throws dev.permafrost.error.TypeMismatchException if the object is of another type
     */
    public int byteLength(Ref<?> object) {
        return byteLength(checked(object));
    }


    /** Where the slot's bytes are: the one bounds check per string, before anything reads or allocates them. */
    private long bytesOffset(long objectOffset, long slot) {
        long at = objectOffset + ObjectHeaderDescriptor.LENGTH + StructDescriptor.inlineOffset(slot);
        try {
            return Objects.checkFromIndexSize(at, StructDescriptor.inlineLength(slot), memory.byteSize());
        } catch (IndexOutOfBoundsException e) {
            throw DecoderGenerator.corruptSlot(file, typeName, name(), memory.byteSize(), objectOffset, slot, e);
        }
    }
}
