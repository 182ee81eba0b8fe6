package dev.permafrost.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Hash algorithm 1 of the cache format: a 64-bit hash of a key's bytes, the same in every
 * process and release (it decides where entries are in the frozen table). Words of 8 bytes,
 * little-endian, then the 0 to 7 remaining bytes as one word padded with zeros:
 *
 * <pre>
 * h = SEED ^ (length * K1)
 * for each word w:  h = rotl(h ^ (w * K2), 31) * K1
 * tail word t:      h = rotl(h ^ (t * K2), 31) * K1      (t = 0 when no byte remains)
 * return fmix64(h)                                         (MurmurHash3's finaliser)
 * </pre>
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
