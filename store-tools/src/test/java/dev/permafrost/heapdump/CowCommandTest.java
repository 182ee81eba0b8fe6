package dev.permafrost.heapdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.layout.TypeIds;
import dev.permafrost.store.Store;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cow} and {@code workers} on a real worker JVM that copied known objects. */
class CowCommandTest {
    static final int BLOB = TypeIds.BYTE_ARRAY;
    static final int POINT = TypeIds.LONG_ARRAY;

    @TempDir
    Path dir;

    Path store;
    final List<Long> blobs = new ArrayList<>();
    final List<Long> points = new ArrayList<>();
    Process worker;

    @BeforeEach
    void writeStore() {
        store = dir.resolve("cow.pf");
        try (Store s = Store.create(store, 8L << 20)) {
            for (int i = 0; i < 40; i++) {
                blobs.add(StoreFixtures.allocate(s, BLOB, 6000));   // 6016-byte blocks: each payload start on its own page
            }
            for (int i = 0; i < 2000; i++) {
                points.add(StoreFixtures.allocate(s, POINT, 16));   // long[2]: 32-byte blocks, 128 a page
            }
        }
    }

    @AfterEach
    void stopWorker() throws InterruptedException {
        if (worker != null) {
            worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void cowAttributesCopiedPagesToTheObjectsWhoseWritesCopiedThem() throws Exception {
        long[] written = {blobs.get(3), blobs.get(17), blobs.get(30)};
        long retained = points.get(1000);
        long same = points.get(1500);
        long pid = startWorker("payload:" + written[0], "payload:" + written[1], "payload:" + written[2],
                "retain:" + retained, "same:" + same);

        HeapDumpTest.Run run = HeapDumpTest.run("cow", "--pid", Long.toString(pid), store.toString(), "--json",
                "--png", dir.resolve("map.png").toString(), "--svg", dir.resolve("map.svg").toString());
        assertThat(run.code()).as(run.err()).isZero();
        String json = run.out();
        Set<Long> expectedPages = new LinkedHashSet<>();
        for (long w : written) {
            expectedPages.add((w + 16) / 4096);
        }
        expectedPages.add(retained / 4096);
        expectedPages.add(same / 4096);
        assertThat(json).startsWith("{\"command\":\"cow\"");
        assertThat(json).contains("\"pages\":{\"total\":" + (Files.size(store) / 4096) + ",");
        assertThat(json).contains("\"copied\":" + expectedPages.size() + "}");
        assertThat(json).contains("\"method\":\"memory\"");
        assertThat(json).contains("\"pages_by_method\":{\"memory\":4,\"headers\":1}");
        assertThat(json).contains("{\"type\":\"byte[]\",\"copied_pages\":3,\"objects\":3}");
        assertThat(json).contains("{\"type\":\"long[]\",\"copied_pages\":2,");
        for (long w : written) {
            assertThat(json).contains("{\"offset\":" + w + ",\"type\":\"byte[]\",\"copied_pages\":1,\"changed_bytes\":8,"
                    + "\"count_changed\":false,\"payload_changed\":true");
        }
        assertThat(json).contains("{\"offset\":" + retained + ",\"type\":\"long[]\",\"copied_pages\":1,\"changed_bytes\":8,"
                + "\"count_changed\":true,\"payload_changed\":false");
        assertThat(Files.size(dir.resolve("map.png"))).isPositive();
        assertThat(Files.readString(dir.resolve("map.svg"))).startsWith("<svg").contains("copied: byte[]");

        HeapDumpTest.Run text = HeapDumpTest.run("cow", "--pid", Long.toString(pid));   // the file found from the maps
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("copied").contains(Long.toHexString(written[0])).contains("payload")
                .contains("count word");

        HeapDumpTest.Run headers = HeapDumpTest.run("cow", "--pid", Long.toString(pid), store.toString(), "--json", "--no-memory");
        assertThat(headers.code()).as(headers.err()).isZero();
        assertThat(headers.out()).contains("\"method\":\"headers\"").contains("\"pages_by_method\":{\"memory\":0,\"headers\":5}");
        assertThat(headers.out()).contains("{\"type\":\"byte[]\",\"copied_pages\":3,\"objects\":3}");
    }

    @Test
    void workersListsEveryProcessMappingTheStore() throws Exception {
        long pid = startWorker("payload:" + blobs.get(0));
        HeapDumpTest.Run run = HeapDumpTest.run("workers", store.toString(), "--json");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("{\"command\":\"workers\"").contains("{\"pid\":" + pid + ",")
                .contains("\"copied_bytes\":4096").contains("\"fleet\":{\"processes\":1,");
        HeapDumpTest.Run text = HeapDumpTest.run("workers", store.toString());
        assertThat(text.out()).contains(Long.toString(pid)).contains("one private copy each");
    }

    @Test
    void cowOfAProcessThatDoesNotMapTheStoreIsOneLineAndExitTwo() {
        HeapDumpTest.Run run = HeapDumpTest.run("cow", "--pid", Long.toString(ProcessHandle.current().pid()), store.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("does not map");
    }

    @Test
    void cowOfAProcessThatDoesNotExistIsOneLineAndExitTwo() {
        HeapDumpTest.Run run = HeapDumpTest.run("cow", "--pid", "999999999", store.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("999999999");
    }

    /** Starts a worker JVM and waits until it has written and printed READY; returns its pid. */
    long startWorker(String... writes) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-cp", classPath(), CowWorkerMain.class.getName(),
                store.toString()));
        command.addAll(List.of(writes));
        worker = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("worker output").startsWith("READY ");
        return worker.pid();
    }

    /** The test JVM's module path and class path, flattened, plus the test classes. */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                entries.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        for (String e : List.copyOf(entries)) {
            if (e.endsWith(File.separator + "classes")) {
                Path tests = Path.of(e).resolveSibling("test-classes");
                if (Files.isDirectory(tests)) {
                    entries.add(tests.toString());
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
