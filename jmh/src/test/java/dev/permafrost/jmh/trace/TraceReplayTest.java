package dev.permafrost.jmh.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class TraceReplayTest {

    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return TraceReplay.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** 0..9 then 0..9 again: at capacity 10 every cache hits the second round, 50%. */
    private static void writeKeys(OutputStream stream) throws IOException {
        try (DataOutputStream data = new DataOutputStream(stream)) {
            for (int round = 0; round < 2; round++) {
                for (int key = 0; key < 10; key++) {
                    data.writeInt(key);
                }
            }
        }
    }

    @Test
    void jsonIsExactlyTheDocumentedLineForXzAndRawTraces() throws IOException {
        Path xz = directory.resolve("tiny.trace.xz");
        writeKeys(new XZOutputStream(Files.newOutputStream(xz), new LZMA2Options()));
        Path raw = directory.resolve("tiny.trace");
        writeKeys(Files.newOutputStream(raw));
        for (Path trace : new Path[] {xz, raw}) {
            out.reset();
            assertThat(run("--trace", trace.toString(), "--capacity", "10", "--json")).isZero();
            assertThat(out()).isEqualTo("{\"trace\":\"" + trace.getFileName() + "\",\"capacity\":10,\"accesses\":20,"
                    + "\"hit_ratio\":{\"permafrost\":0.500000,\"caffeine\":0.500000,\"lru\":0.500000}}" + System.lineSeparator());
        }
        assertThat(err()).isEmpty();
    }

    /**
     * The overlay adds, hits and evicts through S3-FIFO exactly as the policy driven directly
     * does: on a skewed random trace, the same hit ratio to the last access.
     */
    @Test
    void theRealOverlayHitsExactlyAsOftenAsItsPolicyDrivenDirectly() throws IOException, Trace.TraceException {
        Path raw = directory.resolve("skewed.trace");
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        try (DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(raw)))) {
            for (int i = 0; i < 30_000; i++) {
                data.writeInt((int) (Math.pow(random.nextDouble(), 3) * 2_000)); // many hot keys, a long tail
            }
        }
        Trace trace = Trace.read(raw);
        for (int capacity : new int[] {1, 50, 400}) {
            double policy = TraceReplay.replay(trace, new PolicyReplayedCache("policy",
                    new dev.permafrost.cache.policy.S3FifoPolicy<>(capacity)));
            double overlay;
            try (OverlayReplayedCache cache = new OverlayReplayedCache(capacity)) {
                overlay = TraceReplay.replay(trace, cache);
            }
            assertThat(overlay).as("capacity " + capacity).isEqualTo(policy);
            assertThat(overlay).isBetween(0.001, 0.99); // some hits, some misses: a ratio that could differ
        }
    }

    @Test
    void textNamesEachCacheAndItsRatio() throws IOException {
        Path raw = directory.resolve("tiny.trace");
        writeKeys(Files.newOutputStream(raw));
        assertThat(run("--capacity", "10", "--trace", raw.toString())).isZero();
        assertThat(out()).contains("20 accesses").contains("permafrost").contains("caffeine").contains("lru").contains("50.000 %");
    }

    @Test
    void aMissingFileIsOneLineOnStandardError() {
        assertThat(run("--trace", directory.resolve("absent.trace.xz").toString(), "--capacity", "10")).isEqualTo(2);
        assertOneErrorLine("no such file");
    }

    @Test
    void aBadCapacityIsOneLineOnStandardError() throws IOException {
        Path raw = directory.resolve("tiny.trace");
        writeKeys(Files.newOutputStream(raw));
        for (String capacity : new String[] {"0", "-5", "ten", "99999999999", ""}) {
            err.reset();
            assertThat(run("--trace", raw.toString(), "--capacity", capacity)).isEqualTo(2);
            assertOneErrorLine("--capacity wants a whole number");
        }
    }

    @Test
    void anUnknownFormatIsOneLineOnStandardError() throws IOException {
        Path gzip = directory.resolve("trace.gz");
        writeKeys(new GZIPOutputStream(Files.newOutputStream(gzip)));
        assertThat(run("--trace", gzip.toString(), "--capacity", "10")).isEqualTo(2);
        assertOneErrorLine("unknown format: gzip-compressed");

        err.reset();
        Path ragged = directory.resolve("ragged.trace");
        Files.write(ragged, new byte[] {0, 0, 0, 1, 0, 0});
        assertThat(run("--trace", ragged.toString(), "--capacity", "10")).isEqualTo(2);
        assertOneErrorLine("unknown format: 6 bytes is not a whole number");

        err.reset();
        Path fakeXz = directory.resolve("fake.trace.xz");
        Files.write(fakeXz, new byte[] {0, 0, 0, 1});
        assertThat(run("--trace", fakeXz.toString(), "--capacity", "10")).isEqualTo(2);
        assertOneErrorLine("not an xz file");

        err.reset();
        Path damaged = directory.resolve("damaged.trace.xz");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeKeys(new XZOutputStream(bytes, new LZMA2Options()));
        byte[] truncated = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2);
        Files.write(damaged, truncated);
        assertThat(run("--trace", damaged.toString(), "--capacity", "10")).isEqualTo(2);
        assertOneErrorLine(damaged.toString());
    }

    @Test
    void missingOrUnknownArgumentsAreOneLineOnStandardError() {
        assertThat(run("--capacity", "10")).isEqualTo(2);
        assertOneErrorLine("--trace is required");
        err.reset();
        assertThat(run("--trace")).isEqualTo(2);
        assertOneErrorLine("--trace wants a value");
        err.reset();
        assertThat(run("--trace", "x", "--capacity", "1", "--bogus")).isEqualTo(2);
        assertOneErrorLine("unknown argument '--bogus'");
    }

    private void assertOneErrorLine(String expected) {
        assertThat(err()).contains(expected).endsWith(System.lineSeparator());
        assertThat(err().lines()).hasSize(1);
        assertThat(err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(out()).isEmpty();
    }
}
