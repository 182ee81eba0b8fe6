package dev.permafrost.store;

import java.lang.foreign.MemorySegment;

/**
 * What every zero-copy field accessor shares: the field's place in an object of its type,
 * computed once when the accessor is made, and the check its {@link Ref} forms make.
 *
 * <p>Each accessor reads a field in two forms. The {@link Ref} form checks that the reference
 * names a live object of the accessor's type (one header read, on the object's own cache
 * line) and throws a {@link dev.permafrost.error.ReferenceCountException} or
 * {@link dev.permafrost.error.TypeMismatchException} otherwise. The offset form is the hot
 * path: it trusts the offset to head an object of the accessor's type (from
 * {@link RecordType#write}, a root, or a reference field) and reads the field, nothing else.
 *
 * <p>Thread rules: immutable; safe from any thread.
 */
public abstract sealed class FieldAccessor permits IntField, LongField, DoubleField, ReferenceField, StringField {
    /** The record type whose objects this accessor reads: the {@link Ref} forms check against it. */
    final RecordType<?> type;
    /** The store's memory, from offset 0 of the file. */
    final MemorySegment memory;
    /** The field's offset from the start of an object (its header), bytes. */
    final long fieldOffset;
    private final String name;

    FieldAccessor(RecordType<?> type, MemorySegment memory, long fieldOffset, String name) {
        this.type = type;
        this.memory = memory;
        this.fieldOffset = fieldOffset;
        this.name = name;
    }

    /** {@return the field's name} */
    public final String name() {
        return name;
    }

    /** {@return the field's offset from the start of an object (its header), bytes} */
    public final long fieldOffset() {
        return fieldOffset;
    }

    /** The store's typed error for a fault of a read past the end of a file truncated under the mapping. */
    final RuntimeException truncated(InternalError fault, long objectOffset) {
        return type.truncated(fault, objectOffset);
    }

    /** The offset a {@link Ref} names, checked to head a live object of this accessor's type. */
    final long checked(Ref<?> object) {
        return type.checkInstance(object.offset());
    }
}
