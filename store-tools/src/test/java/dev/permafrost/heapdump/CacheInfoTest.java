package dev.permafrost.heapdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.cache.CacheWriter;
import dev.permafrost.cache.Codecs;
import dev.permafrost.cache.SharedCache;
import dev.permafrost.layout.CacheFilterDescriptor;
import dev.permafrost.layout.CacheHeaderDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code info} and {@code histo} on a cache version built by store-cache's writer, and on one whose header is damaged. */
class CacheInfoTest {
    private static final int ENTRIES = 2_000;

    @TempDir
    Path dir;

    @Test
    void infoAndHistoShowTheCacheInTextAndJson() {
        Path version = publish();
        HeapDumpTest.Run json = HeapDumpTest.run("info", version.toString(), "--json");
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"frozen\":true", "\"roots\":[{\"name\":\"dev.permafrost.cache\"",
                "\"caches\":[{\"root\":\"dev.permafrost.cache\"", "\"key_codec\":\"string:utf-8\"",
                "\"value_codec\":\"bytes\"", "\"format_version\":3}]");
        assertThat(HeapDumpTest.jsonLong(json.out(), "entries")).isEqualTo(ENTRIES);
        long slots = HeapDumpTest.jsonLong(json.out(), "table_slots");
        long home = HeapDumpTest.jsonLong(json.out(), "home_slots");
        assertThat(home).isGreaterThan(ENTRIES).isLessThan(slots);
        assertThat(slots).isLessThan(ENTRIES * 2);
        assertThat(HeapDumpTest.jsonLong(json.out(), "longest_probe")).isBetween(0L, 255L);
        assertThat(HeapDumpTest.jsonLong(json.out(), "hash_algorithm")).as("string keys: String.hashCode")
                .isEqualTo(CacheHeaderDescriptor.HASH_STRING);
        assertThat(HeapDumpTest.jsonLong(json.out(), "filter_bytes")).as("8 bits an entry, filling the block")
                .isEqualTo(CacheFilterDescriptor.wordCount(ENTRIES) * CacheFilterDescriptor.WORD_LENGTH);
        assertThat(HeapDumpTest.jsonLong(json.out(), "key_bytes")).isEqualTo(ENTRIES * 8L);
        assertThat(HeapDumpTest.jsonLong(json.out(), "value_bytes")).isEqualTo(ENTRIES * 20L);
        assertThat(HeapDumpTest.jsonLong(json.out(), "header_offset")).isPositive();

        HeapDumpTest.Run text = HeapDumpTest.run("info", version.toString());
        assertThat(text.code()).isZero();
        assertThat(text.out()).containsPattern("(?m)^roots           1$")
                .containsPattern("(?m)^cache           dev\\.permafrost\\.cache -> 0x[0-9a-f]+: version 1: 2,000 entries, "
                        + "[0-9,]+ table slots \\([0-9,]+ home, load 0\\.\\d\\d\\), filter \\d+\\.\\d KiB, \\d+\\.\\d\\d bytes per entry beyond keys and "
                        + "values, longest probe \\d+, hash algorithm 2, codecs string:utf-8 -> bytes, cache format 3$");

        HeapDumpTest.Run histo = HeapDumpTest.run("histo", version.toString());
        assertThat(histo.code()).as(histo.err()).isZero();
        assertThat(histo.out()).contains("Total (").containsPattern("(?m)^cache dev\\.permafrost\\.cache: version 1: 2,000 entries");
        HeapDumpTest.Run histoJson = HeapDumpTest.run("histo", version.toString(), "--json");
        assertThat(histoJson.out()).contains("\"total\":{", "\"caches\":[{\"root\":\"dev.permafrost.cache\"");
    }

    @Test
    void aStoreWithoutACacheHasNoCaches() {
        Path plain = dir.resolve("plain.pf");
        StoreFixtures.mixed(plain, true);
        HeapDumpTest.Run json = HeapDumpTest.run("info", plain.toString(), "--json");
        assertThat(json.code()).isZero();
        assertThat(json.out()).contains("\"caches\":[]}");
        assertThat(HeapDumpTest.run("info", plain.toString()).out()).doesNotContain("cache ");
    }

    @Test
    void aDamagedCacheHeaderIsOneLineAndExitCode2() throws IOException {
        Path version = publish();
        long header = headerOffset(version);
        overwrite(version, header + 16 + CacheHeaderDescriptor.SLOT_COUNT_OFFSET, 3); // past the object's header
        assertDamaged(version, header, "damaged cache header: 3 home slots for 2000 entries");
        // verify knows nothing of caches; it sees the write as a change to the frozen region
        HeapDumpTest.Run verify = HeapDumpTest.run("verify", version.toString());
        assertThat(verify.code()).isEqualTo(HeapDump.FINDINGS);
    }

    @Test
    void aFilterThatIsNotWholeWordsIsADamagedHeader() throws IOException {
        Path version = publish();
        long header = headerOffset(version);
        overwrite(version, header + 16 + CacheHeaderDescriptor.FILTER_OFFSET_OFFSET, header); // the header's 109 bytes
        assertDamaged(version, header, "damaged cache header: its filter at 0x" + Long.toHexString(header)
                + " has 109 bytes: not a positive number of 8-byte words");
    }

    private static long headerOffset(Path version) {
        return HeapDumpTest.jsonLong(HeapDumpTest.run("info", version.toString(), "--json").out(), "header_offset");
    }

    private static void overwrite(Path version, long at, long value) throws IOException {
        assertThat(version.toFile().setWritable(true)).isTrue(); // a frozen store is read-only on disk
        try (FileChannel channel = FileChannel.open(version, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), at);
        }
    }

    private static void assertDamaged(Path version, long header, String detail) {
        for (String command : new String[] {"info", "histo"}) {
            HeapDumpTest.Run run = HeapDumpTest.run(command, version.toString());
            assertThat(run.code()).as(command).isEqualTo(HeapDump.BAD_INPUT);
            assertThat(run.out()).isEmpty();
            assertThat(run.err().strip()).doesNotContain("\n").contains("at offset 0x" + Long.toHexString(header), detail);
        }
    }

    private Path publish() {
        Path cache = dir.resolve("cache");
        try (CacheWriter<String, byte[]> writer = SharedCache.writer(cache, Codecs.string(), Codecs.bytes())) {
            for (int i = 0; i < ENTRIES; i++) {
                writer.put(String.format("key%05d", i), new byte[20]);
            }
            writer.publish();
            return writer.file();
        }
    }
}
