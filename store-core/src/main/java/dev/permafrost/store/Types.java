package dev.permafrost.store;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreStateException;
import dev.permafrost.error.TypeMismatchException;
import dev.permafrost.layout.ArrayDescriptor;
import dev.permafrost.layout.FieldKinds;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.RootTableDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StructDescriptor;
import dev.permafrost.layout.TypeEntryDescriptor;
import dev.permafrost.layout.TypeEntryDescriptor.FieldEntry;
import dev.permafrost.layout.TypeEntryDescriptor.TypeEntry;
import dev.permafrost.layout.TypeIds;
import dev.permafrost.layout.TypeTableDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Modifier;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The types and named roots of one store ({@link Store#types()}): the type table every
 * process reads back, the record classes bound to it, the built-in kinds (strings, primitive
 * arrays, reference arrays), and the root table through which workers find their way in.
 *
 * <pre>{@code
 * record User(int id, String name, Ref<User> manager) {}
 *
 * Types types = store.types();
 * RecordType<User> users = types.register(User.class);     // owner: adds the type to the table
 * long alice = users.write(new User(1, "alice", null));
 * types.setRoot("alice", alice);                            // the root retains it
 * store.release(alice);                                     // ... so drop our own reference
 * store.freeze();
 *
 * // any process, any time later: the class must still match the stored type
 * RecordType<User> users = worker.types().register(User.class);
 * User a = users.read(worker.types().root("alice"));
 * }</pre>
 *
 * <p>Everything about types is decoded when the store opens and when a class is registered;
 * nothing is computed lazily afterwards, and nothing here ever writes a frozen object. Only
 * the owner of an unfrozen store adds types and changes roots; every opener can register
 * classes that match stored types, read, and write private objects of those types.
 *
 * <p>Reference counting: a reference field, a {@link Ref}, a reference array element and a root
 * each hold one reference. Freeing an object releases what it references, with a work list
 * rather than recursion. Cycles are never freed by counting: break them before releasing, or
 * freeze them, which makes them immortal like every other object.
 *
 * <p>Thread rules: safe from any thread; registration and root changes are serialized.
 * Hot paths: {@link #forEachReference} (freeing) and {@link #root}.
 */
public final class Types {
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(StoreFormat.BYTE_ORDER);
    static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(StoreFormat.BYTE_ORDER);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(StoreFormat.BYTE_ORDER);
    static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(StoreFormat.BYTE_ORDER);
    private static final int FIRST_TABLE_CAPACITY = 8;

    static {
        // generated decoders read with native-order layouts; the format is little-endian
        if (ByteOrder.nativeOrder() != StoreFormat.BYTE_ORDER) {
            throw new ExceptionInInitializerError("Permafrost needs a little-endian platform, found " + ByteOrder.nativeOrder());
        }
    }

    private final Store store;
    private final Allocation allocation;
    private final MemorySegment memory;
    private final Path file;
    /** Stored types, index {@code typeId - FIRST_USER_TYPE_ID}; replaced, never changed, when a type is added. */
    private volatile StructLayout[] layouts = new StructLayout[0];
    private final Map<String, StructLayout> byName = new ConcurrentHashMap<>();
    private final Map<Class<?>, RecordType<?>> bound = new ConcurrentHashMap<>();
    private final Map<String, Long> roots = new ConcurrentHashMap<>();
    /** Root name to its entry's index in the root table; changed only under this object's lock. */
    private final Map<String, Integer> rootSlots = new HashMap<>();
    private volatile long typeTableOffset;
    private volatile long rootTableOffset;

    /** Allocates an object of any type id, which the public {@link Store#allocate(int, long)} refuses. */
    @FunctionalInterface
    interface Allocation {
        long allocate(int typeId, long payloadBytes);
    }

    /** Reads the store's type and root tables; called once, by the store, as the last step of its constructor. */
    Types(Store store, MemorySegment memory, long typeTableOffset, long rootTableOffset, Allocation allocation) {
        this.store = store;
        this.allocation = allocation;
        this.memory = memory;
        this.file = store.path();
        this.typeTableOffset = typeTableOffset;
        this.rootTableOffset = rootTableOffset;
        if (typeTableOffset != 0) {
            loadTypeTable(typeTableOffset);
        }
        if (rootTableOffset != 0) {
            loadRootTable(rootTableOffset);
        }
    }

    // ---------------------------------------------------------------- loading

    private void loadTypeTable(long table) {
        checkObject(table, TypeIds.TYPE_TABLE, "the type table");
        MemorySegment payload = payloadOf(table);
        int count = TypeTableDescriptor.count(payload);
        if (count < 0 || count > TypeTableDescriptor.capacity(payload.byteSize())) {
            throw new CorruptStoreException(file, table, "type table count " + count + " does not fit its "
                    + payload.byteSize() + "-byte payload");
        }
        StructLayout[] loaded = new StructLayout[count];
        for (int i = 0; i < count; i++) {
            long descriptor = TypeTableDescriptor.entry(payload, i);
            checkObject(descriptor, TypeIds.TYPE_DESCRIPTOR, "type table entry " + i);
            TypeEntry entry = TypeEntryDescriptor.decode(payloadOf(descriptor), file, descriptor);
            if (entry.typeId() != TypeIds.FIRST_USER_TYPE_ID + i) {
                throw new CorruptStoreException(file, descriptor, "type table entry " + i + " describes type id "
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
                    throw new CorruptStoreException(file, layout.descriptorOffset, "field '" + field.name() + "' of type '"
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

    private void loadRootTable(long table) {
        checkObject(table, TypeIds.ROOT_TABLE, "the root table");
        MemorySegment payload = payloadOf(table);
        int count = RootTableDescriptor.count(payload);
        if (count < 0 || count > RootTableDescriptor.capacity(payload.byteSize())) {
            throw new CorruptStoreException(file, table, "root table count " + count + " does not fit its "
                    + payload.byteSize() + "-byte payload");
        }
        for (int i = 0; i < count; i++) {
            long name = RootTableDescriptor.nameOffset(payload, i);
            long object = RootTableDescriptor.objectOffset(payload, i);
            checkObject(name, TypeIds.STRING, "root table entry " + i + "'s name");
            checkObject(object, 0, "root table entry " + i + "'s object");
            String rootName = readString(name);
            roots.put(rootName, object);
            rootSlots.put(rootName, i);
        }
    }

    /** Validates a reference read from the file: inside the mapping, 16-aligned, a live object of the type (0 = any). */
    private void checkObject(long offset, int typeId, String what) {
        if (offset < StoreFormat.HEAP_START_OFFSET || offset % StoreFormat.OBJECT_ALIGNMENT != 0
                || offset > memory.byteSize() - ObjectHeaderDescriptor.LENGTH) {
            throw new CorruptStoreException(file, offset, what + " is not at a 16-aligned offset inside the heap");
        }
        long meta = memory.get(StoreFormat.LONG, offset + ObjectHeaderDescriptor.META_OFFSET);
        long count = memory.get(StoreFormat.LONG, offset);
        int found = ObjectHeaderDescriptor.typeId(meta);
        if (count == ObjectHeaderDescriptor.FREE_COUNT || (typeId != 0 && found != typeId)
                || offset + ObjectHeaderDescriptor.LENGTH + ObjectHeaderDescriptor.payloadBytes(meta) > memory.byteSize()) {
            throw new CorruptStoreException(file, offset, what + " is " + (count == 0 ? "a free block" : "an object of type "
                    + TypeIds.builtinName(found) + " with " + ObjectHeaderDescriptor.payloadBytes(meta) + " payload bytes")
                    + (typeId != 0 ? ", expected a live " + TypeIds.builtinName(typeId) : ""));
        }
    }

    // ---------------------------------------------------------------- registration

    /**
     * Binds a record class to its stored type, adding the type (and the types of nested records
     * and {@code Ref} targets) to the type table if the store has none of that name. The type's
     * name is the class's binary name. The record class must be public, or its package open to
     * {@code dev.permafrost.core}; otherwise use {@link #register(Class, MethodHandles.Lookup)}.
     *
     * @param recordClass the record class
     * @param <R>         the record class
     * @return the bound type; the same object for every call with that class
     * @throws TypeMismatchException    if the stored type of that name has other fields
     * @throws StoreStateException      if the type is new and this process cannot add types
     *                                  (not the owner, or the store is frozen)
     * @throws IllegalArgumentException if a component's type cannot be stored
     */
    public <R extends Record> RecordType<R> register(Class<R> recordClass) {
        return register(recordClass, null);
    }

    /**
     * Binds a record class to its stored type, as {@link #register(Class)} does, reaching the
     * record's constructor through the caller's lookup: pass {@code MethodHandles.lookup()} from
     * a class in the record's package.
     *
     * @param recordClass the record class
     * @param lookup      a full-privilege lookup in the record's package, or {@code null}
     * @param <R>         the record class
     * @return the bound type
     * @throws TypeMismatchException if the stored type of that name has other fields
     * @throws StoreStateException   if the type is new and this process cannot add types
     */
    public <R extends Record> RecordType<R> register(Class<R> recordClass, MethodHandles.Lookup lookup) {
        return register(recordClass, recordClass.getName(), lookup);
    }

    /**
     * Binds a record class to the stored type of a given name, as {@link #register(Class)}
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
     * @throws IllegalArgumentException if the class is already bound under another name, or is not a record
     */
    @SuppressWarnings("unchecked")
    public synchronized <R extends Record> RecordType<R> register(Class<R> recordClass, String typeName,
                                                                  MethodHandles.Lookup lookup) {
        Component.requireRecord(recordClass);
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
            if (type == null) {
                type = types.get(recordClass);
            } else {
                ids.putIfAbsent(recordClass, type.typeId()); // bound by an earlier call: a new type's fields name its id
            }
            if (type != null) {
                return type;
            }
            MethodHandles.Lookup lookup = lookupFor(recordClass);
            List<Component> components = Component.of(recordClass, lookup);
            type = new RecordType(Types.this, recordClass, components, lookup, memory);
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
            if (store.mode() != OpenMode.OWNER || store.isFrozen()) {
                throw new StoreStateException(file, PermafrostException.NO_OFFSET, "type '" + name
                        + "' is not in the store's type table, and only the owner of an unfrozen store can add types");
            }
            int id = nextId++;
            if (id > ObjectHeaderDescriptor.MAX_TYPE_ID) {
                throw new StoreStateException(file, PermafrostException.NO_OFFSET, "no type id is left for '" + name + "'");
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
                long descriptor = allocate(TypeIds.TYPE_DESCRIPTOR, TypeEntryDescriptor.payloadBytes(entry));
                TypeEntryDescriptor.encode(payloadOf(descriptor), entry);
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
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(recordClass, MethodHandles.lookup());
                if (lookup.hasFullPrivilegeAccess()) {
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
            throw new TypeMismatchException(file, stored.descriptorOffset, stored.name(), "the class does not match the stored type: "
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
            table = allocate(TypeIds.TYPE_TABLE, TypeTableDescriptor.payloadBytes(FIRST_TABLE_CAPACITY));
            typeTableOffset = table;
        }
        MemorySegment payload = payloadOf(table);
        int count = TypeTableDescriptor.count(payload);
        if (count == TypeTableDescriptor.capacity(payload.byteSize())) {
            table = grow(table, TypeIds.TYPE_TABLE, TypeTableDescriptor.payloadBytes(count * 2));
            typeTableOffset = table;
            payload = payloadOf(table);
        }
        TypeTableDescriptor.append(payload, descriptor);
    }

    /**
     * Copies a table into a larger one and frees the old one. The table's references move with
     * it: freeing a table releases nothing ({@link #forEachReference} reports none for tables).
     */
    private long grow(long table, int typeId, long payloadBytes) {
        long larger = allocate(typeId, payloadBytes);
        MemorySegment old = payloadOf(table);
        payloadOf(larger).copyFrom(old);
        store.release(table);
        return larger;
    }

    // ---------------------------------------------------------------- introspection

    /** {@return every stored type, in id order} */
    public List<TypeInfo> types() {
        return Arrays.stream(layouts).map(this::info).toList();
    }

    /**
     * Returns a stored type.
     *
     * @param typeId a user type id
     * @return the type, or {@code null} if the table has no such id
     */
    public TypeInfo type(int typeId) {
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
    public TypeInfo type(String name) {
        StructLayout layout = byName.get(name);
        return layout == null ? null : info(layout);
    }

    /**
     * Returns a type's name: a stored type's name, or the built-in kind's short name.
     *
     * @param typeId any type id
     * @return its name
     */
    public String typeName(int typeId) {
        StructLayout[] current = layouts;
        int index = typeId - TypeIds.FIRST_USER_TYPE_ID;
        return index >= 0 && index < current.length ? current[index].name() : TypeIds.builtinName(typeId);
    }

    TypeInfo info(StructLayout layout) {
        List<FieldInfo> fields = layout.entry.fields().stream().map(f -> new FieldInfo(f.name(), FieldKind.ofCode(f.kind()),
                f.payloadOffset(), f.referencedTypeId(), f.elementTypeId(), describe(f))).toList();
        return new TypeInfo(layout.typeId(), layout.name(), layout.entry.fixedBytes(), fields, layout.descriptorOffset);
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
    public Object decode(long objectOffset) {
        int typeId = typeIdAt(objectOffset);
        if (typeId >= TypeIds.FIRST_USER_TYPE_ID) {
            StructLayout layout = layoutOf(objectOffset, typeId);
            long payload = objectOffset + ObjectHeaderDescriptor.LENGTH;
            Map<String, Object> fields = new LinkedHashMap<>();
            for (FieldEntry f : layout.entry.fields()) {
                long at = payload + f.payloadOffset();
                fields.put(f.name(), switch (f.kind()) {
                    case FieldKinds.BOOLEAN -> memory.get(ValueLayout.JAVA_BOOLEAN, at);
                    case FieldKinds.BYTE -> memory.get(ValueLayout.JAVA_BYTE, at);
                    case FieldKinds.SHORT -> memory.get(SHORT, at);
                    case FieldKinds.CHAR -> memory.get(CHAR, at);
                    case FieldKinds.INT -> memory.get(StoreFormat.INT, at);
                    case FieldKinds.LONG -> memory.get(StoreFormat.LONG, at);
                    case FieldKinds.FLOAT -> memory.get(FLOAT, at);
                    case FieldKinds.DOUBLE -> memory.get(DOUBLE, at);
                    case FieldKinds.REFERENCE -> {
                        long reference = memory.get(StoreFormat.LONG, at);
                        yield reference == 0 ? null : new Ref<>(reference);
                    }
                    default -> {
                        long slot = memory.get(StoreFormat.LONG, at);
                        yield slot == 0 ? null : decodeElements(f.referencedTypeId(),
                                memory.asSlice(payload + StructDescriptor.inlineOffset(slot), StructDescriptor.inlineLength(slot)));
                    }
                });
            }
            return fields;
        }
        if (typeId == TypeIds.REFERENCE_ARRAY) {
            return Arrays.stream(readReferenceArray(objectOffset)).mapToObj(r -> r == 0 ? null : new Ref<>(r)).toArray(Ref<?>[]::new);
        }
        MemorySegment payload = memory.asSlice(objectOffset + ObjectHeaderDescriptor.LENGTH, payloadBytesAt(objectOffset));
        return ArrayDescriptor.isValueKind(typeId) ? decodeElements(typeId, payload) : payload.toArray(ValueLayout.JAVA_BYTE);
    }

    private static Object decodeElements(int typeId, MemorySegment bytes) {
        return switch (typeId) {
            case TypeIds.STRING -> Utf8.decode(bytes, 0, (int) bytes.byteSize(), false);
            case TypeIds.BYTE_ARRAY -> bytes.toArray(ValueLayout.JAVA_BYTE);
            case TypeIds.SHORT_ARRAY -> bytes.toArray(SHORT);
            case TypeIds.CHAR_ARRAY -> bytes.toArray(CHAR);
            case TypeIds.INT_ARRAY -> bytes.toArray(StoreFormat.INT);
            case TypeIds.LONG_ARRAY -> bytes.toArray(StoreFormat.LONG);
            case TypeIds.FLOAT_ARRAY -> bytes.toArray(FLOAT);
            case TypeIds.DOUBLE_ARRAY -> bytes.toArray(DOUBLE);
            default -> throw new IllegalArgumentException("type id " + typeId + " is not a string or primitive array");
        };
    }

    // ---------------------------------------------------------------- built-in kinds

    /**
     * Writes a string object ({@link TypeIds#STRING}: its UTF-8 bytes) with a count of 1.
     *
     * @param s the string
     * @return the new object's offset
     */
    public long writeString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        long object = allocate(TypeIds.STRING, bytes.length);
        MemorySegment.copy(bytes, 0, memory, ValueLayout.JAVA_BYTE, object + ObjectHeaderDescriptor.LENGTH, bytes.length);
        return object;
    }

    /**
     * Reads a string object into a heap string.
     *
     * @param objectOffset a string object
     * @return the string
     * @throws TypeMismatchException if the object is not a string
     */
    public String readString(long objectOffset) {
        checkType(objectOffset, TypeIds.STRING);
        return Utf8.decode(memory, objectOffset + ObjectHeaderDescriptor.LENGTH, (int) payloadBytesAt(objectOffset), false);
    }

    /**
     * Compares a string object with a Java string without allocating.
     *
     * @param objectOffset a string object
     * @param s            the string to compare with
     * @return whether the object holds exactly that string
     * @throws TypeMismatchException if the object is not a string
     */
    public boolean stringEquals(long objectOffset, String s) {
        checkType(objectOffset, TypeIds.STRING);
        return Utf8.equals(memory, objectOffset + ObjectHeaderDescriptor.LENGTH, (int) payloadBytesAt(objectOffset), s);
    }

    /**
     * Writes a primitive array object ({@code byte[]}, {@code short[]}, {@code char[]},
     * {@code int[]}, {@code long[]}, {@code float[]} or {@code double[]}) with a count of 1.
     *
     * @param array the array
     * @return the new object's offset
     * @throws IllegalArgumentException if it is not one of those arrays
     */
    public long writeArray(Object array) {
        int typeId = Component.primitiveArrayTypeId(array.getClass());
        if (typeId == 0) {
            throw new IllegalArgumentException(array.getClass().getTypeName() + " is not a storable primitive array");
        }
        long object = allocate(typeId, (long) java.lang.reflect.Array.getLength(array) * ArrayDescriptor.elementBytes(typeId));
        copyArray(array, memory, object + ObjectHeaderDescriptor.LENGTH);
        return object;
    }

    /**
     * Reads a primitive array object into a new Java array of its kind.
     *
     * @param objectOffset a primitive array object
     * @return the array ({@code byte[]}, {@code int[]}, ...)
     * @throws TypeMismatchException if the object is not a primitive array
     */
    public Object readArray(long objectOffset) {
        int typeId = typeIdAt(objectOffset);
        if (typeId == TypeIds.STRING || !ArrayDescriptor.isValueKind(typeId)) {
            throw notOfType(objectOffset, typeId, "primitive array");
        }
        return decodeElements(typeId, memory.asSlice(objectOffset + ObjectHeaderDescriptor.LENGTH, payloadBytesAt(objectOffset)));
    }

    /**
     * Writes a reference array with a count of 1, retaining every non-null element.
     *
     * @param elementTypeId the elements' type id, or 0 for any
     * @param references    the elements' offsets, 0 for null
     * @return the new object's offset
     * @throws TypeMismatchException if an element is not of the element type
     */
    public long writeReferenceArray(int elementTypeId, long... references) {
        for (long reference : references) {
            if (reference != 0) {
                checkReferenceTarget(reference, elementTypeId, "reference array element");
            }
        }
        int retained = 0;
        try {
            for (; retained < references.length; retained++) {
                if (references[retained] != 0) {
                    store.retain(references[retained]);
                }
            }
            return adoptReferenceArray(elementTypeId, references);
        } catch (RuntimeException e) {
            releaseAll(Arrays.copyOf(references, retained));
            throw e;
        }
    }

    /**
     * Reads the elements of a reference array.
     *
     * @param objectOffset a reference array object
     * @return its elements' offsets, 0 for null
     * @throws TypeMismatchException if the object is not a reference array
     */
    public long[] readReferenceArray(long objectOffset) {
        checkType(objectOffset, TypeIds.REFERENCE_ARRAY);
        int length = ArrayDescriptor.referenceArrayLength(payloadBytesAt(objectOffset));
        return memory.asSlice(objectOffset + ObjectHeaderDescriptor.LENGTH + ArrayDescriptor.REFERENCES_OFFSET,
                (long) length * ArrayDescriptor.REFERENCE_BYTES).toArray(StoreFormat.LONG);
    }

    /** Writes a reference array whose element references the caller already holds and hands over. */
    long adoptReferenceArray(int elementTypeId, long[] references) {
        long object = allocate(TypeIds.REFERENCE_ARRAY, ArrayDescriptor.referenceArrayPayloadBytes(references.length));
        long payload = object + ObjectHeaderDescriptor.LENGTH;
        memory.set(StoreFormat.INT, payload + ArrayDescriptor.ELEMENT_TYPE_OFFSET, elementTypeId);
        MemorySegment.copy(references, 0, memory, StoreFormat.LONG, payload + ArrayDescriptor.REFERENCES_OFFSET, references.length);
        return object;
    }

    void releaseAll(long[] references) {
        for (long reference : references) {
            if (reference != 0) {
                store.release(reference);
            }
        }
    }

    /** Copies a primitive array to the memory, little-endian; returns the bytes written. */
    static int copyArray(Object array, MemorySegment memory, long at) {
        return switch (array) {
            case byte[] a -> copy(a, a.length, ValueLayout.JAVA_BYTE, memory, at);
            case short[] a -> copy(a, a.length, SHORT, memory, at);
            case char[] a -> copy(a, a.length, CHAR, memory, at);
            case int[] a -> copy(a, a.length, StoreFormat.INT, memory, at);
            case long[] a -> copy(a, a.length, StoreFormat.LONG, memory, at);
            case float[] a -> copy(a, a.length, FLOAT, memory, at);
            case double[] a -> copy(a, a.length, DOUBLE, memory, at);
            default -> throw new IllegalArgumentException(array.getClass().getTypeName() + " is not a storable primitive array");
        };
    }

    private static int copy(Object array, int length, ValueLayout layout, MemorySegment memory, long at) {
        MemorySegment.copy(array, 0, memory, layout, at, length);
        return Math.toIntExact(length * layout.byteSize());
    }

    // ---------------------------------------------------------------- roots

    /**
     * Names an object: the root retains it; replacing a root releases the object it named.
     * Owner of an unfrozen store only.
     *
     * @param name         the root's name
     * @param objectOffset a live object
     * @throws StoreStateException if this process cannot change roots
     */
    public synchronized void setRoot(String name, long objectOffset) {
        checkRootsWritable(name);
        checkOffset(objectOffset, "root '" + name + "'");
        store.retain(objectOffset);
        Integer slot = rootSlots.get(name);
        if (slot != null) {
            MemorySegment payload = payloadOf(rootTableOffset);
            long old = RootTableDescriptor.objectOffset(payload, slot);
            RootTableDescriptor.setEntry(payload, slot, RootTableDescriptor.nameOffset(payload, slot), objectOffset);
            roots.put(name, objectOffset);
            store.release(old);
            return;
        }
        long nameObject = 0;
        try {
            long table = rootTableOffset;
            if (table == 0) {
                table = allocate(TypeIds.ROOT_TABLE, RootTableDescriptor.payloadBytes(FIRST_TABLE_CAPACITY));
                rootTableOffset = table;
            }
            int count = RootTableDescriptor.count(payloadOf(table));
            if (count == RootTableDescriptor.capacity(payloadBytesAt(table))) {
                table = grow(table, TypeIds.ROOT_TABLE, RootTableDescriptor.payloadBytes(count * 2));
                rootTableOffset = table;
            }
            nameObject = writeString(name);
            MemorySegment payload = payloadOf(table);
            RootTableDescriptor.setEntry(payload, count, nameObject, objectOffset);
            RootTableDescriptor.setCount(payload, count + 1);
            rootSlots.put(name, count);
            roots.put(name, objectOffset);
        } catch (RuntimeException e) {
            if (nameObject != 0 && !rootSlots.containsKey(name)) {
                store.release(nameObject);
            }
            store.release(objectOffset);
            throw e;
        }
    }

    /**
     * Returns the object a root names.
     *
     * @param name the root's name
     * @return the object's offset, or 0 if there is no such root
     */
    public long root(String name) {
        Long object = roots.get(name);
        return object == null ? 0 : object;
    }

    /**
     * Removes a root, releasing its object. Owner of an unfrozen store only.
     *
     * @param name the root's name
     * @return whether there was such a root
     * @throws StoreStateException if this process cannot change roots
     */
    public synchronized boolean removeRoot(String name) {
        checkRootsWritable(name);
        Integer slot = rootSlots.remove(name);
        if (slot == null) {
            return false;
        }
        MemorySegment payload = payloadOf(rootTableOffset);
        int last = RootTableDescriptor.count(payload) - 1;
        long nameObject = RootTableDescriptor.nameOffset(payload, slot);
        long object = RootTableDescriptor.objectOffset(payload, slot);
        if (slot != last) {
            long movedName = RootTableDescriptor.nameOffset(payload, last);
            RootTableDescriptor.setEntry(payload, slot, movedName, RootTableDescriptor.objectOffset(payload, last));
            rootSlots.put(readString(movedName), slot);
        }
        RootTableDescriptor.setEntry(payload, last, 0, 0);
        RootTableDescriptor.setCount(payload, last);
        roots.remove(name);
        store.release(nameObject);
        store.release(object);
        return true;
    }

    /** {@return the names of every root} */
    public Set<String> rootNames() {
        return Set.copyOf(roots.keySet());
    }

    private void checkRootsWritable(String name) {
        if (store.mode() != OpenMode.OWNER || store.isFrozen()) {
            throw new StoreStateException(file, PermafrostException.NO_OFFSET, "cannot change root '" + name
                    + "': only the owner of an unfrozen store changes roots (this store is " + store.mode()
                    + (store.isFrozen() ? ", frozen)" : ")"));
        }
    }

    // ---------------------------------------------------------------- references

    /**
     * Reports every non-null reference an object holds: the reference fields of a struct, the
     * elements of a reference array; none for strings, primitive arrays, raw objects and the
     * type and root tables (whose references move with them when they grow). Freeing uses this.
     *
     * @param objectOffset a live object
     * @param action       receives each referenced object's offset
     */
    void forEachReference(long objectOffset, LongConsumer action) {
        int typeId = typeIdAt(objectOffset);
        if (typeId >= TypeIds.FIRST_USER_TYPE_ID) {
            for (long fieldOffset : layoutOf(objectOffset, typeId).referenceOffsets) {
                long reference = memory.get(StoreFormat.LONG, objectOffset + fieldOffset);
                if (reference != 0) {
                    action.accept(reference);
                }
            }
        } else if (typeId == TypeIds.REFERENCE_ARRAY) {
            long elements = objectOffset + ObjectHeaderDescriptor.LENGTH + ArrayDescriptor.REFERENCES_OFFSET;
            int length = ArrayDescriptor.referenceArrayLength(payloadBytesAt(objectOffset));
            for (int i = 0; i < length; i++) {
                long reference = memory.get(StoreFormat.LONG, elements + (long) ArrayDescriptor.REFERENCE_BYTES * i);
                if (reference != 0) {
                    action.accept(reference);
                }
            }
        }
    }

    /** {@return the type table's offset, 0 if no type was ever registered: what the next commit records} */
    long typeTableOffset() {
        return typeTableOffset;
    }

    /** {@return the root table's offset, 0 if no root was ever set: what the next commit records} */
    long rootTableOffset() {
        return rootTableOffset;
    }

    // ---------------------------------------------------------------- helpers

    Store store() {
        return store;
    }

    /** Allocates an object of any kind: checks the store's state as {@link Store#allocate(int, long)} does. */
    long allocate(int typeId, long payloadBytes) {
        return allocation.allocate(typeId, payloadBytes);
    }

    int typeIdAt(long objectOffset) {
        return ObjectHeaderDescriptor.typeId(memory.get(StoreFormat.LONG, objectOffset + ObjectHeaderDescriptor.META_OFFSET));
    }

    private long payloadBytesAt(long objectOffset) {
        return ObjectHeaderDescriptor.payloadBytes(memory.get(StoreFormat.LONG, objectOffset + ObjectHeaderDescriptor.META_OFFSET));
    }

    private MemorySegment payloadOf(long objectOffset) {
        return memory.asSlice(objectOffset + ObjectHeaderDescriptor.LENGTH, payloadBytesAt(objectOffset));
    }

    private StructLayout layoutOf(long objectOffset, int typeId) {
        StructLayout[] current = layouts;
        int index = typeId - TypeIds.FIRST_USER_TYPE_ID;
        if (index >= current.length) {
            throw new CorruptStoreException(file, objectOffset, "object of type id " + typeId
                    + ", which the type table (" + current.length + " types) does not describe");
        }
        return current[index];
    }

    private void checkType(long objectOffset, int typeId) {
        int found = typeIdAt(objectOffset);
        if (found != typeId) {
            throw notOfType(objectOffset, found, TypeIds.builtinName(typeId));
        }
    }

    TypeMismatchException notOfType(long objectOffset, int found, String expected) {
        return new TypeMismatchException(file, objectOffset, expected, "the object is of type '" + typeName(found)
                + "' (id " + found + "), not '" + expected + "'");
    }

    private void checkOffset(long objectOffset, String what) {
        if (objectOffset < StoreFormat.HEAP_START_OFFSET || objectOffset % StoreFormat.OBJECT_ALIGNMENT != 0
                || objectOffset > memory.byteSize() - ObjectHeaderDescriptor.LENGTH) {
            throw new IllegalArgumentException(what + ": 0x" + Long.toHexString(objectOffset)
                    + " is not an object offset in this store");
        }
    }

    void checkReferenceTarget(long objectOffset, int expectedTypeId, String where) {
        checkOffset(objectOffset, where);
        if (expectedTypeId != 0) {
            int found = typeIdAt(objectOffset);
            if (found != expectedTypeId) {
                throw new TypeMismatchException(file, objectOffset, typeName(expectedTypeId), where
                        + " must refer to a '" + typeName(expectedTypeId) + "', found an object of type '" + typeName(found) + "'");
            }
        }
    }

    @Override
    public String toString() {
        return "Types[" + file + ", " + layouts.length + " types, " + roots.size() + " roots]";
    }
}
