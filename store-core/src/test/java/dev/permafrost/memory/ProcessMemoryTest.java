package dev.permafrost.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.store.OpenMode;
import dev.permafrost.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the accounting finds a store's mapping, and the typed errors when it cannot. */
class ProcessMemoryTest {
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void aProcessThatDoesNotExistIsATypedError() {
        long pid = 1L << 30;   // above the kernel's largest pid (pid_max is at most 2^22)
        assertThatThrownBy(() -> ProcessMemory.ofFile(pid, dir.resolve("x.pf")))
                .isInstanceOf(NoSuchProcessException.class).hasMessageContaining("process " + pid)
                .hasMessageContaining("no such process");
        assertThatThrownBy(() -> ProcessMemory.pages(pid, 0, 4096)).isInstanceOf(NoSuchProcessException.class);
    }

    @Test
    void aProcessThatDoesNotMapTheFileIsATypedError() {
        Path unmapped = dir.resolve("never-mapped.pf");
        assertThatThrownBy(() -> ProcessMemory.ofFile(SELF, unmapped)).isInstanceOf(MappingNotFoundException.class)
                .hasMessageContaining("maps no file named").hasMessageContaining("never-mapped.pf");
        assertThatThrownBy(() -> ProcessMemory.ofRange(SELF, 4096, 4096)).isInstanceOf(MappingNotFoundException.class);
    }

    @Test
    void theMappingIsFoundThroughASymbolicLinkAndAfterTheFileIsDeleted() throws IOException {
        Path path = dir.resolve("s.pf");
        try (Store owner = Store.create(path, 1 << 20)) {
            owner.allocate(100);
            owner.freeze();
        }
        Path link = Files.createSymbolicLink(dir.resolve("link.pf"), path);
        try (Store store = Store.open(link, OpenMode.COPY_ON_WRITE)) {
            MappingMemory byLink = ProcessMemory.ofFile(SELF, link);
            assertThat(byLink.startAddress()).isEqualTo(store.mappingMemory().startAddress());
            assertThat(byLink.sizeBytes()).isEqualTo(store.frozenBoundaryOffset());
            Files.delete(link);
            Files.delete(path);
            MappingMemory deleted = ProcessMemory.ofFile(SELF, path);
            assertThat(deleted.pathname()).endsWith(" (deleted)");
            assertThat(deleted.startAddress()).isEqualTo(store.mappingMemory().startAddress());
            MappingMemory byRange = store.mappingMemory();
            assertThat(byRange.sizeBytes()).as("the private memory above the file is left out")
                    .isEqualTo(store.frozenBoundaryOffset());
        }
    }

    @Test
    void pagemapEntriesAreClassifiedByTheirBits() {
        assertThat(PageMap.classify(0)).isEqualTo(PageState.ABSENT);
        assertThat(PageMap.classify(PageMap.PRESENT_BIT | PageMap.FILE_BIT)).isEqualTo(PageState.FILE);
        assertThat(PageMap.classify(PageMap.PRESENT_BIT | PageMap.FILE_BIT | PageMap.EXCLUSIVE_BIT)).isEqualTo(PageState.FILE);
        assertThat(PageMap.classify(PageMap.PRESENT_BIT | PageMap.EXCLUSIVE_BIT)).isEqualTo(PageState.COPIED);
        assertThat(PageMap.classify(PageMap.SWAPPED_BIT)).isEqualTo(PageState.COPIED);
    }

    @Test
    void pagesOfAFileMappedTwiceLeaveOutTheMemoryBetweenItsMappings() {
        Path path = dir.resolve("twice.pf");
        try (Store owner = Store.create(path, 1 << 20)) {
            for (int i = 0; i < 64; i++) {
                owner.allocate(1000);
            }
            owner.freeze();
        }
        try (Store first = Store.open(path, OpenMode.COPY_ON_WRITE); Store second = Store.open(path, OpenMode.COPY_ON_WRITE)) {
            for (Store store : new Store[] {first, second}) {
                for (int i = 0; i < 64; i++) { // private objects above each mapping of the file: copies of nothing
                    store.payload(store.allocate(4000)).fill((byte) 1);
                }
                store.retain(dev.permafrost.layout.StoreFormat.HEAP_START_OFFSET); // a frozen object: a read
            }
            PageMap pages = ProcessMemory.pagesOfFile(SELF, path);
            assertThat(pages.count(PageState.COPIED)).as("%s", pages).isZero();
            assertThat(pages.count(PageState.FILE)).isPositive();
        }
    }
}
