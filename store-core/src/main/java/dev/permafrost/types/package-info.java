/**
 * Typed objects: Java records stored as structs whose layout the store itself describes
 * ({@link dev.permafrost.types.Types}, {@link dev.permafrost.types.RecordType}), the built-in
 * kinds (UTF-8 strings, primitive arrays, reference arrays), counted references between objects
 * ({@link dev.permafrost.types.Ref}) and named roots.
 *
 * <p>Every process reads the type table when it opens a store and checks each record class it
 * registers against it, so a class that no longer matches fails with a
 * {@link dev.permafrost.error.TypeMismatchException} instead of reading wrong data.
 *
 * <p>Thread rules: a store's {@code Types} and every {@code RecordType} and accessor are safe
 * from any thread; registration and root changes are serialized on the {@code Types}.
 * Hot paths: {@link dev.permafrost.types.RecordType#read} (a generated decoder) and the
 * zero-copy accessors ({@link dev.permafrost.types.IntField} and friends), one read each.
 */
package dev.permafrost.types;
