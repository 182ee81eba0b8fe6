package dev.permafrost.cache;

import java.io.Writer;
import java.io.OutputStreamWriter;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writers and readers in JVMs of their own. */
class WorkerProcessTest {
    @TempDir
    Path dir;

    @Test
    void aWriterKilledAtAnyMomentLeavesCurrentNamingAWholeVersionAndTheNextWriterCleansUp() throws Exception {
        for (int round = 0; round < 3; round++) {
            Process writer = new ProcessBuilder(ChildJvms.javaCommand(PublishingWriterMain.class, dir.toString()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).startsWith("published");
                Thread.sleep(ThreadLocalRandom.current().nextInt(10, 300)); // somewhere in a build or a publish
            } finally {
                writer.destroyForcibly(); // SIGKILL: no finally, no close, no shutdown hook
                assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).open(dir)) {
                String expected = "v" + cache.version();
                assertThat(cache.estimatedSize()).isEqualTo(PublishingWriterMain.KEYS);
                for (int i = 0; i < PublishingWriterMain.KEYS; i++) {
                    assertThat(cache.getIfPresent("key-" + i)).isEqualTo(expected);
                }
            }
        }
        try (CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string())) {
            writer.put("k", "v");
            writer.publish();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("CURRENT")))
                    .as("the newest two versions, no stray file of a killed writer").hasSize(2)
                    .allMatch(n -> n.startsWith("version-"));
        }
    }

    @Test
    void aWorkerReadingEveryFrozenEntryInPlaceCopiesNothing() throws Exception {
        int keys = 20_000;
        try (CacheWriter<String, byte[]> writer = SharedCache.writer(dir, Codecs.string(), Codecs.bytes())) {
            byte[] value = new byte[100];
            for (int i = 0; i < keys; i++) {
                value[0] = (byte) i;
                writer.put(PerEntryMemoryTest.key(i), value);
            }
            writer.publish();
        }
        Process worker = new ProcessBuilder(ChildJvms.javaCommand(ReadingWorkerMain.class, dir.toString(), Integer.toString(keys)))
                .redirectErrorStream(true).start();
        try {
            String output = new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.exitValue()).as(output).isZero();
            assertThat(output).contains("hits " + keys + " ").contains(" copied 0 ");
            long rss = Long.parseLong(output.substring(output.indexOf(" rss ") + 5).trim());
            assertThat(rss).as("it did read the file's pages").isGreaterThan(1L << 20);
        } finally {
            worker.destroyForcibly();
            worker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWorkerJvmSwapsToAVersionPublishedByAnotherProcessAndItsOldHandleStaysValidUntilClosed() throws Exception {
        publishOne("one");
        Process worker = new ProcessBuilder(ChildJvms.javaCommand(SwappingWorkerMain.class, dir.toString(), "k"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
             Writer toWorker = new OutputStreamWriter(worker.getOutputStream(), StandardCharsets.UTF_8)) {
            assertThat(out.readLine()).isEqualTo("holding version 1 value one");
            publishOne("two");
            assertThat(out.readLine()).isEqualTo("swapped to version 2 value two held one");
            publishOne("three");
            assertThat(dir.resolve(CacheDirectory.versionName(1))).as("the held version stays while a process has it open")
                    .exists();
            toWorker.write("close\n");
            toWorker.flush();
            assertThat(out.readLine()).isIn("closed value-after-swap two", "closed value-after-swap three");
            publishOne("four");
            assertThat(dir.resolve(CacheDirectory.versionName(1))).as("no process has it open now: deleted").doesNotExist();
            assertThat(dir.resolve(CacheDirectory.versionName(4))).exists();
            toWorker.write("exit\n");
            toWorker.flush();
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.exitValue()).isZero();
        } finally {
            worker.destroyForcibly();
            worker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void publishOne(String value) {
        try (CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string())) {
            writer.put("k", value);
            writer.publish();
        }
    }
}
