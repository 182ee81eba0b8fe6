package dev.permafrost.cache;

import java.lang.invoke.MethodHandles;
import java.util.Objects;

/**
 * A value codec that writes each value as a typed object of the store
 * ({@link dev.permafrost.store.RecordType#write}), so that a reader can read its fields in place
 * through the record's field accessors ({@link CacheEntry#ref()}, {@link CacheEntry#recordType()}).
 * Made by {@link Codecs#record(Class)}. For values only: keys are compared as bytes.
 *
 * <p>Its name is {@code record:} followed by the record class's binary name; the store checks
 * the class's fields against the stored type when a reader opens a version.
 *
 * @param <R> the record class
 */
public final class RecordCodec<R extends Record> implements Codec<R> {
    private final Class<R> recordClass;
    private final MethodHandles.Lookup lookup;
    private final String name;

    RecordCodec(Class<R> recordClass, MethodHandles.Lookup lookup) {
        this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
        if (!recordClass.isRecord()) {
            throw new IllegalArgumentException(recordClass.getName() + " is not a record class");
        }
        this.lookup = lookup;
        this.name = "record:" + recordClass.getName();
    }

    @Override
    public String name() {
        return name;
    }

    /** {@return the record class} */
    public Class<R> recordClass() {
        return recordClass;
    }

    /** {@return the lookup the record type is registered with, or {@code null} for none} */
    public MethodHandles.Lookup lookup() {
        return lookup;
    }

    @Override
    public String toString() {
        return name;
    }
}
