package dev.permafrost.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.store.OpenMode;
import dev.permafrost.store.Store;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 2's proof, from the kernel's own accounting of this process ({@code /proc/self}): a
 * frozen store opened copy-on-write is read, retained and released without copying a page;
 * an unfrozen one opened the same way copies every page whose counts it touched.
 */
class CopyOnWriteAccountingTest {
    private static final int OBJECTS = 4000;
    private static final int PAYLOAD_BYTES = 200;   // ~4000 * 216 B: about 210 pages
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void retainingReleasingAndReadingEveryFrozenObjectCopiesZeroPages() {
        Path path = dir.resolve("frozen.pf");
        long[] objects = build(path, true);
        try (Store store = Store.open(path, OpenMode.COPY_ON_WRITE)) {
            long fileBytes = store.frozenBoundaryOffset();
            long sum = touchEveryObject(store, objects);
            assertThat(sum).isEqualTo(expectedSum());

            MappingMemory mapping = ProcessMemory.ofFile(SELF, path);
            PageMap pages = store.pageMap(fileBytes);
            assertThat(mapping.copiedBytes()).as("Anonymous of the file mapping").isZero();
            assertThat(pages.count(PageState.COPIED)).as("copied pages: %s", pages).isZero();
            // the test could fail: the pages were really touched, and are the file's own
            BitSet touched = touchedPages(objects);
            for (int page = touched.nextSetBit(0); page >= 0; page = touched.nextSetBit(page + 1)) {
                assertThat(pages.state(page)).as("page %d", page).isEqualTo(PageState.FILE);
            }
            assertThat(mapping.rssBytes()).isGreaterThanOrEqualTo((long) touched.cardinality() * PageMap.PAGE_BYTES);
            assertThat(store.mappingMemory().copiedBytes()).isZero();
        }
    }

    @Test
    void theSameOnAnUnfrozenStoreCopiesEveryPageItTouched() {
        Path path = dir.resolve("mortal.pf");
        long[] objects = build(path, false);
        try (Store store = Store.open(path, OpenMode.COPY_ON_WRITE)) {
            long sum = touchEveryObject(store, objects);
            assertThat(sum).isEqualTo(expectedSum());

            BitSet touched = touchedPages(objects);
            PageMap pages = store.pageMap(store.mappedBytes());
            for (int page = touched.nextSetBit(0); page >= 0; page = touched.nextSetBit(page + 1)) {
                assertThat(pages.state(page)).as("page %d", page).isEqualTo(PageState.COPIED);
            }
            assertThat(pages.count(PageState.COPIED)).as("%s", pages).isEqualTo(touched.cardinality());
            assertThat(ProcessMemory.ofFile(SELF, path).copiedBytes())
                    .isEqualTo((long) touched.cardinality() * PageMap.PAGE_BYTES);
        }
    }

    /** Builds OBJECTS objects whose payload starts with their index; freezes or just closes. */
    private static long[] build(Path path, boolean freeze) {
        long[] objects = new long[OBJECTS];
        try (Store store = Store.create(path, 8L << 20)) {
            for (int i = 0; i < OBJECTS; i++) {
                objects[i] = store.allocate(PAYLOAD_BYTES);
                store.payload(objects[i]).set(ValueLayout.JAVA_INT, 0, i);
            }
            if (freeze) {
                store.freeze();
            }
        }
        return objects;
    }

    private static long touchEveryObject(Store store, long[] objects) {
        long sum = 0;
        for (long object : objects) {
            store.retain(object);
            MemorySegment payload = store.payload(object);
            sum += payload.get(ValueLayout.JAVA_INT, 0);
            store.release(object);
        }
        return sum;
    }

    private static long expectedSum() {
        return (long) OBJECTS * (OBJECTS - 1) / 2;
    }

    /** Pages holding an object's reference-count word: the ones a mortal retain writes. */
    private static BitSet touchedPages(long[] objects) {
        BitSet pages = new BitSet();
        for (long object : objects) {
            pages.set((int) (object / PageMap.PAGE_BYTES));
        }
        return pages;
    }
}
