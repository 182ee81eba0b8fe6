package dev.permafrost.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.Store;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The last release of an object against a lookup's {@code tryRetain}: the lookup either takes
 * its reference before the count reaches zero, and the object lives on, or is refused, and the
 * object is freed, once. It never revives a freed object.
 *
 * <p>How a free is seen: the object (a {@code Parent}) references a {@code Child}, which the
 * state also holds. Freeing the parent releases the child, so the child's count, 2 while the
 * parent lives, says how many times the parent was freed: 1 for once, 0 for twice. The arbiter
 * reads only the child, which the state still holds (the parent's block may be another state's
 * object by then).
 *
 * <p>Results: whether {@code tryRetain} took a reference (1) or was refused (0); the child's count.
 */
@JCStressTest
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "tryRetain first: it took a reference, the release was not the last, the parent lives")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the release first: the parent was freed once, tryRetain refused it")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "tryRetain took a reference to a freed parent: revived after its free released the child")
@Outcome(id = "0, 2", expect = FORBIDDEN, desc = "tryRetain refused a parent that was never freed")
@Outcome(id = {"1, 0", "0, 0"}, expect = FORBIDDEN, desc = "the parent was freed twice: its child released twice")
@Outcome(expect = FORBIDDEN, desc = "any other: a count word was corrupted")
@State
public class LastReleaseAgainstTryRetainTest {
    /** The object being freed; its only field references the child. */
    public record Parent(Ref<Child> child) {
    }

    /** The witness of the parent's frees. */
    public record Child(long stamp) {
    }

    static final Store STORE = StressFiles.sharedHeap("last-release", Parent.class, Child.class);
    static final RecordType<Parent> PARENTS = STORE.types().register(Parent.class);
    static final RecordType<Child> CHILDREN = STORE.types().register(Child.class);
    private static final AtomicLong STAMPS = new AtomicLong();

    private final Ref<Child> child = CHILDREN.write(new Child(STAMPS.incrementAndGet())); // the state's reference
    private final Ref<Parent> parent = PARENTS.write(new Parent(child)); // count 1; retains the child: 2
    private boolean retained;

    /** Builds a state: a parent with count 1 whose child has count 2. */
    public LastReleaseAgainstTryRetainTest() {
    }

    /** Drops the parent's only reference: the last, unless tryRetain came first. */
    @Actor
    public void release() {
        STORE.release(parent);
    }

    /**
     * Looks the parent up as a shared structure's reader would.
     *
     * @param r r1: whether a reference was taken
     */
    @Actor
    public void tryRetain(II_Result r) {
        retained = STORE.tryRetain(parent);
        r.r1 = retained ? 1 : 0;
    }

    /**
     * Reads the child's count, then frees what is left (nothing after a forbidden outcome).
     *
     * @param r r2: the child's count
     */
    @Arbiter
    public void check(II_Result r) {
        long childCount = STORE.refCount(child);
        r.r2 = (int) childCount;
        if (retained && childCount == 2) {
            STORE.release(parent); // frees it: the child drops to 1
            STORE.release(child);
        } else if (!retained && childCount == 1) {
            STORE.release(child);
        }
    }
}
