package dev.permafrost.heapdump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * heap-dump on the store {@code scripts/demo --keep} builds, while the demo holds its frozen
 * workers alive ({@code --hold}): the demo's main class runs in a child JVM exactly as the
 * script runs it. The frozen run's store is a cache version, which the workers read through
 * {@code SharedCache}; {@code --keep FILE} links it at FILE.
 */
class DemoStoreTest {
    @TempDir
    Path dir;

    @Test
    void heapDumpReadsTheDemoStoreAndSeesThatFrozenWorkersCopiedNothing() throws Exception {
        Path store = dir.resolve("demo.pf");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "--enable-native-access=ALL-UNNAMED", "-cp", CowCommandTest.classPath(),
                "dev.permafrost.demo.DemoMain", "--objects", "5000", "--workers", "1", "--mode", "frozen",
                "--keep", store.toString(), "--hold"));
        Process demo = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            String ready = null;
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("READY")) {
                    ready = line;
                    break;
                }
            }
            assertThat(ready).as("the demo's READY line").isNotNull();
            long worker = Long.parseLong(ready.split("\\s+")[1]);

            HeapDumpTest.Run info = HeapDumpTest.run("info", store.toString(), "--json");
            assertThat(info.code()).as(info.err()).isZero();
            assertThat(info.out()).contains("\"frozen\":true").contains("\"cleanly_closed\":true");
            // the frozen run is a cache version: the records, the chunks of entries, the table, the chunk directory, the
            // header, the root table with its name, the type table and Customer's descriptor
            assertThat(HeapDumpTest.jsonLong(info.out(), "objects")).isGreaterThan(5005);
            assertThat(HeapDumpTest.jsonLong(info.out(), "mortal")).isZero();
            assertThat(info.out()).contains("\"caches\":[{\"root\":\"dev.permafrost.cache\"",
                    "\"value_codec\":\"record:dev.permafrost.demo.DemoData$Customer\"");
            assertThat(HeapDumpTest.jsonLong(info.out(), "entries")).isEqualTo(5000);

            HeapDumpTest.Run verify = HeapDumpTest.run("verify", store.toString(), "--json");
            assertThat(verify.code()).as(verify.out()).isZero();
            assertThat(HeapDumpTest.run("histo", store.toString()).code()).isZero();

            HeapDumpTest.Run cow = HeapDumpTest.run("cow", "--pid", Long.toString(worker), store.toString(), "--json");
            assertThat(cow.code()).as(cow.err()).isZero();
            assertThat(cow.out()).contains("\"copied\":0}").contains("\"by_type\":[]");
            assertThat(HeapDumpTest.jsonLong(cow.out(), "shared")).isPositive();

            HeapDumpTest.Run workers = HeapDumpTest.run("workers", store.toString(), "--json");
            assertThat(workers.out()).contains("{\"pid\":" + worker + ",").contains("\"copied_bytes\":0,");
        } finally {
            demo.getOutputStream().close();
            if (!demo.waitFor(20, TimeUnit.SECONDS)) {
                demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
