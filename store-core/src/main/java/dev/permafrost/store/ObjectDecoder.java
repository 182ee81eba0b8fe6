package dev.permafrost.store;

import dev.permafrost.layout.ArrayDescriptor;
import dev.permafrost.layout.FieldKinds;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StructDescriptor;
import dev.permafrost.layout.TypeEntryDescriptor.FieldEntry;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
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
     * reference array as a {@code Ref[]}, anything else as its raw payload bytes.
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
                    case FieldKinds.REFERENCE -> {
                        long reference = space.memory.get(StoreFormat.LONG, at);
                        yield reference == 0 ? null : new Ref<>(reference);
                    }
                    default -> {
                        long slot = space.memory.get(StoreFormat.LONG, at);
                        yield slot == 0 ? null : BuiltinKinds.decodeElements(f.referencedTypeId(),
                                space.memory.asSlice(payload + StructDescriptor.inlineOffset(slot), StructDescriptor.inlineLength(slot)));
                    }
                });
            }
            return fields;
        }
        if (typeId == TypeIds.REFERENCE_ARRAY) {
            return Arrays.stream(builtins.readReferenceArray(objectOffset)).mapToObj(r -> r == 0 ? null : new Ref<>(r)).toArray(Ref<?>[]::new);
        }
        MemorySegment payload = space.memory.asSlice(objectOffset + ObjectHeaderDescriptor.LENGTH, space.payloadBytesAt(objectOffset));
        return ArrayDescriptor.isValueKind(typeId) ? BuiltinKinds.decodeElements(typeId, payload) : payload.toArray(ValueLayout.JAVA_BYTE);
    }
}
