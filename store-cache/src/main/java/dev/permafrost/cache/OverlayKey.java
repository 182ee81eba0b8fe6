package dev.permafrost.cache;

import java.util.Arrays;

/**
 * An encoded key with its hash: the overlay's map key and the eviction policy's key. Equal by
 * bytes, so that the policy's ghost recognises a key admitted again; it holds nothing but the
 * bytes (a ghost never keeps an entry, a value or a version reachable).
 *
 * @param bytes the key as its codec encoded it; not modified
 * @param hash  {@link KeyHash#hash} of the bytes
 */
record OverlayKey(byte[] bytes, long hash) {
    @Override
    public boolean equals(Object other) {
        return other instanceof OverlayKey that && hash == that.hash && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return (int) (hash ^ (hash >>> 32));
    }

    @Override
    public String toString() {
        return "OverlayKey[" + bytes.length + " bytes, hash " + Long.toHexString(hash) + "]";
    }
}
