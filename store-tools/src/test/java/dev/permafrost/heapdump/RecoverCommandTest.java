package dev.permafrost.heapdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.store.OpenMode;
import dev.permafrost.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code heap-dump recover}: regression for "a store whose owner died can never be opened again, and nothing repairs it". */
class RecoverCommandTest {
    @TempDir
    Path dir;

    /** A store with the dirty mark of an owner and no lock holder: a copy taken while the owner has it open. */
    private Path orphan() throws Exception {
        Path path = dir.resolve("s.pf");
        Path orphan = dir.resolve("orphan.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            store.allocate(100);
            store.commit();
            store.allocate(100); // after the commit: dropped
            Files.copy(path, orphan);
        }
        return orphan;
    }

    @Test
    void recoverPrintsOneLineAndTheStoreOpensAfterwards() throws Exception {
        Path orphan = orphan();
        HeapDumpTest.Run run = HeapDumpTest.run("recover", orphan.toString());
        assertThat(run.code()).as(run.err()).isEqualTo(HeapDump.OK);
        assertThat(run.out().lines()).hasSize(1);
        assertThat(run.out()).contains("recovered to commit generation").contains("1 objects kept")
                .contains("objects written after the commit dropped");
        try (Store store = Store.open(orphan, OpenMode.READ_ONLY)) {
            assertThat(store.stats().liveObjects()).isEqualTo(1);
        }
        HeapDumpTest.Run again = HeapDumpTest.run("recover", orphan.toString());
        assertThat(again.code()).isEqualTo(HeapDump.OK);
        assertThat(again.out()).contains("nothing to recover");
        assertThat(HeapDumpTest.run("verify", orphan.toString()).code()).isEqualTo(HeapDump.OK);
    }

    @Test
    void aDeadOwnersStoreTruncatedToMidHeapIsRefusedInOneLineAndLeftAsItWas() throws Exception {
        Path orphan = dir.resolve("orphan.pf");
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            for (int i = 0; i < 100; i++) {
                store.allocate(1000);
            }
            store.commit();
            Files.copy(dir.resolve("s.pf"), orphan);
        }
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(orphan.toFile(), "rw")) {
            file.setLength(16 * 4096); // mid-heap: the fixed pages stay
        }
        byte[] before = Files.readAllBytes(orphan);
        for (String command : new String[] {"recover", "verify", "info", "histo"}) {
            HeapDumpTest.Run run = HeapDumpTest.run(command, orphan.toString());
            assertThat(run.code()).as(command).isEqualTo(HeapDump.BAD_INPUT);
            assertThat(run.out()).isEmpty();
            assertThat(run.err().lines()).as(command).hasSize(1);
            assertThat(run.err()).contains(orphan.toString()).contains("truncated").doesNotContain("\tat ");
        }
        assertThat(Files.readAllBytes(orphan)).isEqualTo(before);
    }

    @Test
    void aBadFileIsExitTwoWithOneLineAndNoStackTrace() throws Exception {
        Path junk = dir.resolve("junk");
        Files.writeString(junk, "not a store");
        HeapDumpTest.Run run = HeapDumpTest.run("recover", junk.toString());
        assertThat(run.code()).isEqualTo(HeapDump.BAD_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).contains("not a Permafrost store").doesNotContain("\tat ");
    }
}
