package dev.permafrost.store;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.layout.ArrayDescriptor;
import dev.permafrost.layout.FieldKinds;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StructDescriptor;
import dev.permafrost.layout.TypeEntryDescriptor.FieldEntry;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/** Decodes any object from its stored type alone, with no Java class: for tools and generic readers. */
final class ObjectDecoder {
    private final ObjectSpace space;
    private final TypeTable table;
    private final BuiltinKinds builtins;

    ObjectDecoder(ObjectSpace space, TypeTable table, BuiltinKinds builtins) {
        this.space = space;
        this.table = table;
        this.builtins = builtins;
    }

    /**
     * Decodes any object without its Java class, from the stored type alone: a struct as a map
     * from field name to value (primitives boxed, inline strings and arrays decoded, references
     * as {@link Ref}), a string as a {@code String}, a primitive array as a Java array, a
     * reference array as a {@code Ref[]}, anything else as its raw payload bytes. References are
     * not followed; one that no object can be at, an inline slot outside the mapping or not of
     * whole elements, and an array of part of an element are a {@link CorruptStoreException}.
     *
     * @param objectOffset a live object
     * @return its decoded value
     */
    Object decode(long objectOffset) {
        int typeId = space.checkLive(objectOffset, "decode");
        if (typeId >= TypeIds.FIRST_USER_TYPE_ID) {
            StructLayout layout = table.layoutOf(objectOffset, typeId);
            long payload = objectOffset + ObjectHeaderDescriptor.LENGTH;
            Map<String, Object> fields = new LinkedHashMap<>();
            for (FieldEntry f : layout.entry.fields()) {
                long at = payload + f.payloadOffset();
                fields.put(f.name(), switch (f.kind()) {
                    case FieldKinds.BOOLEAN -> space.memory.get(ValueLayout.JAVA_BOOLEAN, at);
                    case FieldKinds.BYTE -> space.memory.get(ValueLayout.JAVA_BYTE, at);
                    case FieldKinds.SHORT -> space.memory.get(ObjectSpace.SHORT, at);
                    case FieldKinds.CHAR -> space.memory.get(ObjectSpace.CHAR, at);
                    case FieldKinds.INT -> space.memory.get(StoreFormat.INT, at);
                    case FieldKinds.LONG -> space.memory.get(StoreFormat.LONG, at);
                    case FieldKinds.FLOAT -> space.memory.get(ObjectSpace.FLOAT, at);
                    case FieldKinds.DOUBLE -> space.memory.get(ObjectSpace.DOUBLE, at);
                    case FieldKinds.REFERENCE -> space.storedRef(space.memory.get(StoreFormat.LONG, at), objectOffset,
                            () -> "field '" + f.name() + "' of a '" + layout.entry.name() + "'");
                    default -> {
                        long slot = space.memory.get(StoreFormat.LONG, at);
                        yield slot == 0 ? null : inline(layout, f, objectOffset, slot);
                    }
                });
            }
            return fields;
        }
        if (typeId == TypeIds.REFERENCE_ARRAY) {
            long[] references = builtins.readReferenceArray(objectOffset);
            Ref<?>[] refs = new Ref<?>[references.length];
            for (int i = 0; i < references.length; i++) {
                int index = i;
                refs[i] = space.storedRef(references[i], objectOffset, () -> "element " + index + " of a reference array");
            }
            return refs;
        }
        MemorySegment payload = space.memory.asSlice(objectOffset + ObjectHeaderDescriptor.LENGTH, space.payloadBytesAt(objectOffset));
        if (!ArrayDescriptor.isValueKind(typeId)) {
            return payload.toArray(ValueLayout.JAVA_BYTE);
        }
        if (payload.byteSize() % ArrayDescriptor.elementBytes(typeId) != 0) {
            throw new CorruptStoreException(space.file, objectOffset, "a " + TypeIds.builtinName(typeId) + " of "
                    + payload.byteSize() + " payload bytes, not a whole number of " + ArrayDescriptor.elementBytes(typeId) + "-byte elements");
        }
        return BuiltinKinds.decodeElements(typeId, payload);
    }

    /** An inline string or primitive array: its slot must place a whole number of elements inside the mapping. */
    private Object inline(StructLayout layout, FieldEntry f, long objectOffset, long slot) {
        int kind = f.referencedTypeId();
        int length = StructDescriptor.inlineLength(slot);
        if (!ArrayDescriptor.isValueKind(kind) || length % ArrayDescriptor.elementBytes(kind) != 0) {
            throw new CorruptStoreException(space.file, objectOffset, "field '" + f.name() + "' of a '" + layout.entry.name()
                    + "' has inline slot 0x" + Long.toHexString(slot) + " of " + length + " bytes, not a whole "
                    + TypeIds.builtinName(kind));
        }
        try {
            return BuiltinKinds.decodeElements(kind, space.memory.asSlice(objectOffset + ObjectHeaderDescriptor.LENGTH
                    + StructDescriptor.inlineOffset(slot), length));
        } catch (IndexOutOfBoundsException e) {
            throw DecoderGenerator.corruptSlot(space.file, layout.entry.name(), f.name(), space.memory.byteSize(), objectOffset, slot, e);
        }
    }
}
