package dev.permafrost.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.permafrost.store.Store;
import java.nio.file.Path;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Reference operations racing {@link Store#freeze()}: the object ends immortal or free, never
 * mortal in a frozen store, and the frozen region counts it live exactly when it is immortal.
 * Freeze is once per store, so each state has a store of its own: one object in a one-page
 * heap; the arbiter closes the store and deletes the file.
 *
 * <p>Results: what the object is after the freeze (1 immortal, 0 free, 2 mortal); the frozen
 * store's live objects ({@link dev.permafrost.store.StoreStats#liveObjects()}).
 */
public final class FreezeTest {
    private static final long CAPACITY_BYTES = 1L << 20;
    static final int IMMORTAL = 1;
    static final int FREE = 0;
    static final int MORTAL = 2;

    private FreezeTest() {
    }

    /** One store and one object of it, count 1. */
    abstract static class OneObjectStore {
        final Path path = StressFiles.newPath("freeze");
        final Store store = Store.create(path, CAPACITY_BYTES);
        final long object = store.allocate(16);

        /** The arbiter: reads the object and the counts, then closes the store and deletes its file. */
        void check(II_Result r) {
            try {
                long count = store.refCount(object);
                r.r1 = count < 0 ? IMMORTAL : count == 0 ? FREE : MORTAL;
                r.r2 = store.isFrozen() ? (int) store.stats().liveObjects() : -1;
            } finally {
                store.close();
                StressFiles.delete(path);
            }
        }
    }

    /** A retain and a release of another reference (the state's stays) against the freeze. */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "immortal, and counted live: the freeze absorbed the racing steps, or came before or after them")
    @Outcome(id = "2, 1", expect = FORBIDDEN, desc = "mortal in a frozen store: a racing step undid the freeze")
    @Outcome(id = {"0, 0", "0, 1"}, expect = FORBIDDEN, desc = "freed: the racing release dropped a reference it did not own, or freed the object twice")
    @Outcome(expect = FORBIDDEN, desc = "any other: the count word or the frozen counts are wrong")
    @State
    public static class RetainReleaseAgainstFreeze extends OneObjectStore {
        /** Builds a state: a store with one object. */
        public RetainReleaseAgainstFreeze() {
        }

        /** Freezes the store. */
        @Actor
        public void freeze() {
            store.freeze();
        }

        /** Takes a reference and drops it again. */
        @Actor
        public void retainRelease() {
            store.retain(object);
            store.release(object);
        }

        /**
         * Reads the object and the counts, then closes the store and deletes its file.
         *
         * @param r the object's state and the live objects
         */
        @Arbiter
        public void arbiter(II_Result r) {
            check(r);
        }
    }

    /** The last release against the freeze. */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the freeze first: immortal and live; the release then wrote nothing")
    @Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "the release first: freed, and left a hole in the frozen region that is not counted")
    @Outcome(id = "2, 1", expect = FORBIDDEN, desc = "mortal in a frozen store")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "freed, yet counted live in the frozen region: a dead object frozen")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "immortal, yet not counted: the walk and the count disagree")
    @Outcome(expect = FORBIDDEN, desc = "any other: the count word or the frozen counts are wrong")
    @State
    public static class LastReleaseAgainstFreeze extends OneObjectStore {
        /** Builds a state: a store with one object. */
        public LastReleaseAgainstFreeze() {
        }

        /** Freezes the store. */
        @Actor
        public void freeze() {
            store.freeze();
        }

        /** Drops the only reference. */
        @Actor
        public void release() {
            store.release(object);
        }

        /**
         * Reads the object and the counts, then closes the store and deletes its file.
         *
         * @param r the object's state and the live objects
         */
        @Arbiter
        public void arbiter(II_Result r) {
            check(r);
        }
    }
}
