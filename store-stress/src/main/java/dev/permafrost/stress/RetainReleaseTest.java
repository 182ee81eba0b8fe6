package dev.permafrost.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.permafrost.store.Store;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

/**
 * Retains and releases of one mortal object from two threads: the count afterwards is exact.
 * Each state allocates its own object (count 1, the state's reference); the arbiter reads the
 * count and then drops every reference left, freeing the object.
 */
public final class RetainReleaseTest {
    /** The heap every state of these tests allocates in. */
    static final Store STORE = StressFiles.sharedHeap("retain-release");

    private RetainReleaseTest() {
    }

    /**
     * Drops the references the arbiter found, the last of which frees the object; after a
     * forbidden count, nothing (the object is left behind rather than freed too early or never).
     */
    static void releaseAll(long object, long count, long expected) {
        if (count == expected) {
            for (long i = 0; i < count; i++) {
                STORE.release(object);
            }
        }
    }

    /** Two retains at once. */
    @JCStressTest
    @Outcome(id = "3", expect = ACCEPTABLE, desc = "both retains counted: 1 + 2")
    @Outcome(id = "2", expect = FORBIDDEN, desc = "a retain was lost: the object would be freed while one holder still uses it")
    @Outcome(expect = FORBIDDEN, desc = "any other count: the count word was corrupted")
    @State
    public static class BothRetain {
        private final long object = STORE.allocate(16);

        /** Takes a reference. */
        @Actor
        public void first() {
            STORE.retain(object);
        }

        /** Takes another. */
        @Actor
        public void second() {
            STORE.retain(object);
        }

        /**
         * Reads the count, then frees the object.
         *
         * @param r the count
         */
        @Arbiter
        public void count(J_Result r) {
            r.r1 = STORE.refCount(object);
            releaseAll(object, r.r1, 3);
        }
    }

    /** A retain against a release of another reference: the count goes back to where it was. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both counted: 2 + 1 - 1")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "the retain was lost")
    @Outcome(id = "3", expect = FORBIDDEN, desc = "the release was lost: the object would never be freed")
    @Outcome(expect = FORBIDDEN, desc = "any other count: the count word was corrupted")
    @State
    public static class RetainAgainstRelease {
        private final long object = allocateWithCount(2);

        /** Takes a reference. */
        @Actor
        public void retain() {
            STORE.retain(object);
        }

        /** Drops one of the two the state took. */
        @Actor
        public void release() {
            STORE.release(object);
        }

        /**
         * Reads the count, then frees the object.
         *
         * @param r the count
         */
        @Arbiter
        public void count(J_Result r) {
            r.r1 = STORE.refCount(object);
            releaseAll(object, r.r1, 2);
        }
    }

    /** Two releases at once, neither of them the last. */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "both counted: 3 - 2")
    @Outcome(id = "2", expect = FORBIDDEN, desc = "a release was lost: the object would never be freed")
    @Outcome(expect = FORBIDDEN, desc = "any other count: a release freed the object early, or the count word was corrupted")
    @State
    public static class BothRelease {
        private final long object = allocateWithCount(3);

        /** Drops a reference. */
        @Actor
        public void first() {
            STORE.release(object);
        }

        /** Drops another. */
        @Actor
        public void second() {
            STORE.release(object);
        }

        /**
         * Reads the count, then frees the object.
         *
         * @param r the count
         */
        @Arbiter
        public void count(J_Result r) {
            r.r1 = STORE.refCount(object);
            releaseAll(object, r.r1, 1);
        }
    }

    private static long allocateWithCount(int count) {
        long object = STORE.allocate(16);
        for (int i = 1; i < count; i++) {
            STORE.retain(object);
        }
        return object;
    }
}
