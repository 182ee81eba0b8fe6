package dev.permafrost.cache;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The built-in codecs. Their names, recorded in every cache file, are part of the format:
 * {@code string:utf-8}, {@code bytes}, {@code int64:le} and {@code record:<binary class name>}.
 */
public final class Codecs {
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final ByteCodec<String> STRING = new Builtin<>("string:utf-8") {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(MemorySegment bytes) {
            return new String(bytes.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    };

    private static final ByteCodec<byte[]> BYTES = new Builtin<>("bytes") {
        @Override
        public byte[] encode(byte[] value) {
            return value; // read during the call only: no copy
        }

        @Override
        public byte[] decode(MemorySegment bytes) {
            return bytes.toArray(ValueLayout.JAVA_BYTE);
        }
    };

    private static final ByteCodec<Long> INT64 = new Builtin<>("int64:le") {
        @Override
        public byte[] encode(Long value) {
            byte[] bytes = new byte[Long.BYTES];
            MemorySegment.ofArray(bytes).set(LONG_LE, 0, value);
            return bytes;
        }

        @Override
        public Long decode(MemorySegment bytes) {
            return bytes.get(LONG_LE, 0);
        }
    };

    private Codecs() {
    }

    /** {@return strings as their UTF-8 bytes (unpaired surrogates become {@code ?})} */
    public static ByteCodec<String> string() {
        return STRING;
    }

    /** {@return byte arrays as themselves (decoding copies them to the heap)} */
    public static ByteCodec<byte[]> bytes() {
        return BYTES;
    }

    /** {@return longs as 8 bytes, little-endian} */
    public static ByteCodec<Long> int64() {
        return INT64;
    }

    /**
     * Values as typed objects of the store, for a public record class or one whose package is
     * open to {@code dev.permafrost.core}.
     *
     * @param recordClass the record class
     * @param <R>         the record class
     * @return the codec
     * @throws IllegalArgumentException if the class is not a record
     */
    public static <R extends Record> RecordCodec<R> record(Class<R> recordClass) {
        return new RecordCodec<>(recordClass, null);
    }

    /**
     * Values as typed objects of the store, reaching a non-public record through a lookup.
     *
     * @param recordClass the record class
     * @param lookup      a full-privilege lookup in the record's package ({@code MethodHandles.lookup()})
     * @param <R>         the record class
     * @return the codec
     * @throws IllegalArgumentException if the class is not a record
     */
    public static <R extends Record> RecordCodec<R> record(Class<R> recordClass, MethodHandles.Lookup lookup) {
        return new RecordCodec<>(recordClass, java.util.Objects.requireNonNull(lookup, "lookup"));
    }

    /** A built-in byte codec: its name and {@code toString}. */
    private abstract static class Builtin<T> implements ByteCodec<T> {
        private final String name;

        Builtin(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
