package dev.permafrost.jmh.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.jmh.report.Result;
import dev.permafrost.jmh.report.ResultFile;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceSuiteTest {
    @TempDir
    Path directory;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return TraceSuite.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Keys 0..n-1, twice: at a capacity of at least n every cache hits the second round (50%). */
    private Path trace(String name, int n) throws IOException {
        Path file = Files.createDirectories(directory.resolve("traces/sub")).resolve(name);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            for (int round = 0; round < 2; round++) {
                for (int key = 0; key < n; key++) {
                    out.writeInt(key);
                }
            }
        }
        return file;
    }

    @Test
    void everyTraceIsReplayedAtItsCapacitiesIntoEveryCacheAsJmhJson() throws IOException {
        trace("web07.trace", 400);
        Files.writeString(directory.resolve("traces/README.md"), "not a trace");
        Path out = directory.resolve("results/trace.json");
        assertThat(run("--out", out.toString(), "--traces", directory.resolve("traces").toString())).isZero();

        List<Result> results = ResultFile.read(out, getClass().getClassLoader());
        assertThat(results).hasSize(9); // capacities 500, 2,000, 8,000 × three caches
        assertThat(results).extracting(Result::subject).containsOnly("Permafrost", "Caffeine", "LRU");
        assertThat(results).extracting(r -> r.params().get("capacity")).containsOnly("500", "2000", "8000");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.simpleClass()).isEqualTo("TraceSuite");
            assertThat(r.method()).isEqualTo("hitRatio");
            assertThat(r.params()).containsEntry("trace", "web07");
            assertThat(r.unit()).isEqualTo("ratio");
            assertThat(r.higherIsBetter()).isTrue();
            assertThat(r.operation()).isEqualTo("hit ratio");
            assertThat(r.median()).isEqualTo(0.5); // 400 keys fit: the second round hits
        });
    }

    @Test
    void smokeReplaysThePrefixOfEachTraceAtItsSmallestCapacity() throws IOException {
        trace("orm-busy.trace", 30_000);
        Path out = directory.resolve("smoke.json");
        assertThat(run("--out", out.toString(), "--traces", directory.resolve("traces").toString(), "--smoke")).isZero();
        List<Result> results = ResultFile.read(out, getClass().getClassLoader());
        assertThat(results).hasSize(3).allSatisfy(r -> assertThat(r.params()).containsEntry("capacity", "5000"));
        // the first 20,000 accesses are all distinct keys: no hit
        assertThat(results).allSatisfy(r -> assertThat(r.median()).isZero());
    }

    @Test
    void noTracesOrNoOutIsOneLineAndStatusTwo() {
        assertThat(run("--out", directory.resolve("x.json").toString(), "--traces", directory.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no *.trace or *.trace.xz file in").doesNotContain("Exception");
        assertThat(run("--traces", directory.toString())).isEqualTo(2);
        assertThat(run("--out")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(3);
    }
}
