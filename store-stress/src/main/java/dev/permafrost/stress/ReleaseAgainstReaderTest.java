package dev.permafrost.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.permafrost.store.Store;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * A release racing a reader of the object's payload: a reader that holds a reference reads the
 * payload as it was written, whoever drops the last reference. Freeing a block writes the
 * free list's link over its first payload word, so a premature free shows as a torn payload.
 */
public final class ReleaseAgainstReaderTest {
    static final Store STORE = StressFiles.sharedHeap("release-reader");
    private static final AtomicLong STAMPS = new AtomicLong();
    private static final int WORDS = 4;

    private ReleaseAgainstReaderTest() {
    }

    /** An object of {@link #WORDS} words, each derived from a stamp of its own, with count 1. */
    static long write(long stamp) {
        long object = STORE.allocate(WORDS * Long.BYTES);
        MemorySegment payload = STORE.payload(object);
        for (int i = 0; i < WORDS; i++) {
            payload.setAtIndex(ValueLayout.JAVA_LONG, i, word(stamp, i));
        }
        return object;
    }

    /** Whether the payload still holds what {@link #write} put there. */
    static boolean intact(MemorySegment payload, long stamp) {
        for (int i = 0; i < WORDS; i++) {
            if (payload.getAtIndex(ValueLayout.JAVA_LONG, i) != word(stamp, i)) {
                return false;
            }
        }
        return true;
    }

    private static long word(long stamp, int i) {
        return stamp * 0x9E3779B97F4A7C15L + i;
    }

    /** The reader holds its own reference while the other thread drops the state's. */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "the reader read the payload intact")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "the reader read a torn payload: the object was freed while it held a reference")
    @State
    public static class HeldReference {
        private final long stamp = STAMPS.incrementAndGet();
        private final long object = write(stamp);

        /** Builds a state: an object with count 2, one for each actor. */
        public HeldReference() {
            STORE.retain(object);
        }

        /** Drops the state's reference: the last, if the reader dropped its own first. */
        @Actor
        public void release() {
            STORE.release(object);
        }

        /**
         * Reads the payload, then drops its reference.
         *
         * @param r whether the payload was intact
         */
        @Actor
        public void read(I_Result r) {
            r.r1 = intact(STORE.payload(object), stamp) ? 1 : 0;
            STORE.release(object);
        }
    }

    /** The reader takes its reference with tryRetain while the other thread drops the last one. */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "tryRetain first: the reader read the payload intact, and its release freed the object")
    @Outcome(id = "0", expect = ACCEPTABLE, desc = "the release first: the object was freed, tryRetain refused it")
    @Outcome(id = "2", expect = FORBIDDEN, desc = "tryRetain took a reference, yet the payload was torn: the object had been freed")
    @State
    public static class TryRetainedReference {
        private final long stamp = STAMPS.incrementAndGet();
        private final long object = write(stamp);

        /** Builds a state: an object with count 1. */
        public TryRetainedReference() {
        }

        /** Drops the only reference. */
        @Actor
        public void release() {
            STORE.release(object);
        }

        /**
         * Takes a reference if the object is still live, reads the payload and drops it.
         *
         * @param r 1: read intact, 0: refused, 2: read torn
         */
        @Actor
        public void read(I_Result r) {
            if (!STORE.tryRetain(object)) {
                r.r1 = 0;
                return;
            }
            r.r1 = intact(STORE.payload(object), stamp) ? 1 : 2;
            STORE.release(object);
        }
    }
}
