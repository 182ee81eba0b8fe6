/**
 * The Permafrost API: {@link dev.permafrost.store.Store} (create, open, allocate, retain,
 * release, freeze, close) and its typed objects: Java records stored as structs whose layout
 * the store itself describes ({@link dev.permafrost.store.Types},
 * {@link dev.permafrost.store.RecordType}), the built-in kinds (UTF-8 strings, primitive
 * arrays, reference arrays), typed references between objects ({@link dev.permafrost.store.Ref})
 * and named roots.
 *
 * <p>The store and its typed layer share this package because they collaborate: the store
 * frees an object by asking its types what the object references, and the types allocate,
 * retain and release through the store. Their collaboration is package-private; users see
 * the store, the types façade, record types, handles and accessors.
 *
 * <p>Every process reads the type table when it opens a store and checks each record class it
 * registers against it, so a class that no longer matches fails with a
 * {@link dev.permafrost.error.TypeMismatchException} instead of reading wrong data.
 *
 * <p>Thread rules: a store, its {@code Types} and every {@code RecordType} and accessor are
 * safe from any thread; freeze and close want a quiet point; registration and root changes are
 * serialized on the {@code Types}. Hot paths: {@code retain}, {@code release},
 * {@code tryRetain}, {@code payload}, {@link dev.permafrost.store.RecordType#read} (a generated
 * decoder) and the zero-copy accessors ({@link dev.permafrost.store.IntField} and friends).
 */
package dev.permafrost.store;
