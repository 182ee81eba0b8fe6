package dev.permafrost.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.permafrost.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

/**
 * DELIBERATELY BROKEN: {@link RetainReleaseTest.BothRetain} with a reference count kept the
 * way a broken implementation would keep it, by a plain read and a plain write (a
 * read-modify-write that is not atomic), in the first word of the object's payload. Two retains
 * at once then lose one, an outcome the test forbids: {@link JCStressHarnessTest} runs jcstress
 * on this test alone and expects it to fail. It lives in the test sources, so it is neither in
 * {@code target/jcstress.jar} nor in the run of {@code scripts/stress}.
 */
@JCStressTest
@Outcome(id = "3", expect = ACCEPTABLE, desc = "both retains counted: 1 + 2")
@Outcome(id = "2", expect = FORBIDDEN, desc = "a retain was lost: the broken count's read-modify-write is not atomic")
@Outcome(expect = FORBIDDEN, desc = "any other count")
@State
public class BrokenRetainRelease {
    /** A frozen, unlinked store's private memory, as {@code StressFiles.sharedHeap} makes, which is in the main classes: the run sees the test classes alone. */
    static final Store STORE = sharedHeap();

    private final long object = STORE.allocate(16);
    private final MemorySegment count = STORE.payload(object);

    /** Builds a state: an object whose broken count is 1. */
    public BrokenRetainRelease() {
        count.set(ValueLayout.JAVA_LONG, 0, 1);
    }

    /** Takes a reference, brokenly. */
    @Actor
    public void first() {
        brokenRetain();
    }

    /** Takes another, brokenly. */
    @Actor
    public void second() {
        brokenRetain();
    }

    /**
     * Reads the broken count and frees the object.
     *
     * @param r the broken count
     */
    @Arbiter
    public void check(J_Result r) {
        r.r1 = count.get(ValueLayout.JAVA_LONG, 0);
        STORE.release(object);
    }

    private static Store sharedHeap() {
        try {
            Path base = Path.of(System.getProperty("permafrost.stress.dir", System.getProperty("java.io.tmpdir")));
            Path path = Files.createTempFile(base, "broken-retain-release-", ".pf");
            Files.delete(path); // a store is created where no file is
            Store store = Store.create(path, 1L << 26);
            store.freeze();
            Files.delete(path); // the mapping lives on until the fork exits
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void brokenRetain() {
        long seen = count.get(ValueLayout.JAVA_LONG, 0);
        count.set(ValueLayout.JAVA_LONG, 0, seen + 1);
    }
}
