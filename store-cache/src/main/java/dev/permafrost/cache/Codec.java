package dev.permafrost.cache;

/**
 * How a cache stores keys or values: as bytes ({@link ByteCodec}, which users implement for
 * their own types) or, for values only, as typed objects of the store ({@link RecordCodec},
 * from {@link Codecs#record(Class)}).
 *
 * <p>A codec's {@link #name()} is recorded in every version file built with it; a reader
 * opening the version with a codec of another name is refused with a
 * {@link CodecMismatchException}. Change the name when the encoding changes.
 *
 * @param <T> the type of the keys or values
 */
public sealed interface Codec<T> permits ByteCodec, RecordCodec {
    /** {@return the codec's name as recorded in the cache file: at most 1024 bytes of UTF-8} */
    String name();
}
