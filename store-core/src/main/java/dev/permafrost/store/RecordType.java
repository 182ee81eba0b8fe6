package dev.permafrost.store;

import dev.permafrost.error.StoreFullException;
import dev.permafrost.error.TypeMismatchException;
import dev.permafrost.layout.ArrayDescriptor;
import dev.permafrost.layout.FieldKinds;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StructDescriptor;
import dev.permafrost.layout.TypeEntryDescriptor.FieldEntry;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.ref.Reference;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A record class bound to a stored type: writes instances into the store, reads them back as
 * heap records, and makes zero-copy accessors for single fields. Made by {@link Types#register}.
 *
 * <p>Encoding: primitives in place; strings and primitive arrays inline in the object's own
 * tail (one object, one header, one count); nested records, record arrays and string arrays as
 * objects of their own, written with the record and owned by its field; {@link Ref} fields as
 * counted references to objects that already exist. See {@code docs/FORMAT.md}.
 *
 * <p>Thread rules: immutable once registered; every method is safe from any thread. Hot paths:
 * {@link #read} (a generated decoder, no reflection) and the accessors.
 *
 * @param <R> the record class
 */
public final class RecordType<R extends Record> {
    private final Types types;
    private final Class<R> recordClass;
    private final List<Component> components;
    private final MethodHandles.Lookup lookup;
    private final MemorySegment memory;
    private StructLayout layout;
    /** The stored type's id, copied out of the layout for the check in {@link #read}. */
    private int storedTypeId;
    private FieldEntry[] fields;
    private RecordType<?>[] targets;
    private List<DecoderGenerator.Slot> slots;
    private LongFunction<?>[] nestedDecoders;
    /** Generated on the first {@link #read}: a worker that only uses accessors never pays for it. */
    private volatile LongFunction<R> decoder;
    private TypeInfo info;

    RecordType(Types types, Class<R> recordClass, List<Component> components, MethodHandles.Lookup lookup, MemorySegment memory) {
        this.types = types;
        this.recordClass = recordClass;
        this.components = components;
        this.lookup = lookup;
        this.memory = memory;
    }

    List<Component> components() {
        return components;
    }

    /** Called once the stored layout and every referenced record type are known; prepares the decoder. */
    void link(StructLayout stored, RecordType<?>[] referenced) {
        this.layout = stored;
        this.storedTypeId = stored.typeId();
        this.targets = referenced;
        this.fields = new FieldEntry[components.size()];
        List<DecoderGenerator.Slot> slots = new ArrayList<>();
        List<LongFunction<?>> nested = new ArrayList<>();
        for (int i = 0; i < components.size(); i++) {
            Component c = components.get(i);
            FieldEntry field = stored.field(c.name());
            fields[i] = field;
            int nestedIndex = -1;
            if (field.kind() == FieldKinds.REFERENCE) {
                nestedIndex = nested.size();
                nested.add(nestedDecoder(c, referenced[i]));
            }
            slots.add(new DecoderGenerator.Slot(c.name(), c.type(), field.kind(), ObjectHeaderDescriptor.LENGTH + (long) field.payloadOffset(),
                    field.referencedTypeId(), nestedIndex));
        }
        this.slots = slots;
        this.nestedDecoders = nested.toArray(LongFunction<?>[]::new);
        this.info = types.info(stored);
    }

    private LongFunction<?> nestedDecoder(Component c, RecordType<?> target) {
        return switch (c.shape()) {
            case RECORD -> reference -> reference == 0 ? null : target.read(reference);
            case REF -> reference -> storedRef(reference, reference, c.name());
            case RECORD_ARRAY -> reference -> {
                if (reference == 0) {
                    return null;
                }
                long[] elements = types.builtins().readReferenceArray(reference);
                Object array = Array.newInstance(c.target(), elements.length);
                for (int i = 0; i < elements.length; i++) {
                    Array.set(array, i, elements[i] == 0 ? null : target.read(elements[i]));
                }
                return array;
            };
            case STRING_ARRAY -> reference -> {
                if (reference == 0) {
                    return null;
                }
                long[] elements = types.builtins().readReferenceArray(reference);
                String[] array = new String[elements.length];
                for (int i = 0; i < elements.length; i++) {
                    array[i] = elements[i] == 0 ? null : types.builtins().readString(elements[i]);
                }
                return array;
            };
            default -> throw new IllegalStateException("component '" + c.name() + "' is not a reference");
        };
    }

    /** {@return the record class} */
    public Class<R> recordClass() {
        return recordClass;
    }

    /** {@return the stored type's id} */
    public int typeId() {
        return layout.typeId();
    }

    /** {@return the stored type's name} */
    public String name() {
        return layout.name();
    }

    /** {@return the stored type, as its descriptor says} */
    public TypeInfo info() {
        return info;
    }

    /**
     * Returns whether the object is of this type.
     *
     * @param objectOffset a live object
     * @return whether its header carries this type's id
     */
    public boolean isInstance(long objectOffset) {
        return types.space().typeIdAt(objectOffset) == storedTypeId;
    }

    /**
     * Returns whether the object is of this type.
     *
     * @param object a live object
     * @return whether its header carries this type's id
     */
    public boolean isInstance(Ref<?> object) {
        return isInstance(object.offset());
    }

    /**
     * Writes a record as a new object with a reference count of 1, which the caller owns: hand
     * it to a root ({@link Types#adoptRoot}), store it in a {@link Ref} component or reference
     * array (which take their own) and release it, or just release it. Strings and primitive
     * arrays go inline; nested records, record arrays and string arrays become objects of their
     * own owned by the new object; each {@link Ref} component is retained.
     *
     * @param value the record
     * @return the new object
     * @throws StoreFullException      if there is no room (nothing is left allocated)
     * @throws TypeMismatchException   if a {@link Ref} names an object of another type than its field's
     * @throws dev.permafrost.error.ReferenceCountException if a {@link Ref} names no live object
     * @throws dev.permafrost.error.StoreStateException if the store is read-only or closed
     */
    public Ref<R> write(R value) {
        return new Ref<>(writeObject(value));
    }

    /** Writes a record; returns the new object's offset (count 1, the caller's). */
    private long writeObject(R value) {
        if (value == null) {
            throw new NullPointerException("cannot write a null " + recordClass.getName());
        }
        int n = components.size();
        Object[] values = new Object[n];
        long[] inlineAt = new long[n];
        boolean[] ascii = new boolean[n];
        long[] references = new long[n];
        long tail = layout.entry.fixedBytes();
        for (int i = 0; i < n; i++) {
            values[i] = components.get(i).get(value);
            if (fields[i].kind() == FieldKinds.INLINE && values[i] != null) {
                if (values[i] instanceof String s) {
                    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                    ascii[i] = utf8.length == s.length(); // one byte per char only if each is ASCII (an unpaired surrogate is '?')
                    values[i] = utf8;
                }
                int elementBytes = ArrayDescriptor.elementBytes(fields[i].referencedTypeId());
                long lengthBytes = (long) Array.getLength(values[i]) * elementBytes;
                if (lengthBytes > StructDescriptor.MAX_INLINE_BYTES) {
                    throw new IllegalArgumentException("component '" + components.get(i).name() + "' of a "
                            + recordClass.getName() + " takes " + lengthBytes + " bytes, more than an inline value may ("
                            + StructDescriptor.MAX_INLINE_BYTES + ")");
                }
                tail = (tail + elementBytes - 1) & -elementBytes;
                inlineAt[i] = tail;
                tail += lengthBytes;
            }
        }
        if (tail > StructDescriptor.MAX_STRUCT_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("a " + recordClass.getName() + " of " + tail
                    + " bytes is larger than a struct may be (4 GiB of inline strings and arrays)");
        }
        long object = 0;
        try {
            for (int i = 0; i < n; i++) {
                if (fields[i].kind() == FieldKinds.REFERENCE && values[i] != null) {
                    references[i] = writeReference(components.get(i), fields[i], targets[i], values[i]);
                }
            }
            object = types.space().allocate(layout.typeId(), tail);
        } finally {
            if (object == 0) {
                for (long reference : references) {
                    if (reference != 0) {
                        types.space().store.release(reference);
                    }
                }
            }
        }
        long payload = object + ObjectHeaderDescriptor.LENGTH;
        for (int i = 0; i < n; i++) {
            long at = payload + fields[i].payloadOffset();
            Object v = values[i];
            switch (fields[i].kind()) {
                case FieldKinds.BOOLEAN -> memory.set(ValueLayout.JAVA_BOOLEAN, at, (Boolean) v);
                case FieldKinds.BYTE -> memory.set(ValueLayout.JAVA_BYTE, at, (Byte) v);
                case FieldKinds.SHORT -> memory.set(ObjectSpace.SHORT, at, (Short) v);
                case FieldKinds.CHAR -> memory.set(ObjectSpace.CHAR, at, (Character) v);
                case FieldKinds.INT -> memory.set(StoreFormat.INT, at, (Integer) v);
                case FieldKinds.LONG -> memory.set(StoreFormat.LONG, at, (Long) v);
                case FieldKinds.FLOAT -> memory.set(ObjectSpace.FLOAT, at, (Float) v);
                case FieldKinds.DOUBLE -> memory.set(ObjectSpace.DOUBLE, at, (Double) v);
                case FieldKinds.REFERENCE -> memory.set(StoreFormat.LONG, at, references[i]);
                case FieldKinds.INLINE -> {
                    if (v != null) {
                        int lengthBytes = BuiltinKinds.copyArray(v, memory, payload + inlineAt[i]);
                        memory.set(StoreFormat.LONG, at, StructDescriptor.inlineSlot(inlineAt[i], lengthBytes, ascii[i]));
                    }
                }
                default -> throw new IllegalStateException("unknown field kind " + fields[i].kind());
            }
        }
        return object;
    }

    private long writeReference(Component c, FieldEntry field, RecordType<?> target, Object value) {
        return switch (c.shape()) {
            case RECORD -> target.writeUnchecked(value);
            case REF -> {
                long offset = ((Ref<?>) value).offset();
                types.builtins().checkReferenceTarget(offset, field.referencedTypeId(), name() + "." + c.name());
                types.space().store.retain(offset);
                yield offset;
            }
            case RECORD_ARRAY -> writeArrayOf(target.typeId(), (Object[]) value, target::writeUnchecked);
            case STRING_ARRAY -> writeArrayOf(TypeIds.STRING, (String[]) value, v -> types.builtins().writeString((String) v));
            default -> throw new IllegalStateException("component '" + c.name() + "' is not a reference");
        };
    }

    /** Writes each element as an object of its own, then a reference array that adopts them. */
    private long writeArrayOf(int elementTypeId, Object[] array, java.util.function.ToLongFunction<Object> writer) {
        long[] elements = new long[array.length];
        try {
            for (int i = 0; i < array.length; i++) {
                elements[i] = array[i] == null ? 0 : writer.applyAsLong(array[i]);
            }
            return types.builtins().adoptReferenceArray(elementTypeId, elements);
        } catch (RuntimeException e) {
            types.builtins().releaseAll(elements);
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private long writeUnchecked(Object value) {
        return writeObject((R) value);
    }

    /**
     * Reads an object back as a new heap record (a copy). Nested records and arrays are read
     * too; {@link Ref} fields are not followed.
     *
     * @param object an object of this type, or {@code null} (a null {@link Ref} component)
     * @return the record, or {@code null} for a null reference
     * @throws TypeMismatchException   if the object is of another type
     * @throws dev.permafrost.error.ReferenceCountException if the reference names no live object
     *                                 (a freed object, or an offset that heads none)
     */
    public R read(Ref<? extends R> object) {
        return object == null ? null : read(object.offset());
    }

    /**
     * Reads an object back as a new heap record: the offset form of {@link #read(Ref)}, with
     * the same checks (the header's count and type id, one cache line).
     *
     * @param objectOffset an object of this type
     * @return the record
     * @throws TypeMismatchException   if the object is of another type
     * @throws dev.permafrost.error.ReferenceCountException if the offset names no live object
     */
    public R read(long objectOffset) {
        LongFunction<R> d = decoder;
        try {
            checkInstance(objectOffset);
            return (d != null ? d : generateDecoder()).apply(objectOffset);
        } catch (InternalError e) { // the file was truncated under the mapping
            throw truncated(e, objectOffset);
        } finally {
            // the decoder reads by address: this (through its types and store) keeps the mapping's range reserved
            Reference.reachabilityFence(this);
        }
    }

    /**
     * A reference read from a {@code Ref} field of one of this type's objects, as a {@link Ref}.
     *
     * @param reference    the word read
     * @param objectOffset the object, or the reference itself where that is not known
     * @param fieldName    the field
     * @return {@code null} for 0, else the reference
     * @throws dev.permafrost.error.CorruptStoreException if no object can be at that offset
     */
    Ref<?> storedRef(long reference, long objectOffset, String fieldName) {
        if (reference == 0) {
            return null;
        }
        if (!ObjectSpace.canBeObjectOffset(reference)) { // no message built, nothing allocated, unless it is damaged
            throw types.space().badReference(reference, objectOffset, "field '" + fieldName + "' of a '" + name() + "'");
        }
        return new Ref<>(reference);
    }

    /** The store's typed error for a fault of a read past the end of a truncated file. */
    RuntimeException truncated(InternalError fault, long objectOffset) {
        return types.space().store.truncated(fault, objectOffset);
    }

    /** Checks that an offset heads a live object of this type; returns it. For reads through a {@link Ref}. */
    long checkInstance(long objectOffset) {
        int found = types.space().checkLive(objectOffset, "read");
        if (found != storedTypeId) {
            throw types.space().notOfType(objectOffset, found, layout.name(), types.typeName(found));
        }
        return objectOffset;
    }

    private synchronized LongFunction<R> generateDecoder() {
        if (decoder == null) {
            decoder = DecoderGenerator.generate(lookup, recordClass, slots, memory, nestedDecoders, types.space().file, name());
        }
        return decoder;
    }

    /**
     * Returns an accessor for an {@code int} field.
     *
     * @param fieldName the record component's name
     * @return the accessor
     * @throws IllegalArgumentException if the type has no {@code int} field of that name
     */
    public IntField intField(String fieldName) {
        return new IntField(this, memory, fieldOffset(fieldName, FieldKinds.INT), fieldName);
    }

    /**
     * Returns an accessor for a {@code long} field.
     *
     * @param fieldName the record component's name
     * @return the accessor
     * @throws IllegalArgumentException if the type has no {@code long} field of that name
     */
    public LongField longField(String fieldName) {
        return new LongField(this, memory, fieldOffset(fieldName, FieldKinds.LONG), fieldName);
    }

    /**
     * Returns an accessor for a {@code double} field.
     *
     * @param fieldName the record component's name
     * @return the accessor
     * @throws IllegalArgumentException if the type has no {@code double} field of that name
     */
    public DoubleField doubleField(String fieldName) {
        return new DoubleField(this, memory, fieldOffset(fieldName, FieldKinds.DOUBLE), fieldName);
    }

    /**
     * Returns an accessor for a {@code String} field.
     *
     * @param fieldName the record component's name
     * @return the accessor
     * @throws IllegalArgumentException if the type has no string field of that name
     */
    public StringField stringField(String fieldName) {
        long offset = fieldOffset(fieldName, FieldKinds.INLINE);
        if (layout.field(fieldName).referencedTypeId() != TypeIds.STRING) {
            throw new IllegalArgumentException("field '" + fieldName + "' of " + name() + " is not a string");
        }
        return new StringField(this, memory, offset, fieldName, types.space().file, name());
    }

    /**
     * Returns an accessor for a reference field (a nested record, array or {@link Ref}).
     *
     * @param fieldName the record component's name
     * @return the accessor
     * @throws IllegalArgumentException if the type has no reference field of that name
     */
    public ReferenceField referenceField(String fieldName) {
        return new ReferenceField(this, memory, fieldOffset(fieldName, FieldKinds.REFERENCE), fieldName);
    }

    private long fieldOffset(String fieldName, int kind) {
        FieldEntry field = layout.field(fieldName);
        if (field == null || field.kind() != kind) {
            throw new IllegalArgumentException(name() + " has no " + FieldKinds.name(kind) + " field '" + fieldName + "'"
                    + (field == null ? "" : ": it is " + FieldKinds.name(field.kind())));
        }
        return ObjectHeaderDescriptor.LENGTH + (long) field.payloadOffset();
    }

    @Override
    public String toString() {
        return "RecordType[" + recordClass.getName() + " as type " + layout.typeId() + "]";
    }
}
