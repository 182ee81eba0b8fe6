package dev.permafrost.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The cache format's key hashes: 64 bits, the same in every process and release (they decide
 * where entries are in the frozen table).
 *
 * <p>Algorithm 1 ({@link #hash}), for any key codec: of the key's bytes. Words of 8 bytes,
 * little-endian, then the 0 to 7 remaining bytes as one word padded with zeros:
 *
 * <pre>
 * h = SEED ^ (length * K1)
 * for each word w:  h = rotl(h ^ (w * K2), 31) * K1
 * tail word t:      h = rotl(h ^ (t * K2), 31) * K1      (t = 0 when no byte remains)
 * return fmix64(h)                                         (MurmurHash3's finaliser)
 * </pre>
 *
 * <p>Algorithm 2 ({@link #ofString}), for keys of {@link Codecs#string()}: of the key's
 * {@link String#hashCode()}, which the Java SE specification fixes (the polynomial over the
 * UTF-16 chars, base 31) and a {@code String} caches, so that a lookup finds the home slot
 * without reading the key's characters, and a miss never reads them:
 *
 * <pre>
 * return fmix64(SEED ^ (unsigned(s.hashCode()) * K1))
 * </pre>
 *
 * It is a bijection of the 32-bit hash code: keys with distinct hash codes have distinct hashes,
 * and keys with equal ones share home slot and fingerprint (the writer falls back to algorithm 1
 * when that crowds the table).
 */
final class KeyHash {
    static final long SEED = 0x243F6A8885A308D3L;
    static final long K1 = 0x9E3779B97F4A7C15L;
    static final long K2 = 0xC2B2AE3D27D4EB4FL;
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private KeyHash() {
    }

    static long hash(byte[] key) {
        int length = key.length;
        long h = SEED ^ (length * K1);
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            h = Long.rotateLeft(h ^ ((long) WORDS.get(key, i) * K2), 31) * K1;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += Byte.SIZE) {
            tail |= (key[i] & 0xFFL) << shift;
        }
        h = Long.rotateLeft(h ^ (tail * K2), 31) * K1;
        return fmix64(h);
    }

    /**
     * Hash algorithm 2.
     *
     * @param stringHashCode a key's {@link String#hashCode()}
     * @return the key's hash
     */
    static long ofString(int stringHashCode) {
        return fmix64(SEED ^ (Integer.toUnsignedLong(stringHashCode) * K1));
    }

    /**
     * Returns the {@link String#hashCode()} of the string whose UTF-8 encoding a key's bytes are:
     * the polynomial over the bytes themselves when all are ASCII, else of the decoded string.
     *
     * @param utf8 bytes a {@code String} encoded to
     * @return the string's hash code
     */
    static int stringHashCode(byte[] utf8) {
        int h = 0;
        for (byte b : utf8) {
            if (b < 0) {
                return new String(utf8, StandardCharsets.UTF_8).hashCode();
            }
            h = 31 * h + b;
        }
        return h;
    }

    private static long fmix64(long value) {
        long h = value;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
