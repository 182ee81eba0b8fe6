package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.permafrost.error.StoreFullException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store on a file system that fills up: a 1 MiB tmpfs under a store of 64 MiB capacity.
 * Writing to a sparse page of a full tmpfs raises SIGBUS; the store must say "full" instead,
 * and stay usable. Needs root (to mount); skipped otherwise.
 */
class FullDiskTest {
    private static final long CAPACITY_BYTES = 64L << 20;
    private static final int OBJECT_BYTES = 4000; // a 4096-byte block

    @TempDir
    Path dir;
    private Path mount;
    private boolean mounted;

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    private static void fill(MemorySegment payload, long seed) {
        for (long i = 0; i + 8 <= payload.byteSize(); i += 8) {
            payload.set(ValueLayout.JAVA_LONG_UNALIGNED, i, seed * 1_000_003L + i);
        }
    }

    private static boolean holds(MemorySegment payload, long seed) {
        for (long i = 0; i + 8 <= payload.byteSize(); i += 8) {
            if (payload.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != seed * 1_000_003L + i) {
                return false;
            }
        }
        return true;
    }

    @BeforeEach
    void mountATinyTmpfs() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        mount = Files.createDirectory(dir.resolve("tiny-tmpfs"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()) == 0;
        assumeTrue(mounted, "mount -t tmpfs failed");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted && run("umount", mount.toString()) != 0) {
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    void aDiskWithLessRoomThanOneReservationChunkStillTakesObjects() {
        // regression: the allocator reserved 1 MiB ahead at least, so on this disk the first
        // allocation failed although almost all of the disk was free
        Path path = mount.resolve("store.pf");
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            long object = store.allocate(100);
            fill(store.payload(object), 7);
            assertThat(holds(store.payload(object), 7)).isTrue();
        }
    }

    @Test
    void aFullDiskIsAStoreFullExceptionAndTheStoreStaysUsable() {
        Path path = mount.resolve("store.pf");
        Map<Long, Long> objects = new LinkedHashMap<>(); // offset -> seed of its content
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            long large = store.allocate(200 * 1024); // page-aligned, with a gap carved before it
            fill(store.payload(large), -1);
            Throwable full = null;
            for (int i = 0; i < 1000 && full == null; i++) {
                try {
                    long object = store.allocate(OBJECT_BYTES);
                    fill(store.payload(object), i);
                    objects.put(object, (long) i);
                } catch (Throwable t) {
                    full = t;
                }
            }
            assertThat(full).as("allocating 4 MiB on a 1 MiB disk").isExactlyInstanceOf(StoreFullException.class);
            assertThat(full.getMessage()).contains(path.toString()).contains("disk");
            // reserving only whole 1 MiB chunks would have failed at once; the store fills the disk up
            assertThat(objects.size()).as("objects that fitted").isGreaterThan(150);
            assertThat(catchThrowable(() -> store.allocate(OBJECT_BYTES))).isExactlyInstanceOf(StoreFullException.class);
            assertThat(store.stats().liveObjects()).isEqualTo(objects.size() + 1);

            long freed = objects.keySet().stream().skip(objects.size() / 2).findFirst().orElseThrow();
            objects.remove(freed);
            store.release(freed);
            store.commit(); // a block freed after a commit is reused only after the next
            long again = store.allocate(OBJECT_BYTES);
            assertThat(again).as("the freed block, which needs no new disk space").isEqualTo(freed);
            fill(store.payload(again), 1_000_000);
            store.release(large); // 200 KiB back after the next commit: smaller objects are carved out of it
            store.commit();
            List<Long> small = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                long object = store.allocate(OBJECT_BYTES);
                fill(store.payload(object), 2_000_000 + i);
                small.add(object);
            }
            store.commit();
            objects.put(again, 1_000_000L);
            assertThat(holds(store.payload(again), 1_000_000)).isTrue();
            for (int i = 0; i < small.size(); i++) {
                assertThat(holds(store.payload(small.get(i)), 2_000_000 + i)).isTrue();
                store.release(small.get(i));
            }
        }
        try (Store store = Store.open(path, OpenMode.OWNER)) {
            assertThat(store.stats().liveObjects()).isEqualTo(objects.size());
            objects.forEach((object, seed) ->
                    assertThat(holds(store.payload(object), seed)).as("object at %x", object).isTrue());
            store.allocate(OBJECT_BYTES); // from the free lists
        }
        try (Store store = Store.open(path, OpenMode.READ_ONLY)) {
            assertThat(store.stats().liveObjects()).isEqualTo(objects.size() + 1);
        }
    }
    record Row(long id, String name) {
    }

    @Test
    void tablesThatGrowOnAFullDiskAreStoreFullAndCommitAndCloseStillWork() {
        Path path = mount.resolve("store.pf");
        List<String> roots = new ArrayList<>();
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            RecordType<Row> rows = store.types().register(Row.class);
            store.commit();
            Throwable full = null;
            for (int i = 0; full == null; i++) { // roots and their rows until the disk is full: the root table grows
                try {
                    store.types().adoptRoot("root " + i, rows.write(new Row(i, "row " + i + "x".repeat(3000))));
                    roots.add("root " + i);
                } catch (Throwable t) {
                    full = t;
                }
            }
            assertThat(full).isExactlyInstanceOf(StoreFullException.class);
            long spare = store.allocate(0);
            for (int size : new int[] {4000, 1000, 100, 0}) { // then every free block too
                while (catchThrowable(() -> store.allocate(size)) == null) {
                    // fills
                }
            }
            record Late(int x) {
            }
            assertThat(catchThrowable(() -> store.types().register(Late.class))).as("the type table grows")
                    .isExactlyInstanceOf(StoreFullException.class);
            assertThat(catchThrowable(() -> store.types().adoptRoot("one more", Ref.to(spare))))
                    .as("the root's name and the root table grow").isExactlyInstanceOf(StoreFullException.class);
            assertThat(store.refCount(spare)).as("still the caller's reference").isEqualTo(1);
            assertThat(store.types().rootNames()).containsExactlyInAnyOrderElementsOf(roots);
            store.commit(); // a commit on a full disk: its slot is a page the file already has
        } // and a close, which commits twice
        try (Store store = Store.open(path, OpenMode.READ_ONLY)) {
            RecordType<Row> rows = store.types().register(Row.class);
            assertThat(store.types().rootNames()).containsExactlyInAnyOrderElementsOf(roots);
            for (int i = 0; i < roots.size(); i++) {
                assertThat(rows.read(store.types().root("root " + i, rows).orElseThrow()).id()).isEqualTo(i);
            }
        }
    }

    @Test
    void createOnAFullDiskIsStoreFullAndLeavesNoFile() throws Exception {
        Path ballast = mount.resolve("ballast");
        try (java.io.OutputStream out = Files.newOutputStream(ballast)) {
            byte[] chunk = new byte[4096];
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException e) {
            // the disk is full
        }
        Path path = mount.resolve("store.pf");
        Throwable thrown = catchThrowable(() -> Store.create(path, CAPACITY_BYTES));
        assertThat(thrown).isExactlyInstanceOf(StoreFullException.class);
        assertThat(thrown.getMessage()).contains(path.toString());
        assertThat(Files.exists(path)).as("nothing left behind").isFalse();
    }
}
