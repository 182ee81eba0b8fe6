package dev.permafrost.jmh.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaTest {
    @TempDir
    Path directory;

    @Test
    void jmhFailuresBecomeOneErrorPerBenchmark() {
        List<String> log = List.of(
                "# Benchmark: dev.permafrost.jmh.cache.CacheBenchmark.chronicleMapGetHit",
                "# Fork: 1 of 1",
                "<failure>",
                "",
                "java.lang.IllegalAccessError: class net.openhft.chronicle.core.Jvm cannot access sun.nio.ch",
                "\tat net.openhft...",
                "<failure>",
                "",
                "again",
                "# Benchmark: dev.permafrost.jmh.cache.CacheBenchmark.lmdbGetHit",
                "Iteration   1: 42 ns/op");
        assertThat(Meta.jmhErrors(log, "cache")).containsExactly(new Meta.BenchError(
                "dev.permafrost.jmh.cache.CacheBenchmark.chronicleMapGetHit",
                "java.lang.IllegalAccessError: class net.openhft.chronicle.core.Jvm cannot access sun.nio.ch"));
        assertThat(Meta.jmhErrors(List.of("No matching benchmarks. Miss-spelled regexp?"), "alloc"))
                .singleElement().extracting(Meta.BenchError::message).asString()
                .contains("no benchmark in package dev.permafrost.jmh.alloc");
    }

    @Test
    void aWrittenMetaFileReadsBack() throws IOException {
        Meta meta = new Meta("trace", true, "scripts/bench --quick trace", "2026-01-02T03:04:05Z", 31, 1, 2, "Xeon",
                "Linux 6.1", 1L << 34, "Temurin 25", "1.0 0.5 0.2", "2.0 1.0 0.5",
                List.of(new Meta.BenchError("trace", "no traces")));
        Path file = directory.resolve("quick/trace.meta.json");
        meta.write(file);
        assertThat(Meta.read(file)).isEqualTo(meta);
        assertThat(meta.machine()).isEqualTo("2 CPUs (Xeon), 16 GiB RAM, Linux 6.1");
        assertThat(Meta.read(directory.resolve("none.meta.json"))).isNull();
        Path bad = Files.writeString(directory.resolve("bad.meta.json"), "[]");
        assertThatThrownBy(() -> Meta.read(bad)).isInstanceOf(BadResultsException.class).hasMessageContaining("bad.meta.json");
    }
}
