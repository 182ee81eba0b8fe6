package dev.permafrost.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.fleet.FleetMemory;
import dev.permafrost.fleet.Supervisor;
import dev.permafrost.fleet.WorkerHandle;
import dev.permafrost.fleet.WorkerMemory;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.memory.PageMap;
import dev.permafrost.memory.PageState;
import dev.permafrost.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's reason to exist, asserted from the kernel's accounting of real worker JVMs
 * ({@code /proc/PID/smaps} and {@code /proc/PID/pagemap}): workers that touch every object of a
 * frozen store copy nothing, also when it is a cache version they look every key up in; of a
 * mortal one, every page they touched.
 */
class FleetSharingTest {
    private static final int OBJECTS = 20_000;      // about 1.7 MiB: 400+ pages of records
    private static final int WORKERS = 2;

    @TempDir
    Path dir;

    @Test
    void frozenWorkersCopyZeroBytesAfterTouchingEveryObject() throws Exception {
        Path path = dir.resolve("frozen.pf");
        DemoData.Built built = build(path, true);
        try (Supervisor fleet = start(path, built)) {
            FleetMemory memory = awaitTouched(fleet, built);
            assertThat(memory.workers()).hasSize(WORKERS);
            for (WorkerMemory worker : memory.workers()) {
                PageMap pages = worker.pages();
                assertThat(worker.copiedBytes()).as("smaps Anonymous of worker %d", worker.index()).isZero();
                assertThat(pages.count(PageState.COPIED)).as("copied pages: %s", pages).isZero();
                // it did touch the store: every page of objects is resident, as the file's page
                assertThat((long) pages.count(PageState.FILE) * PageMap.PAGE_BYTES)
                        .isGreaterThanOrEqualTo(built.usedBytes() - StoreFormat.HEAP_START_OFFSET);
                assertThat(worker.mapping().rssBytes()).isGreaterThanOrEqualTo(built.usedBytes() - StoreFormat.HEAP_START_OFFSET);
            }
            assertThat(memory.copiedBytesTotal()).isZero();
            assertThat(memory.pssBytesTotal()).as("the fleet holds one copy").isLessThan(memory.rssBytesTotal() * 3 / 4);
        }
    }

    @Test
    void cacheWorkersHitEveryKeyAndCopyZeroBytes() throws Exception {
        Path cache = dir.resolve("cache");
        DemoData.BuiltCache published = DemoData.buildCache(cache, OBJECTS);
        DemoData.Built built = published.built();
        try (Supervisor fleet = Supervisor.builder(published.versionFile(), DemoWorker.class).workers(WORKERS).maxRestarts(0)
                .workerArgs(List.of("cache", cache.toString(), Integer.toString(OBJECTS))).start()) {
            List<String> hits = new java.util.ArrayList<>();
            FleetMemory memory = awaitTouched(fleet, built, hits);
            assertThat(hits).as("each worker's cache hits while touching").containsOnly(Integer.toString(OBJECTS)).hasSize(WORKERS);
            assertThat(memory.workers()).hasSize(WORKERS);
            for (WorkerMemory worker : memory.workers()) {
                assertThat(worker.copiedBytes()).as("smaps Anonymous of worker %d", worker.index()).isZero();
                assertThat(worker.pages().count(PageState.COPIED)).isZero();
                // the records' pages, at least, were read in place
                assertThat(worker.mapping().rssBytes()).isGreaterThanOrEqualTo((long) OBJECTS * DemoData.RECORD_BLOCK_BYTES / 2);
            }
            assertThat(memory.pssBytesTotal()).as("the fleet holds one copy").isLessThan(memory.rssBytesTotal() * 3 / 4);
        }
    }

    @Test
    void mortalWorkersCopyEveryPageTheyTouched() throws Exception {
        Path path = dir.resolve("mortal.pf");
        DemoData.Built built = build(path, false);
        // pages that hold a record's count, which every retain writes; the root's array is only read
        long rootArrayBytes = StoreFormat.alignToPage(StoreFormat.HEAP_START_OFFSET + 16 + 8L + 8L * OBJECTS);
        long recordBytes = built.usedBytes() - rootArrayBytes;
        try (Supervisor fleet = start(path, built)) {
            FleetMemory memory = awaitTouched(fleet, built);
            assertThat(memory.workers()).hasSize(WORKERS);
            for (WorkerMemory worker : memory.workers()) {
                assertThat(worker.copiedBytes()).as("smaps Anonymous of worker %d", worker.index())
                        .isBetween(recordBytes, built.usedBytes());
                assertThat(worker.pages().copiedBytes()).isEqualTo(worker.copiedBytes());
            }
            assertThat(memory.pssBytesTotal()).as("each worker holds its own copy")
                    .isGreaterThanOrEqualTo(WORKERS * recordBytes);
        }
    }

    private static DemoData.Built build(Path path, boolean freeze) {
        try (Store store = Store.create(path, DemoData.capacityBytes(OBJECTS))) {
            DemoData.Built built = DemoData.build(store, OBJECTS);
            if (freeze) {
                store.freeze();
            }
            return built;
        }
    }

    private static Supervisor start(Path path, DemoData.Built built) {
        return Supervisor.builder(path, DemoWorker.class).workers(WORKERS).maxRestarts(0)
                .start();
    }

    /** Waits until every worker has touched every object (and read what was written), then reads /proc. */
    private static FleetMemory awaitTouched(Supervisor fleet, DemoData.Built built) throws InterruptedException {
        List<String> hits = new java.util.ArrayList<>();
        FleetMemory memory = awaitTouched(fleet, built, hits);
        assertThat(hits).as("a plain store's workers report no cache hits").containsOnly("-");
        return memory;
    }

    private static FleetMemory awaitTouched(Supervisor fleet, DemoData.Built built, List<String> hits) throws InterruptedException {
        for (WorkerHandle worker : fleet.workers()) {
            Optional<String> message = worker.nextMessage(Duration.ofSeconds(60));
            assertThat(message).as("%s", worker).isPresent();
            String[] parts = message.orElseThrow().split(" ");
            assertThat(parts[0]).isEqualTo("touched");
            assertThat(Integer.parseInt(parts[2])).isEqualTo(built.objects());
            assertThat(Long.parseLong(parts[3])).isEqualTo(built.checksum());
            hits.add(parts[4]);
        }
        return fleet.memory();
    }
}
