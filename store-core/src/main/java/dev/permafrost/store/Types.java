package dev.permafrost.store;

import dev.permafrost.error.ReferenceCountException;
import dev.permafrost.error.StoreStateException;
import dev.permafrost.error.TypeMismatchException;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * types.adoptRoot("alice", users.write(new User(1, "alice", null)));   // the root takes over the new object
 * store.freeze();
 *
 * // any process, any time later: the class must still match the stored type
 * RecordType<User> users = worker.types().register(User.class);
 * User a = worker.types().root("alice", users).map(users::read).orElseThrow();
 * }</pre>
 *
 * <p>A façade: each job has its own package-private part, the type table and registration
 * ({@link TypeTable}), the roots ({@link Roots}), strings and arrays ({@link BuiltinKinds}),
 * decoding without a class ({@link ObjectDecoder}) and the reference scan that freeing uses
 * ({@link ReferenceScan}).
 *
 * <p>Everything about types is decoded when the store opens and when a class is registered;
 * nothing is computed lazily afterwards, and nothing here ever writes a frozen object. Only
 * the owner of an unfrozen store adds types and changes roots; every opener can register
 * classes that match stored types, read, and write private objects of those types.
 *
 * <p>Ownership: every {@code write...} returns a {@link Ref} to a new object whose one
 * reference the caller owns. A reference field, a {@link Ref} component, a reference array
 * element and a root each hold a reference of their own, taken when they are written;
 * {@link #adoptRoot} instead takes over the caller's, so that the common build step (write,
 * name it) leaves nothing to release. Freeing an object releases what it references, with a
 * work list rather than recursion. Cycles are never freed by counting: break them before
 * releasing, or freeze them, which makes them immortal like every other object.
 *
 * <p>Thread rules: safe from any thread; registration and root changes are serialized.
 */
public final class Types {
    private final ObjectSpace space;
    private final TypeTable table;
    private final BuiltinKinds builtins;
    private final Roots roots;
    private final ObjectDecoder decoder;
    private final ReferenceScan scan;

    /** Reads the store's type and root tables; called once, by the store, as the last step of its constructor. */
    Types(Store store, MemorySegment memory, long typeTableOffset, long rootTableOffset, ObjectSpace.Allocation allocation) {
        this.space = new ObjectSpace(store, memory, store.path(), allocation);
        this.table = new TypeTable(space, this, typeTableOffset);
        this.builtins = new BuiltinKinds(space, table);
        this.roots = new Roots(space, builtins, rootTableOffset);
        this.decoder = new ObjectDecoder(space, table, builtins);
        this.scan = new ReferenceScan(space, table);
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
     * @throws IllegalArgumentException if the class is not a record, or a component's type cannot be stored
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
     * @throws TypeMismatchException    if the stored type of that name has other fields
     * @throws StoreStateException      if the type is new and this process cannot add types
     * @throws IllegalArgumentException if the class is not a record, or a component's type cannot be stored
     */
    public <R extends Record> RecordType<R> register(Class<R> recordClass, MethodHandles.Lookup lookup) {
        if (recordClass == null) {
            throw new NullPointerException("the record class to register must not be null");
        }
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
     * @throws IllegalArgumentException if the class is already bound under another name, is
     *                                  not a record, or has a component whose type cannot be stored
     */
    public <R extends Record> RecordType<R> register(Class<R> recordClass, String typeName, MethodHandles.Lookup lookup) {
        if (recordClass == null || typeName == null) {
            throw new NullPointerException("register needs a record class and a type name, found " + recordClass + " and " + typeName);
        }
        Component.requireRecord(recordClass);
        return table.register(recordClass, typeName, lookup);
    }

    // ---------------------------------------------------------------- introspection

    /** {@return every stored type, in id order} */
    public List<TypeInfo> types() {
        return table.types();
    }

    /**
     * Returns a stored type.
     *
     * @param typeId a user type id
     * @return the type, or {@code null} if the table has no such id
     */
    public TypeInfo type(int typeId) {
        return table.type(typeId);
    }

    /**
     * Returns a stored type.
     *
     * @param name a type name
     * @return the type, or {@code null} if the table has none of that name
     */
    public TypeInfo type(String name) {
        return table.type(name);
    }

    /**
     * Returns a type's name: a stored type's name, or the built-in kind's short name.
     *
     * @param typeId any type id
     * @return its name
     */
    public String typeName(int typeId) {
        return table.typeName(typeId);
    }

    /**
     * Decodes any object without its Java class, from the stored type alone: a struct as a map
     * from field name to value (primitives boxed, inline strings and arrays decoded, references
     * as {@link Ref}), a string as a {@code String}, a primitive array as a Java array, a
     * reference array as a {@code Ref[]}, anything else as its raw payload bytes.
     *
     * @param object a live object
     * @return its decoded value
     * @throws ReferenceCountException if the reference names no live object
     */
    public Object decode(Ref<?> object) {
        return decoder.decode(object.offset());
    }

    /**
     * Decodes any object without its Java class, as {@link #decode(Ref)} does.
     *
     * @param objectOffset a live object
     * @return its decoded value
     * @throws ReferenceCountException if the offset names no live object
     */
    public Object decode(long objectOffset) {
        return decoder.decode(objectOffset);
    }

    // ---------------------------------------------------------------- strings and arrays

    /**
     * Writes a string object (its UTF-8 bytes) with a count of 1, which the caller owns.
     *
     * @param s the string
     * @return the new object
     */
    public Ref<String> writeString(String s) {
        return new Ref<>(builtins.writeString(s));
    }

    /**
     * Reads a string object into a heap string.
     *
     * @param string a string object
     * @return the string
     * @throws TypeMismatchException   if the object is not a string
     * @throws ReferenceCountException if the reference names no live object
     */
    public String readString(Ref<String> string) {
        return builtins.readString(string.offset());
    }

    /**
     * Reads a string object into a heap string: the offset form of {@link #readString(Ref)}.
     *
     * @param objectOffset a string object
     * @return the string
     * @throws TypeMismatchException   if the object is not a string
     * @throws ReferenceCountException if the offset names no live object
     */
    public String readString(long objectOffset) {
        return builtins.readString(objectOffset);
    }

    /**
     * Compares a string object with a Java string without allocating.
     *
     * @param string a string object
     * @param s      the string to compare with
     * @return whether the object holds exactly that string
     * @throws TypeMismatchException if the object is not a string
     */
    public boolean stringEquals(Ref<String> string, String s) {
        return builtins.stringEquals(string.offset(), s);
    }

    /**
     * Compares a string object with a Java string without allocating: the offset form of
     * {@link #stringEquals(Ref, String)}.
     *
     * @param objectOffset a string object
     * @param s            the string to compare with
     * @return whether the object holds exactly that string
     * @throws TypeMismatchException if the object is not a string
     */
    public boolean stringEquals(long objectOffset, String s) {
        return builtins.stringEquals(objectOffset, s);
    }

    /**
     * Writes a primitive array object ({@code byte[]}, {@code short[]}, {@code char[]},
     * {@code int[]}, {@code long[]}, {@code float[]} or {@code double[]}) with a count of 1,
     * which the caller owns.
     *
     * @param array the array
     * @param <A>   the array's class
     * @return the new object
     * @throws IllegalArgumentException if it is not one of those arrays
     */
    public <A> Ref<A> writeArray(A array) {
        return new Ref<>(builtins.writeArray(array));
    }

    /**
     * Reads a primitive array object into a new Java array of its kind.
     *
     * @param array a primitive array object
     * @param <A>   the array's class
     * @return the array
     * @throws TypeMismatchException if the object is not a primitive array
     */
    @SuppressWarnings("unchecked")
    public <A> A readArray(Ref<A> array) {
        return (A) builtins.readArray(array.offset());
    }

    /**
     * Reads a primitive array object into a new Java array of its kind: the offset form of
     * {@link #readArray(Ref)}.
     *
     * @param objectOffset a primitive array object
     * @return the array ({@code byte[]}, {@code int[]}, ...)
     * @throws TypeMismatchException if the object is not a primitive array
     */
    public Object readArray(long objectOffset) {
        return builtins.readArray(objectOffset);
    }

    /**
     * Writes a reference array with a count of 1, which the caller owns; the array retains
     * every non-null element.
     *
     * @param elementType the elements' type
     * @param elements    the elements, {@code null} for a null element
     * @param <R>         the elements' record class
     * @return the new object
     * @throws TypeMismatchException if an element is not of the element type
     */
    @SafeVarargs
    public final <R extends Record> Ref<Ref<R>[]> writeReferenceArray(RecordType<R> elementType, Ref<R>... elements) {
        long[] offsets = new long[elements.length];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = elements[i] == null ? 0 : elements[i].offset();
        }
        return new Ref<>(builtins.writeReferenceArray(elementType.typeId(), offsets));
    }

    /**
     * Writes a reference array of elements given by offset, for bulk builds: the hot-path form
     * of {@link #writeReferenceArray(RecordType, Ref[])}. The array retains every non-null element.
     *
     * @param elementType the elements' type, or {@code null} for elements of any type
     * @param elementOffsets the elements' offsets, 0 for null
     * @param <R>         the elements' record class
     * @return the new object
     * @throws TypeMismatchException if an element is not of the element type
     */
    public <R extends Record> Ref<Ref<R>[]> writeReferenceArray(RecordType<R> elementType, long[] elementOffsets) {
        return new Ref<>(builtins.writeReferenceArray(elementType == null ? 0 : elementType.typeId(), elementOffsets));
    }

    /**
     * Reads the elements of a reference array.
     *
     * @param array a reference array object
     * @return its elements' offsets, 0 for null
     * @throws TypeMismatchException if the object is not a reference array
     */
    public long[] readReferenceArray(Ref<? extends Ref<?>[]> array) {
        return builtins.readReferenceArray(array.offset());
    }

    /**
     * Reads the elements of a reference array: the offset form of {@link #readReferenceArray(Ref)}.
     *
     * @param objectOffset a reference array object
     * @return its elements' offsets, 0 for null
     * @throws TypeMismatchException if the object is not a reference array
     */
    public long[] readReferenceArray(long objectOffset) {
        return builtins.readReferenceArray(objectOffset);
    }

    // ---------------------------------------------------------------- roots

    /**
     * Names an object. The root takes a reference of its own (the caller keeps its reference);
     * replacing a root releases the object it named. Owner of an unfrozen store only.
     *
     * @param name   the root's name: not null, well-formed UTF-16 (no unpaired surrogate)
     * @param object a live object
     * @throws StoreStateException      if this process cannot change roots
     * @throws IllegalArgumentException if the name has an unpaired surrogate
     * @throws ReferenceCountException  if the reference names no live object
     */
    public void setRoot(String name, Ref<?> object) {
        roots.set(name, object.offset(), false);
    }

    /**
     * Names an object, handing the caller's reference to the root: after this call the caller
     * holds no reference of its own, and need not release one. The way to name an object just
     * written: {@code types.adoptRoot("users", users.write(user))}. If this throws, nothing
     * changed and the reference is still the caller's.
     *
     * @param name   the root's name: not null, well-formed UTF-16 (no unpaired surrogate)
     * @param object a live object whose reference the caller owns
     * @throws StoreStateException      if this process cannot change roots
     * @throws IllegalArgumentException if the name has an unpaired surrogate
     * @throws ReferenceCountException  if the reference names no live object
     */
    public void adoptRoot(String name, Ref<?> object) {
        roots.set(name, object.offset(), true);
    }

    /**
     * Returns the object a root names. The reference is the root's: it stays valid while the
     * root names the object (in a frozen store, for as long as the store is open).
     *
     * @param name the root's name
     * @return the object, or empty if there is no such root
     */
    public Optional<Ref<?>> root(String name) {
        long object = roots.get(name);
        return object == 0 ? Optional.empty() : Optional.of(new Ref<>(object));
    }

    /**
     * Returns the object a root names, checked to be of a record type.
     *
     * @param name the root's name
     * @param type the type the root's object must have
     * @param <R>  the record class
     * @return the object, or empty if there is no such root
     * @throws TypeMismatchException if the root names an object of another type
     */
    public <R extends Record> Optional<Ref<R>> root(String name, RecordType<R> type) {
        long object = roots.get(name);
        if (object == 0) {
            return Optional.empty();
        }
        int found = space.typeIdAt(object);
        if (found != type.typeId()) {
            throw new TypeMismatchException(space.file, object, type.name(), "root '" + name + "' names an object of type '"
                    + typeName(found) + "', not '" + type.name() + "'");
        }
        return Optional.of(new Ref<>(object));
    }

    /**
     * Removes a root, releasing its object. Owner of an unfrozen store only.
     *
     * @param name the root's name
     * @return whether there was such a root
     * @throws StoreStateException if this process cannot change roots
     */
    public boolean removeRoot(String name) {
        return roots.remove(name);
    }

    /** {@return the names of every root} */
    public Set<String> rootNames() {
        return roots.names();
    }

    @Override
    public String toString() {
        return "Types[" + space.file + ", " + table.types().size() + " types, " + roots.size() + " roots]";
    }

    // ---------------------------------------------------------------- for the store and record types

    void forEachReference(long objectOffset, LongConsumer action) {
        scan.forEachReference(objectOffset, action);
    }

    long typeTableOffset() {
        return table.offset();
    }

    /**
     * Runs a commit with the tables still: no type registration or root change runs meanwhile
     * (their locks, taken before the allocator's, as those operations take them), and after it
     * the tables it recorded are copied before they are changed again.
     */
    void commitTables(Runnable commit) {
        synchronized (table) {
            synchronized (roots) {
                commit.run();
                table.published();
                roots.published();
            }
        }
    }

    long rootTableOffset() {
        return roots.offset();
    }

    ObjectSpace space() {
        return space;
    }

    BuiltinKinds builtins() {
        return builtins;
    }

    TypeInfo info(StructLayout layout) {
        return table.info(layout);
    }
}
