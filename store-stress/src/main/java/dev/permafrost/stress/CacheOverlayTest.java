package dev.permafrost.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.permafrost.cache.CacheEntry;
import dev.permafrost.cache.CacheWriter;
import dev.permafrost.cache.Codecs;
import dev.permafrost.cache.SharedCache;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The cache's overlay inserting and evicting against a thread that holds a {@link CacheEntry}:
 * the handle's value stays what it was when the handle was taken until the handle closes, even
 * after its entry is evicted or replaced and its block freed (the overlay lives in private
 * memory where a freed block is reused at once, so a premature free shows as another entry's
 * value under the handle).
 *
 * <p>One cache for every state: an overlay bounded to one entry over a one-entry frozen base,
 * so every put evicts. Each state has keys of its own; values are their keys, or for a
 * replacement {@link #REPLACED} plus the key. Results: what the handle read first and second
 * (0 no entry, 1 the value put, 3 the replacement, 2 anything else).
 */
public final class CacheOverlayTest {
    static final SharedCache<Long, Long> CACHE = open(StressFiles.newPath("overlay"));
    /** Added to a key for the value that replaces its first. */
    static final long REPLACED = 1L << 40;
    private static final AtomicLong KEYS = new AtomicLong();
    static final int ABSENT = 0;
    static final int PUT = 1;
    static final int FOREIGN = 2;
    static final int REPLACEMENT = 3;

    private CacheOverlayTest() {
    }

    private static SharedCache<Long, Long> open(Path directory) {
        try (CacheWriter<Long, Long> writer = SharedCache.writer(directory, Codecs.int64(), Codecs.int64())) {
            writer.put(0L, 0L);
            writer.publish();
        }
        return SharedCache.builder(Codecs.int64(), Codecs.int64()).maximumSize(1).open(directory);
    }

    /**
     * Puts a key and reads it through a handle, twice: through the decoded value and the bytes
     * in place.
     *
     * @param key the key
     * @param r   what the two reads saw
     */
    static void putAndHold(long key, II_Result r) {
        CACHE.put(key, key);
        CacheEntry<Long> entry = CACHE.getEntry(key);
        if (entry == null) {
            r.r1 = ABSENT;
            r.r2 = ABSENT;
            return;
        }
        try {
            r.r1 = classify(entry.value(), key);
            MemorySegment bytes = entry.valueBytes();
            r.r2 = classify(bytes.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0), key);
        } finally {
            entry.close();
        }
    }

    private static int classify(long value, long key) {
        return value == key ? PUT : value == key + REPLACED ? REPLACEMENT : FOREIGN;
    }

    /** Other states' and this state's puts of other keys evict the held entry. */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the handle read its value, whether or not the entry was evicted while held")
    @Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "the entry was evicted between its put and the lookup")
    @Outcome(expect = FORBIDDEN, desc = "the handle read another entry's value, or its value changed: its block was freed and reused while held")
    @State
    public static class EvictionAgainstHandle {
        private final long key = KEYS.incrementAndGet();

        /** Builds a state: a key of its own. */
        public EvictionAgainstHandle() {
        }

        /**
         * Puts its key and holds a handle on it while reading.
         *
         * @param r what the handle read
         */
        @Actor
        public void hold(II_Result r) {
            putAndHold(key, r);
        }

        /** Puts two other keys: the first evicts the held entry, the second may reuse its block. */
        @Actor
        public void evict() {
            CACHE.put(-key, -key);
            CACHE.put(-key - REPLACED, -key);
        }
    }

    /** A put of the same key replaces the held entry; a put of another key then evicts the replacement. */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the handle was taken before the replacement and read the value put, throughout")
    @Outcome(id = "3, 3", expect = ACCEPTABLE_INTERESTING, desc = "the handle was taken after the replacement and read the replacement")
    @Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "the entry was evicted before the lookup")
    @Outcome(expect = FORBIDDEN, desc = "the value under a handle changed, or was another entry's: a replaced block freed while held")
    @State
    public static class ReplacementAgainstHandle {
        private final long key = KEYS.incrementAndGet();

        /** Builds a state: a key of its own. */
        public ReplacementAgainstHandle() {
        }

        /**
         * Puts its key and holds a handle on it while reading.
         *
         * @param r what the handle read
         */
        @Actor
        public void hold(II_Result r) {
            putAndHold(key, r);
        }

        /** Replaces the key's value, then puts another key, which evicts the replacement and may reuse a block. */
        @Actor
        public void replace() {
            CACHE.put(key, key + REPLACED);
            CACHE.put(-key, -key);
        }
    }
}
