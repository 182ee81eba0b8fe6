package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: the last commit was not a consistent snapshot. An owner that sets roots and
 * commits every 1,000 records, killed, left a store whose committed root table had been changed
 * in place after the commit. Here a real owner JVM ({@link CrashingBuilder}) is SIGKILLed at a
 * random moment after some commits; the store is then recovered and every root of the last
 * commit must resolve to an intact record, whose chain of references reads back. A handful of
 * kills by default; {@code -Dpermafrost.crash.kills=200} for more.
 */
class StoreCrashTest {
    private static final int KILLS = Integer.getInteger("permafrost.crash.kills", 3);

    @TempDir
    Path dir;

    @Test
    void everyRootOfTheLastCommitIsIntactAfterTheOwnerIsKilledAndTheStoreRecovered() throws Exception {
        Random random = new Random(Long.getLong("permafrost.crash.seed", System.nanoTime()));
        long checkedRecords = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Path path = dir.resolve("crash" + kill + ".pf");
            int commitsBeforeKill = 1 + random.nextInt(4);
            Process owner = new ProcessBuilder(DeadOwnerTest.javaCommand(CrashingBuilder.class, path.toString()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long committed = 0;
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
                for (int c = 0; c < commitsBeforeKill; c++) {
                    String line = out.readLine();
                    assertThat(line).as("the builder's output").startsWith(CrashingBuilder.COMMITTED);
                    committed = Long.parseLong(line.substring(CrashingBuilder.COMMITTED.length()));
                }
                Thread.sleep(random.nextInt(40)); // somewhere inside the next thousand records
                owner.destroyForcibly(); // SIGKILL
                assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                owner.destroyForcibly();
                owner.waitFor(30, TimeUnit.SECONDS);
            }
            RecoveryReport report = Store.recover(path);
            assertThat(report.recovered()).as(report.toString()).isTrue();
            checkedRecords += check(path, committed);
            Files.delete(path);
        }
        System.out.printf("StoreCrashTest: %d kills, 0 stores lost, %d committed roots checked%n", KILLS, checkedRecords);
    }

    /** Every root of the last commit resolves, and its record and the chain below it read back; returns the roots checked. */
    private static long check(Path path, long committedAtLeast) {
        try (Store store = Store.open(path, OpenMode.OWNER)) {
            RecordType<CrashingBuilder.Entry> entries = store.types().register(CrashingBuilder.Entry.class);
            long highest = -1;
            long roots = 0;
            for (String name : store.types().rootNames()) {
                Ref<CrashingBuilder.Entry> entry = store.types().root(name, entries).orElseThrow();
                CrashingBuilder.Entry read = entries.read(entry);
                assertThat(read.name()).isEqualTo(CrashingBuilder.nameOf(read.id()));
                highest = Math.max(highest, read.id());
                roots++;
            }
            assertThat(highest + 1).as("the last commit's newest root").isGreaterThanOrEqualTo(committedAtLeast - 10);
            // the chain from the newest root down to record 0, each link intact
            Ref<CrashingBuilder.Entry> at = store.types().root("r" + (highest - highest % 10), entries).orElseThrow();
            long expected = entries.read(at).id();
            while (at != null) {
                CrashingBuilder.Entry read = entries.read(at);
                assertThat(read.id()).isEqualTo(expected--);
                assertThat(read.name()).isEqualTo(CrashingBuilder.nameOf(read.id()));
                at = read.previous();
            }
            assertThat(expected).isEqualTo(-1);
            return roots;
        }
    }
}
