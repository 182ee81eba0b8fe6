package dev.permafrost.cache;

import java.lang.foreign.MemorySegment;

/**
 * A codec that stores a key or value as bytes: the kind users write for their own types.
 * Implementations must be deterministic (equal keys encode to equal bytes: lookups compare
 * bytes), thread-safe and stateless.
 *
 * <pre>{@code
 * record Sku(long id) {}
 * ByteCodec<Sku> skus = new ByteCodec<>() {
 *     public String name() { return "com.acme.sku:v1"; }
 *     public byte[] encode(Sku sku) { return Long.toString(sku.id()).getBytes(StandardCharsets.US_ASCII); }
 *     public Sku decode(MemorySegment bytes) {
 *         return new Sku(Long.parseLong(new String(bytes.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII)));
 *     }
 * };
 * }</pre>
 *
 * @param <T> the type of the keys or values
 */
public non-sealed interface ByteCodec<T> extends Codec<T> {
    /**
     * Encodes a value.
     *
     * @param value not null
     * @return its bytes, which the cache reads during the call and neither keeps nor modifies
     *         (so returning an array the value holds is fine)
     */
    byte[] encode(T value);

    /**
     * Decodes stored bytes into a new heap object.
     *
     * @param bytes exactly the bytes {@link #encode} returned, read-only, valid during the call
     * @return the value
     */
    T decode(MemorySegment bytes);
}
