package dev.permafrost.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table's two hash algorithms: string keys by their {@code String.hashCode} (algorithm 2),
 * with the fall-back to the bytes' hash (algorithm 1) when hash codes crowd, and the error when
 * both crowd.
 */
class KeyHashingTest {
    @TempDir
    Path dir;

    @Test
    void stringKeysAreHashedByTheirHashCodeAndEveryOneIsFound() {
        List<String> keys = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            keys.add(switch (i % 4) {
                case 0 -> "key:" + i;
                case 1 -> "ünïcødé-" + i;
                case 2 -> "\uD83D\uDE00" + i + "\u4E2D"; // a surrogate pair, a CJK char
                default -> Long.toString(random.nextLong(), 36);
            });
        }
        try (CacheWriter<String, byte[]> writer = SharedCache.writer(dir, Codecs.string(), Codecs.bytes())) {
            for (String key : keys) {
                writer.put(key, key.getBytes(StandardCharsets.UTF_8));
            }
            writer.publish();
        }
        try (SharedCache<String, byte[]> cache = SharedCache.builder(Codecs.string(), Codecs.bytes()).open(dir)) {
            assertThat(cache.currentSnapshot().stringHashed).isTrue();
            for (String key : keys) {
                assertThat(cache.getIfPresent(new String(key))).isEqualTo(key.getBytes(StandardCharsets.UTF_8));
                assertThat(cache.getIfPresent(key + "!")).isNull();
            }
        }
    }

    @Test
    void keyHashIsSpreadBijectiveInTheHashCode() {
        assertThat(KeyHash.ofString(0)).isNotEqualTo(KeyHash.ofString(1));
        assertThat(KeyHash.stringHashCode("kettle".getBytes(StandardCharsets.UTF_8))).isEqualTo("kettle".hashCode());
        assertThat(KeyHash.stringHashCode("\uD83D\uDE00ü".getBytes(StandardCharsets.UTF_8))).isEqualTo("\uD83D\uDE00ü".hashCode());
        assertThat(KeyHash.stringHashCode(new byte[0])).isEqualTo("".hashCode());
    }

    @Test
    void stringKeysWhoseHashCodesCollideFallBackToHashingTheirBytes() {
        List<String> keys = collidingStrings(10); // 1,024 strings of 20 chars, one hash code
        assertThat(keys).hasSize(1024).allSatisfy(key -> assertThat(key.hashCode()).isEqualTo(keys.getFirst().hashCode()));
        try (CacheWriter<String, Long> writer = SharedCache.writer(dir, Codecs.string(), Codecs.int64())) {
            for (int i = 0; i < keys.size(); i++) {
                writer.put(keys.get(i), (long) i);
            }
            writer.put("plain", -1L);
            writer.publish();
        }
        try (SharedCache<String, Long> cache = SharedCache.builder(Codecs.string(), Codecs.int64()).open(dir)) {
            assertThat(cache.currentSnapshot().stringHashed).isFalse();
            for (int i = 0; i < keys.size(); i++) {
                assertThat(cache.getIfPresent(keys.get(i))).isEqualTo(i);
            }
            assertThat(cache.getIfPresent("plain")).isEqualTo(-1L);
            assertThat(cache.getIfPresent("AaAaAaAaAaAaAaAaAaAb")).isNull();
        }
    }

    @Test
    void aFewCollidingHashCodesKeepAlgorithmTwoAndAreToldApartByTheirBytes() {
        List<String> keys = collidingStrings(5); // 32 keys on one home slot: within the 255 a slot's displacement holds
        try (CacheWriter<String, Long> writer = SharedCache.writer(dir, Codecs.string(), Codecs.int64())) {
            for (int i = 0; i < keys.size(); i++) {
                writer.put(keys.get(i), (long) i);
            }
            writer.publish();
        }
        try (SharedCache<String, Long> cache = SharedCache.builder(Codecs.string(), Codecs.int64()).open(dir)) {
            assertThat(cache.currentSnapshot().stringHashed).isTrue();
            for (int i = 0; i < keys.size(); i++) {
                assertThat(cache.getIfPresent(keys.get(i))).isEqualTo(i);
                try (CacheEntry<Long> entry = cache.getEntry(keys.get(i))) {
                    assertThat(entry.value()).isEqualTo(i);
                }
            }
            assertThat(cache.getIfPresent("AaAaAaAaAb")).isNull();
            cache.invalidate(keys.get(3));
            assertThat(cache.getIfPresent(keys.get(3))).isNull();
            assertThat(cache.getIfPresent(keys.get(4))).isEqualTo(4);
        }
    }

    @Test
    void keysMadeToCollideUnderBothAlgorithmsPublishNothing() throws Exception {
        try (CacheWriter<String, Long> first = SharedCache.writer(dir, Codecs.string(), Codecs.int64())) {
            first.put("kept", 1L);
            first.publish();
        }
        CacheWriter<byte[], Long> writer = SharedCache.writer(dir, Codecs.bytes(), Codecs.int64());
        for (byte[] key : bytesCollidingUnderAlgorithmOne(400)) {
            writer.put(key, 1L);
        }
        Path file = writer.file();
        assertThatThrownBy(writer::publish).isInstanceOf(KeyCollisionException.class)
                .hasMessageContaining("400 keys").hasMessageContaining(file.toString()).hasMessageContaining(dir.toString());
        assertThat(file).doesNotExist();
        try (SharedCache<String, Long> cache = SharedCache.builder(Codecs.string(), Codecs.int64()).open(dir)) {
            assertThat(cache.getIfPresent("kept")).isEqualTo(1L); // the current version stays current
        }
        assertThat(Files.readString(dir.resolve("CURRENT")).strip()).isEqualTo(CacheDirectory.versionName(1));
    }

    @Test
    void aKeyWithAnUnpairedSurrogateIsRefusedAndTheWriterGoesOn() {
        try (CacheWriter<String, Long> writer = SharedCache.writer(dir, Codecs.string(), Codecs.int64())) {
            assertThatThrownBy(() -> writer.put("ab\uD800c", 1L)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unpaired surrogate at char 2").hasMessageContaining(writer.file().toString());
            writer.put("ab?c", 2L);
            writer.publish();
        }
        try (SharedCache<String, Long> cache = SharedCache.builder(Codecs.string(), Codecs.int64()).open(dir)) {
            assertThat(cache.getIfPresent("ab?c")).isEqualTo(2L);
            assertThat(cache.getIfPresent("ab\uD800c")).isNull();
            assertThat(cache.estimatedSize()).isEqualTo(1);
        }
    }

    /** {@return the 2^n strings of n pairs "Aa" or "BB": one hash code, since 'A'·31 + 'a' = 'B'·31 + 'B'} */
    private static List<String> collidingStrings(int n) {
        List<String> strings = new ArrayList<>();
        for (int bits = 0; bits < 1 << n; bits++) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < n; i++) {
                s.append((bits >>> i & 1) == 0 ? "Aa" : "BB");
            }
            strings.add(s.toString());
        }
        return strings;
    }

    /**
     * Returns 16-byte keys with one algorithm-1 hash: each step of {@link KeyHash#hash} is
     * invertible, so for any first word a second word brings the state to a chosen value.
     */
    private static List<byte[]> bytesCollidingUnderAlgorithmOne(int count) {
        long k1Inverse = inverse(KeyHash.K1);
        long k2Inverse = inverse(KeyHash.K2);
        long target = 0x0123_4567_89AB_CDEFL; // the state after both words
        long wanted = Long.rotateRight(target * k1Inverse, 31); // = state1 ^ (w2 * K2)
        List<byte[]> keys = new ArrayList<>();
        for (long w1 = 1; keys.size() < count; w1++) {
            long state0 = KeyHash.SEED ^ (16 * KeyHash.K1);
            long state1 = Long.rotateLeft(state0 ^ (w1 * KeyHash.K2), 31) * KeyHash.K1;
            long w2 = (wanted ^ state1) * k2Inverse;
            byte[] key = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(w1).putLong(w2).array();
            keys.add(key);
        }
        long first = KeyHash.hash(keys.getFirst());
        assertThat(keys).allSatisfy(key -> assertThat(KeyHash.hash(key)).isEqualTo(first));
        return keys;
    }

    /** {@return the multiplicative inverse of an odd number modulo 2^64 (Newton's iteration)} */
    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 5; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }
}
