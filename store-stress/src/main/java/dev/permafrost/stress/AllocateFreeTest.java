package dev.permafrost.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.permafrost.store.Store;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Concurrent allocation and free: no block is handed out twice. One actor frees an object and
 * allocates one of the same size class; the other allocates one. The heap is a frozen store's
 * private memory, where a freed block is reusable at once, so the freed block is what either
 * allocation may get. Each fills its object with a stamp of its own; the arbiter checks that the
 * two objects are distinct, live, and still hold their stamps (an overlap would tear one).
 *
 * <p>Results: 1 if both objects are distinct, live and intact, else 0; which allocation got the
 * freed block (0 neither, 1 the freeing actor's, 2 the other's); and 1 if the freed block was
 * handed to both.
 */
@JCStressTest
@Outcome(id = {"1, 0, 0", "1, 1, 0"}, expect = ACCEPTABLE, desc = "two distinct intact objects; the freed block went back to its freer, or to another state's allocation")
@Outcome(id = "1, 2, 0", expect = ACCEPTABLE_INTERESTING, desc = "two distinct intact objects; the other thread's allocation took the block just freed")
@Outcome(expect = FORBIDDEN, desc = "one block handed out twice, or an object overlapping another: a stamp torn or a count not 1")
@State
public class AllocateFreeTest {
    static final Store STORE = StressFiles.sharedHeap("allocate-free");
    private static final long PAYLOAD_BYTES = 48;
    private static final AtomicLong STAMPS = new AtomicLong();

    private final long freed = STORE.allocate(PAYLOAD_BYTES);
    private final long stamp = STAMPS.addAndGet(2);
    private long first;
    private long second;

    /** Builds a state: one object, to be freed. */
    public AllocateFreeTest() {
    }

    /** Frees the state's object, then allocates one of the same size and stamps it. */
    @Actor
    public void freeThenAllocate() {
        STORE.release(freed);
        first = STORE.allocate(PAYLOAD_BYTES);
        fill(first, stamp);
    }

    /** Allocates one object of the same size and stamps it. */
    @Actor
    public void allocate() {
        second = STORE.allocate(PAYLOAD_BYTES);
        fill(second, stamp + 1);
    }

    /**
     * Checks the two objects (which the state holds), then frees them.
     *
     * @param r whether both are intact; who got the freed block; whether both did
     */
    @Arbiter
    public void check(III_Result r) {
        boolean distinct = first != second;
        boolean intact = distinct && STORE.refCount(first) == 1 && STORE.refCount(second) == 1
                && holds(first, stamp) && holds(second, stamp + 1);
        r.r1 = intact ? 1 : 0;
        r.r2 = first == freed ? 1 : second == freed ? 2 : 0;
        r.r3 = first == freed && second == freed ? 1 : 0;
        if (intact) {
            STORE.release(first);
            STORE.release(second);
        }
    }

    private static void fill(long object, long stamp) {
        MemorySegment payload = STORE.payload(object);
        for (long at = 0; at < PAYLOAD_BYTES; at += Long.BYTES) {
            payload.set(ValueLayout.JAVA_LONG, at, stamp);
        }
    }

    private static boolean holds(long object, long stamp) {
        MemorySegment payload = STORE.payload(object);
        for (long at = 0; at < PAYLOAD_BYTES; at += Long.BYTES) {
            if (payload.get(ValueLayout.JAVA_LONG, at) != stamp) {
                return false;
            }
        }
        return true;
    }
}
