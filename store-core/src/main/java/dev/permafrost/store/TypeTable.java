package dev.permafrost.store;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreStateException;
import dev.permafrost.error.TypeMismatchException;
import dev.permafrost.layout.ArrayDescriptor;
import dev.permafrost.layout.FieldKinds;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.TypeEntryDescriptor;
import dev.permafrost.layout.TypeEntryDescriptor.FieldEntry;
import dev.permafrost.layout.TypeEntryDescriptor.TypeEntry;
import dev.permafrost.layout.TypeIds;
import dev.permafrost.layout.TypeTableDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store's type table: the stored types read back when the store opens, the record classes
 * bound to them, and registration, which checks a class against its stored type or (owner of
 * an unfrozen store) appends a new one. Also answers what a type is ({@link TypeInfo}) and
 * what its reference fields are ({@link StructLayout}).
 *
 * <p>Thread rules: registration is serialized on this object; the layouts array is replaced,
 * never changed, so readers need no lock.
 */
final class TypeTable {
    private static final int FIRST_TABLE_CAPACITY = 8;

    private final ObjectSpace space;
    private final Types types;
    /** Stored types, index {@code typeId - FIRST_USER_TYPE_ID}; replaced, never changed, when a type is added. */
    private volatile StructLayout[] layouts = new StructLayout[0];
    private final Map<String, StructLayout> byName = new ConcurrentHashMap<>();
    private final Map<Class<?>, RecordType<?>> bound = new ConcurrentHashMap<>();
    private volatile long typeTableOffset;
    /**
     * The table the last commit published (as opened, or as recorded by {@link #published}):
     * never written again; the first change after a commit copies it. Under this object's lock.
     */
    private long publishedOffset;

    TypeTable(ObjectSpace space, Types types, long typeTableOffset) {
        this.space = space;
        this.types = types;
        this.typeTableOffset = typeTableOffset;
        this.publishedOffset = typeTableOffset;
        if (typeTableOffset != 0) {
            loadTypeTable(typeTableOffset);
        }
    }

    /** {@return the type table's offset, 0 if no type was ever registered: what the next commit records} */
    long offset() {
        return typeTableOffset;
    }

    /** A commit recorded the table as it is now: from here on it is copied before it is changed. Under this object's lock. */
    synchronized void published() {
        publishedOffset = typeTableOffset;
    }

    private void loadTypeTable(long table) {
        space.checkStored(table, TypeIds.TYPE_TABLE, "the type table");
        MemorySegment payload = space.payloadOf(table);
        if (payload.byteSize() < TypeTableDescriptor.ENTRIES_OFFSET) {
            throw new CorruptStoreException(space.file, table, "type table of " + payload.byteSize()
                    + " payload bytes, shorter than its " + TypeTableDescriptor.ENTRIES_OFFSET + "-byte count");
        }
        int count = TypeTableDescriptor.count(payload);
        if (count < 0 || count > TypeTableDescriptor.capacity(payload.byteSize())) {
            throw new CorruptStoreException(space.file, table, "type table count " + count + " does not fit its "
                    + payload.byteSize() + "-byte payload");
        }
        StructLayout[] loaded = new StructLayout[count];
        for (int i = 0; i < count; i++) {
            long descriptor = TypeTableDescriptor.entry(payload, i);
            space.checkStored(descriptor, TypeIds.TYPE_DESCRIPTOR, "type table entry " + i);
            TypeEntry entry = TypeEntryDescriptor.decode(space.payloadOf(descriptor), space.file, descriptor);
            if (entry.typeId() != TypeIds.FIRST_USER_TYPE_ID + i) {
                throw new CorruptStoreException(space.file, descriptor, "type table entry " + i + " describes type id "
                        + entry.typeId() + ", expected " + (TypeIds.FIRST_USER_TYPE_ID + i));
            }
            loaded[i] = new StructLayout(entry, descriptor);
        }
        int limit = TypeIds.FIRST_USER_TYPE_ID + count;
        for (StructLayout layout : loaded) {
            for (FieldEntry field : layout.entry.fields()) {
                boolean known = (field.kind() != FieldKinds.INLINE || ArrayDescriptor.isValueKind(field.referencedTypeId()))
                        && isKnownTarget(field.referencedTypeId(), limit) && isKnownTarget(field.elementTypeId(), limit);
                if (!known) {
                    throw new CorruptStoreException(space.file, layout.descriptorOffset, "field '" + field.name() + "' of type '"
                            + layout.name() + "' names type ids " + field.referencedTypeId() + "/" + field.elementTypeId()
                            + ", which are neither built-in nor in the type table");
                }
            }
            byName.put(layout.name(), layout);
        }
        layouts = loaded;
    }

    private static boolean isKnownTarget(int typeId, int limit) {
        return typeId == 0 || TypeIds.isBuiltin(typeId) || (typeId >= TypeIds.FIRST_USER_TYPE_ID && typeId < limit);
    }

    /**
     * Binds a record class to the stored type of a given name, as {@link Types#register(Class)}
     * does: for a class that was renamed or moved, or a class written for a store whose types
     * were named by someone else. Nested records and {@code Ref} targets are named after their
     * classes.
     *
     * @param recordClass the record class
     * @param typeName    the stored type's name
     * @param lookup      a full-privilege lookup in the record's package, or {@code null}
     * @param <R>         the record class
     * @return the bound type
     * @throws TypeMismatchException    if the stored type of that name has other fields
     * @throws StoreStateException      if the type is new and this process cannot add types
     * @throws IllegalArgumentException if the class is already bound under another name
     */
    @SuppressWarnings("unchecked")
    synchronized <R extends Record> RecordType<R> register(Class<R> recordClass, String typeName, MethodHandles.Lookup lookup) {
        RecordType<?> known = bound.get(recordClass);
        if (known != null) {
            if (!known.name().equals(typeName)) {
                throw new IllegalArgumentException(recordClass.getName() + " is already bound to type '" + known.name()
                        + "', not '" + typeName + "'");
            }
            return (RecordType<R>) known;
        }
        Registration registration = new Registration(lookup);
        RecordType<R> type = (RecordType<R>) registration.bind(recordClass, typeName);
        registration.finish();
        return type;
    }

    /** One call of {@link #register}: binds a class and every record class it reaches, then writes new types in id order. */
    private final class Registration {
        private final MethodHandles.Lookup given;
        private final Map<Class<?>, RecordType<?>> types = new LinkedHashMap<>();
        private final Map<Class<?>, Integer> ids = new HashMap<>();
        private final Map<Class<?>, StructLayout> stored = new HashMap<>();
        private final TreeMap<Integer, TypeEntry> created = new TreeMap<>();
        private final Map<Integer, Class<?>> classOfId = new HashMap<>();
        private int nextId = TypeIds.FIRST_USER_TYPE_ID + layouts.length;

        Registration(MethodHandles.Lookup given) {
            this.given = given;
        }

        RecordType<?> bind(Class<?> recordClass) {
            return bind(recordClass, recordClass.getName());
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        RecordType<?> bind(Class<?> recordClass, String name) {
            RecordType<?> type = bound.get(recordClass);
            if (type != null) { // bound by an earlier registration: a field of a new type may name it
                ids.put(recordClass, type.typeId());
                return type;
            }
            type = types.get(recordClass);
            if (type != null) {
                return type;
            }
            MethodHandles.Lookup lookup = lookupFor(recordClass);
            List<Component> components = Component.of(recordClass, lookup);
            type = new RecordType(TypeTable.this.types, recordClass, components, lookup, space.memory);
            types.put(recordClass, type);
            StructLayout existing = byName.get(name);
            if (existing != null) {
                compare(existing, components);
                stored.put(recordClass, existing);
                ids.put(recordClass, existing.typeId());
                for (Component c : components) {
                    if (c.target() != null) {
                        bind(c.target());
                    }
                }
                return type;
            }
            if (space.store.mode() != OpenMode.OWNER || space.store.isFrozen()) {
                throw new StoreStateException(space.file, PermafrostException.NO_OFFSET, "type '" + name
                        + "' is not in the store's type table, and only the owner of an unfrozen store can add types");
            }
            int id = nextId++;
            if (id > ObjectHeaderDescriptor.MAX_TYPE_ID) {
                throw new StoreStateException(space.file, PermafrostException.NO_OFFSET, "no type id is left for '" + name + "'");
            }
            ids.put(recordClass, id);
            classOfId.put(id, recordClass);
            for (Component c : components) {
                if (c.target() != null) {
                    bind(c.target());
                }
            }
            created.put(id, layOut(id, name, components));
            return type;
        }

        private TypeEntry layOut(int id, String name, List<Component> components) {
            Integer[] order = new Integer[components.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            // largest first: each field lands on a multiple of its own size
            Arrays.sort(order, Comparator.comparingInt((Integer i) -> -FieldKinds.fixedBytes(components.get(i).kind())));
            int[] offsets = new int[components.size()];
            int fixed = 0;
            for (int i : order) {
                offsets[i] = fixed;
                fixed += FieldKinds.fixedBytes(components.get(i).kind());
            }
            List<FieldEntry> fields = new ArrayList<>();
            for (int i = 0; i < components.size(); i++) {
                Component c = components.get(i);
                int referenced = switch (c.shape()) {
                    case PRIMITIVE -> 0;
                    case INLINE -> c.builtinTypeId();
                    case RECORD -> ids.get(c.target());
                    case REF -> c.target() != null ? ids.get(c.target()) : c.builtinTypeId();
                    case RECORD_ARRAY, STRING_ARRAY -> TypeIds.REFERENCE_ARRAY;
                };
                int element = switch (c.shape()) {
                    case RECORD_ARRAY -> ids.get(c.target());
                    case STRING_ARRAY -> TypeIds.STRING;
                    default -> 0;
                };
                fields.add(new FieldEntry(c.name(), c.kind(), offsets[i], referenced, element));
            }
            return new TypeEntry(id, TypeEntryDescriptor.KIND_STRUCT, fixed, name, fields);
        }

        void finish() {
            for (TypeEntry entry : created.values()) {
                long descriptor = space.allocate(TypeIds.TYPE_DESCRIPTOR, TypeEntryDescriptor.payloadBytes(entry));
                TypeEntryDescriptor.encode(space.payloadOf(descriptor), entry);
                appendType(descriptor);
                StructLayout layout = new StructLayout(entry, descriptor);
                StructLayout[] grown = Arrays.copyOf(layouts, layouts.length + 1);
                grown[grown.length - 1] = layout;
                layouts = grown;
                byName.put(layout.name(), layout);
                stored.put(classOfId.get(entry.typeId()), layout);
            }
            for (Map.Entry<Class<?>, RecordType<?>> e : types.entrySet()) {
                RecordType<?> type = e.getValue();
                RecordType<?>[] targets = type.components().stream()
                        .map(c -> c.target() == null ? null : bound.getOrDefault(c.target(), types.get(c.target())))
                        .toArray(RecordType<?>[]::new);
                type.link(stored.get(e.getKey()), targets);
            }
            bound.putAll(types);
        }

        private MethodHandles.Lookup lookupFor(Class<?> recordClass) {
            if (given != null && given.hasFullPrivilegeAccess()
                    && given.lookupClass().getPackageName().equals(recordClass.getPackageName())) {
                return given;
            }
            Module mine = Types.class.getModule();
            if (!mine.canRead(recordClass.getModule())) {
                mine.addReads(recordClass.getModule());
            }
            try {
                // across modules this has PRIVATE but not MODULE access: enough for the constructor
                // and the accessors, which is all registration and the decoder need
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(recordClass, MethodHandles.lookup());
                if ((lookup.lookupModes() & MethodHandles.Lookup.PRIVATE) != 0) {
                    return lookup;
                }
            } catch (IllegalAccessException e) {
                // not open to us: fall back to public access
            }
            if (Modifier.isPublic(recordClass.getModifiers())
                    && recordClass.getModule().isExported(recordClass.getPackageName(), mine)) {
                return MethodHandles.lookup();
            }
            throw new IllegalArgumentException("cannot reach the constructor of " + recordClass.getName()
                    + ": make the record public, open its package to dev.permafrost.core, or register it with"
                    + " MethodHandles.lookup() from a class in its package");
        }
    }

    private void compare(StructLayout stored, List<Component> components) {
        List<String> differences = new ArrayList<>();
        Map<String, Component> declared = new LinkedHashMap<>();
        for (Component c : components) {
            declared.put(c.name(), c);
        }
        for (FieldEntry field : stored.entry.fields()) {
            Component c = declared.get(field.name());
            String storedAs = describe(field);
            if (c == null) {
                differences.add("field '" + field.name() + "' (" + storedAs + ") is stored but not declared by the class");
            } else if (!storedAs.equals(describe(c))) {
                differences.add("field '" + field.name() + "' is stored as " + storedAs + " but declared as " + describe(c));
            }
        }
        for (Component c : components) {
            if (stored.field(c.name()) == null) {
                differences.add("field '" + c.name() + "' (" + describe(c) + ") is declared by the class but not stored");
            }
        }
        if (!differences.isEmpty()) {
            throw new TypeMismatchException(space.file, stored.descriptorOffset, stored.name(), "the class does not match the stored type: "
                    + String.join("; ", differences));
        }
    }

    private String describe(FieldEntry field) {
        return switch (field.kind()) {
            case FieldKinds.INLINE -> TypeIds.builtinName(field.referencedTypeId());
            case FieldKinds.REFERENCE -> field.referencedTypeId() == TypeIds.REFERENCE_ARRAY
                    ? "reference to array of " + targetName(field.elementTypeId())
                    : "reference to " + targetName(field.referencedTypeId());
            default -> FieldKinds.name(field.kind());
        };
    }

    private static String describe(Component c) {
        return switch (c.shape()) {
            case PRIMITIVE -> FieldKinds.name(c.kind());
            case INLINE -> TypeIds.builtinName(c.builtinTypeId());
            case RECORD -> "reference to " + c.target().getName();
            case REF -> "reference to " + (c.target() != null ? c.target().getName()
                    : c.builtinTypeId() == 0 ? "any" : TypeIds.builtinName(c.builtinTypeId()));
            case RECORD_ARRAY -> "reference to array of " + c.target().getName();
            case STRING_ARRAY -> "reference to array of string";
        };
    }

    private String targetName(int typeId) {
        return typeId == 0 ? "any" : typeName(typeId);
    }

    private void appendType(long descriptor) {
        long table = typeTableOffset;
        if (table == 0) {
            table = space.allocate(TypeIds.TYPE_TABLE, TypeTableDescriptor.payloadBytes(FIRST_TABLE_CAPACITY));
            typeTableOffset = table;
        }
        MemorySegment payload = space.payloadOf(table);
        int count = TypeTableDescriptor.count(payload);
        if (count == TypeTableDescriptor.capacity(payload.byteSize())) {
            table = space.grow(table, TypeIds.TYPE_TABLE, TypeTableDescriptor.payloadBytes(count * 2));
            typeTableOffset = table;
            payload = space.payloadOf(table);
        } else if (table == publishedOffset) { // a commit published it: change a copy (copy-on-write)
            table = space.grow(table, TypeIds.TYPE_TABLE, payload.byteSize());
            typeTableOffset = table;
            payload = space.payloadOf(table);
        }
        TypeTableDescriptor.append(payload, descriptor);
    }

    /** {@return every stored type, in id order} */
    List<TypeInfo> types() {
        return Arrays.stream(layouts).map(this::info).toList();
    }

    /**
     * Returns a stored type.
     *
     * @param typeId a user type id
     * @return the type, or {@code null} if the table has no such id
     */
    TypeInfo type(int typeId) {
        StructLayout[] current = layouts;
        int index = typeId - TypeIds.FIRST_USER_TYPE_ID;
        return index >= 0 && index < current.length ? info(current[index]) : null;
    }

    /**
     * Returns a stored type.
     *
     * @param name a type name
     * @return the type, or {@code null} if the table has none of that name
     */
    TypeInfo type(String name) {
        StructLayout layout = byName.get(name);
        return layout == null ? null : info(layout);
    }

    /**
     * Returns a type's name: a stored type's name, or the built-in kind's short name.
     *
     * @param typeId any type id
     * @return its name
     */
    String typeName(int typeId) {
        StructLayout[] current = layouts;
        int index = typeId - TypeIds.FIRST_USER_TYPE_ID;
        return index >= 0 && index < current.length ? current[index].name() : TypeIds.builtinName(typeId);
    }

    TypeInfo info(StructLayout layout) {
        List<FieldInfo> fields = layout.entry.fields().stream().map(f -> new FieldInfo(f.name(), FieldKind.ofCode(f.kind()),
                f.payloadOffset(), f.referencedTypeId(), f.elementTypeId(), describe(f))).toList();
        return new TypeInfo(layout.typeId(), layout.name(), layout.entry.fixedBytes(), fields, layout.descriptorOffset);
    }

    StructLayout layoutOf(long objectOffset, int typeId) {
        StructLayout[] current = layouts;
        int index = typeId - TypeIds.FIRST_USER_TYPE_ID;
        if (index >= current.length) {
            throw new CorruptStoreException(space.file, objectOffset, "object of type id " + typeId
                    + ", which the type table (" + current.length + " types) does not describe");
        }
        return current[index];
    }
}
