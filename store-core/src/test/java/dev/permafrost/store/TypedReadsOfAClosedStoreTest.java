package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.permafrost.error.StoreClosedException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated decoder reads fixed fields by address (checked once per object, not per
 * read): after a close, and during one, it must throw, never return a record made of the
 * zero pages a closed store's range reads as.
 */
class TypedReadsOfAClosedStoreTest {
    record Row(int id, long big, double score, String name, int[] numbers, String tail) {
    }

    private static final Row ROW = new Row(7, 1L << 40, 2.5, "Ursula K. Le Guin", new int[] {1, 2, 3}, "ü");

    @TempDir
    Path dir;

    @Test
    void aDecodeRacingACloseThrowsAndNeverReturnsZeros() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path path = dir.resolve("s" + round + ".pf");
            long row;
            try (Store building = Store.create(path, 1 << 20)) {
                row = building.types().register(Row.class).write(ROW).offset();
                building.freeze();
            }
            Store store = Store.open(path, OpenMode.COPY_ON_WRITE);
            RecordType<Row> rows = store.types().register(Row.class);
            AtomicReference<Throwable> ending = new AtomicReference<>();
            AtomicLong decoded = new AtomicLong();
            CountDownLatch started = new CountDownLatch(1);
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    for (;;) {
                        Row r = rows.read(row);
                        started.countDown();
                        if (r.id() != ROW.id() || r.big() != ROW.big() || r.score() != ROW.score() || !ROW.name().equals(r.name())
                                || r.numbers().length != 3 || !ROW.tail().equals(r.tail())) {
                            throw new AssertionError("a wrong record: " + r);
                        }
                        decoded.incrementAndGet();
                    }
                } catch (Throwable e) {
                    ending.set(e);
                    started.countDown();
                }
            });
            started.await();
            Thread.sleep(round % 4);
            store.close();
            reader.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(reader.isAlive()).isFalse();
            assertThat(ending.get()).as("round " + round + " after " + decoded.get() + " records").isNotInstanceOf(AssertionError.class)
                    .isInstanceOfAny(IllegalStateException.class, StoreClosedException.class); // the arena's, or the store's check
        }
    }

    @Test
    void aDecodeAfterCloseThrows() {
        Path path = dir.resolve("s.pf");
        Store store = Store.create(path, 1 << 20);
        RecordType<Row> rows = store.types().register(Row.class);
        var row = rows.write(ROW);
        assertThat(rows.read(row)).usingRecursiveComparison().isEqualTo(ROW);
        store.close();
        assertThat(catchThrowable(() -> rows.read(row))).isExactlyInstanceOf(StoreClosedException.class)
                .hasMessageContaining(path.toString());
    }
}
