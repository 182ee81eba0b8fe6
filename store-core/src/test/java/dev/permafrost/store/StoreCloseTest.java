package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.permafrost.error.ReferenceCountException;
import dev.permafrost.error.StoreClosedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closing a store while other threads still call {@code retain} and {@code release}, and what
 * a closed store leaves behind in the address space.
 *
 * <p>The reference-count hot path reads count words by raw address, not through the store's
 * arena segment ({@code RefCounts}); these tests prove that a close racing it ends every
 * thread with a {@link StoreClosedException} (never a crash, never another exception), that
 * the file is released at close, and that the address range goes once nothing can reach the
 * store.
 */
class StoreCloseTest {
    private static final long CAPACITY_BYTES = 1 << 20;
    private static final int ROUNDS = 20;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "frozen = {0}")
    @ValueSource(booleans = {true, false})
    void aCloseRacingRetainAndReleaseEndsEveryThreadWithStoreClosed(boolean frozen) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Path path = dir.resolve("s" + round + ".pf");
            long[] objects = new long[64];
            Store store;
            if (frozen) {
                try (Store building = Store.create(path, CAPACITY_BYTES)) {
                    for (int i = 0; i < objects.length; i++) {
                        objects[i] = building.allocate(16);
                    }
                    building.freeze();
                }
                store = Store.open(path, OpenMode.COPY_ON_WRITE);
            } else {
                store = Store.create(path, CAPACITY_BYTES);
                for (int i = 0; i < objects.length; i++) {
                    objects[i] = store.allocate(16);
                }
            }
            List<Thread> threads = new ArrayList<>();
            List<AtomicReference<Throwable>> endings = new ArrayList<>();
            CountDownLatch running = new CountDownLatch(2);
            for (int t = 0; t < 2; t++) {
                AtomicReference<Throwable> ending = new AtomicReference<>();
                endings.add(ending);
                Store shared = store;
                Thread thread = Thread.ofPlatform().name("hammer-" + t).start(() -> {
                    running.countDown();
                    try {
                        for (long i = 0; ; i++) {
                            long object = objects[(int) (i & (objects.length - 1))];
                            shared.retain(object);
                            shared.release(object);
                        }
                    } catch (Throwable e) {
                        ending.set(e);
                    }
                });
                threads.add(thread);
            }
            running.await();
            Thread.sleep(round % 5); // close at a different point of the loop each round
            store.close();
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(10));
                assertThat(thread.isAlive()).as(thread.getName() + " still running after the close").isFalse();
            }
            for (AtomicReference<Throwable> ending : endings) {
                assertThat(ending.get()).as("how a thread ended, round " + round).isExactlyInstanceOf(StoreClosedException.class);
                assertThat(ending.get().getMessage()).contains(path.toString());
            }
            try (Store reopened = Store.open(path, frozen ? OpenMode.COPY_ON_WRITE : OpenMode.OWNER)) {
                assertThat(reopened.refCount(objects[0])).isNotZero(); // the file is intact
            }
        }
    }

    @Test
    void closeReleasesTheFileAtOnceAndTheAddressRangeWhenTheStoreIsUnreachable() throws Exception {
        long[] range = createUseAndClose(dir.resolve("s.pf")); // no reference to the store is left in this frame
        String lineStart = Long.toHexString(range[0]) + "-" + Long.toHexString(range[0] + range[1]) + " ";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (mappingAt(range[0]).filter(line -> line.startsWith(lineStart)).isPresent()) {
            assertThat(System.nanoTime()).as("the range " + lineStart + "is still mapped").isLessThan(deadline);
            System.gc();
            Thread.sleep(20);
        }
    }

    /** Creates a store, closes it, checks the file left its range at once; returns the range's address and length. */
    private static long[] createUseAndClose(Path path) throws IOException {
        Store store = Store.create(path, CAPACITY_BYTES);
        long object = store.allocate(16);
        long address = store.mappingAddress();
        assertThat(mappingAt(address)).hasValueSatisfying(line -> assertThat(line).contains(path.getFileName().toString()));
        store.close();
        // zero pages in the file's place, until the store is unreachable
        assertThat(mappingAt(address)).hasValueSatisfying(line -> assertThat(line).doesNotContain(path.getFileName().toString()));
        assertThat(catchThrowable(() -> store.retain(object))).isExactlyInstanceOf(StoreClosedException.class);
        return new long[] {address, store.mappedBytes()};
    }

    @Test
    void anOffsetOutsideTheMappingIsAReferenceCountErrorThatReadsNothing() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            long object = store.allocate(16);
            for (long outside : new long[] {store.mappedBytes(), store.mappedBytes() - 4, -16, Long.MIN_VALUE, Long.MAX_VALUE}) {
                for (Runnable operation : List.<Runnable>of(() -> store.retain(outside), () -> store.release(outside),
                        () -> store.tryRetain(outside))) {
                    Throwable thrown = catchThrowable(operation::run);
                    assertThat(thrown).as("offset " + outside).isExactlyInstanceOf(ReferenceCountException.class);
                    assertThat(((ReferenceCountException) thrown).offset()).isEqualTo(outside);
                    assertThat(thrown.getMessage()).contains("outside the mapping", path.toString());
                }
            }
            assertThat(store.refCount(object)).isEqualTo(1);
        }
    }

    /** The line of {@code /proc/self/maps} whose range starts at the address, if any. */
    private static Optional<String> mappingAt(long address) throws IOException {
        String start = Long.toHexString(address) + "-";
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(line -> line.startsWith(start)).findFirst();
    }
}
