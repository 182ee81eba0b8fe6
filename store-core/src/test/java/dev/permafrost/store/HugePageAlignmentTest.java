package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.layout.ObjectHeaderDescriptor;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy-on-write mapping starts on a 2 MiB boundary, so that the kernel can map the page
 * cache's large folios of a frozen store with one page-table entry per 2 MiB (Linux reports
 * them as {@code FilePmdMapped} in {@code /proc/PID/smaps}); reading stays copy-free.
 */
class HugePageAlignmentTest {
    private static final long HUGE_PAGE = 2L << 20;

    @TempDir
    Path dir;

    @Test
    void aCopyOnWriteMappingStartsOnAHugePageAndCopiesNothingWhenRead() {
        for (int round = 0; round < 8; round++) { // several opens: the kernel's choice of address varies
            Path path = dir.resolve("s" + round + ".pf");
            long object;
            try (Store building = Store.create(path, 64L << 20)) {
                object = building.allocate(3 << 20);
                building.payload(object).fill((byte) round);
                building.freeze();
            }
            try (Store store = Store.open(path, OpenMode.COPY_ON_WRITE)) {
                long base = store.payload(object).address() - object - ObjectHeaderDescriptor.LENGTH;
                assertThat(base % HUGE_PAGE).as("the mapping's start, 0x%x", base).isZero();
                assertThat(store.payload(object).get(ValueLayout.JAVA_BYTE, (2 << 20) + 5))
                        .isEqualTo((byte) round);
                assertThat(store.mappingMemory().startAddress()).as("the file's mapping, by the kernel").isEqualTo(base);
                assertThat(store.mappingMemory().copiedBytes()).as("copied by reading").isZero();
            }
        }
    }
}
