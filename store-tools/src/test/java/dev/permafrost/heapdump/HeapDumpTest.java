package dev.permafrost.heapdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.layout.StoreFormat;
import dev.permafrost.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every read-only command on real stores written by the library, text and JSON. */
class HeapDumpTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HeapDump.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static long jsonLong(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(-?\\d+)").matcher(json);
        assertThat(m.find()).as(field + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void infoReportsAnUnfrozenCleanlyClosedStore() {
        Path f = dir.resolve("s.pf");
        StoreFixtures.Written w = StoreFixtures.mixed(f, false);
        Run text = run("info", f.toString());
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("not frozen, cleanly closed").contains("format version  " + StoreFormat.FORMAT_VERSION)
                .contains(String.format("objects         %,d (0 immortal, %,d mortal)", w.objects(), w.objects()));
        Run json = run("info", f.toString(), "--json");
        assertThat(json.code()).isZero();
        assertThat(json.out()).startsWith("{\"command\":\"info\",").contains("\"format_version\":" + StoreFormat.FORMAT_VERSION + ",")
                .contains("\"frozen\":false").contains("\"cleanly_closed\":true");
        assertThat(jsonLong(json.out(), "objects")).isEqualTo(w.objects());
        assertThat(jsonLong(json.out(), "immortal")).isZero();
        assertThat(jsonLong(json.out(), "mortal")).isEqualTo(w.objects());
        assertThat(jsonLong(json.out(), "free_bytes")).isPositive();
        assertThat(json.out().strip()).doesNotContain("\n");
    }

    @Test
    void infoReportsAFrozenStoreAndAStoreItsOwnerStillHasOpen() {
        Path f = dir.resolve("f.pf");
        StoreFixtures.Written w = StoreFixtures.mixed(f, true);
        Run json = run("info", f.toString(), "--json");
        assertThat(json.out()).contains("\"frozen\":true").contains("\"cleanly_closed\":true");
        assertThat(jsonLong(json.out(), "immortal")).isEqualTo(w.objects());
        assertThat(jsonLong(json.out(), "mortal")).isZero();

        Path open = dir.resolve("open.pf");
        try (Store store = Store.create(open, 1 << 20)) {
            store.allocate(100);
            store.commit();
            Run live = run("info", open.toString(), "--json");
            assertThat(live.code()).as(live.err()).isZero();
            assertThat(live.out()).contains("\"cleanly_closed\":false");
            assertThat(jsonLong(live.out(), "objects")).isEqualTo(1);
            Run verify = run("verify", open.toString());
            assertThat(verify.code()).isEqualTo(1);
            assertThat(verify.out()).contains("not closed cleanly");
        }
    }

    @Test
    void histoCountsPerTypeSortsAndTotals() {
        Path f = dir.resolve("s.pf");
        StoreFixtures.Written w = StoreFixtures.mixed(f, false);
        Run bytes = run("histo", f.toString());
        assertThat(bytes.code()).isZero();
        String[] lines = bytes.out().split("\n");
        assertThat(lines[1]).contains("byte[]");          // blobs: most bytes
        assertThat(lines[lines.length - 1]).contains("Total (5 types)").contains(String.format("%,d", w.objects()));
        Run count = run("histo", f.toString(), "--sort", "count", "--top", "1", "--json");
        assertThat(count.code()).isZero();
        assertThat(count.out()).startsWith("{\"command\":\"histo\",")
                .contains("\"types\":[{\"type\":\"Point\",\"type_id\":64,\"objects\":" + w.points() + ",\"bytes\":32000,")
                .doesNotContain("byte[]")
                .contains("\"total\":{\"types\":5,\"objects\":" + w.objects() + ",");
    }

    @Test
    void refcountsShowsImmortalCountsAndALog2HistogramOfMortalOnes() {
        Path f = dir.resolve("s.pf");
        StoreFixtures.mixed(f, false);
        Run json = run("refcounts", f.toString(), "--json");
        assertThat(json.code()).isZero();
        // points were retained i % 5 times: counts 1 (200), 2..3 (400), 4..5 (400)
        assertThat(json.out()).contains("{\"type\":\"Point\",\"type_id\":64,\"objects\":1000,\"immortal\":0,\"mortal\":1000,"
                + "\"mortal_counts_log2\":[{\"from\":1,\"to\":1,\"objects\":200},{\"from\":2,\"to\":3,\"objects\":400},"
                + "{\"from\":4,\"to\":7,\"objects\":400}]}");
        Path g = dir.resolve("f.pf");
        StoreFixtures.mixed(g, true);
        Run frozen = run("refcounts", g.toString());
        assertThat(frozen.out()).contains("Point: 1,000 objects, 1,000 immortal, 0 mortal");
    }

    @Test
    void objectsListsOffsetsTypesCountsAndContent() {
        Path f = dir.resolve("s.pf");
        StoreFixtures.Written w = StoreFixtures.mixed(f, false);
        Run text = run("objects", f.toString(), "--limit", "3");
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("0x" + Long.toHexString(w.textOffset())).contains("\"hello store\"")
                .contains("3 object(s) shown; more match").contains("descriptor of \"Point\"");
        Run typed = run("objects", f.toString(), "--type", "Point", "--limit", "0", "--json");
        assertThat(typed.out()).startsWith("{\"command\":\"objects\",")
                .contains("{\"offset\":" + w.pointOffset() + ",\"type\":\"Point\",\"type_id\":64,\"payload_bytes\":16,")
                .contains("\"content\":\"{index=0, value=0}\"")
                .contains("\"shown\":1000,\"truncated\":false");
        Run unknown = run("objects", f.toString(), "--type", "nosuchtype");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().strip()).doesNotContain("\n").contains("nosuchtype");
    }

    @Test
    void verifyPassesOnCleanStoresFrozenOrNot() {
        for (boolean freeze : new boolean[] {false, true}) {
            Path f = dir.resolve("v" + freeze + ".pf");
            StoreFixtures.mixed(f, freeze);
            Run json = run("verify", f.toString(), "--json");
            assertThat(json.code()).as(json.out()).isZero();
            assertThat(json.out()).startsWith("{\"command\":\"verify\",").contains("\"ok\":true,")
                    .contains("\"findings\":[]");
            assertThat(run("verify", f.toString()).out()).contains("OK: no problems found");
        }
    }

    @Test
    void verifyReportsACorruptHeaderAndAChangedFrozenFileWithOffsets() throws IOException {
        Path f = dir.resolve("f.pf");
        StoreFixtures.Written w = StoreFixtures.mixed(f, true);
        Path copy = writableCopy(f, "bad.pf");
        long victim = w.pointOffset() + 32 * 10;
        patchLong(copy, victim + 8, 0L); // meta word 0: type id 0
        Run verify = run("verify", copy.toString(), "--json");
        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.out()).contains("\"ok\":false").contains("{\"offset\":" + victim + ",\"what\":\"corrupt object header: type id 0");
        assertThat(verify.out()).contains("frozen region checksum mismatch");
        for (String command : new String[] {"info", "histo", "refcounts", "objects"}) {
            Run r = run(command, copy.toString(), "--limit", "0");
            if (command.equals("objects")) {
                r = run(command, copy.toString(), "--limit", "0");
            } else {
                r = run(command, copy.toString());
            }
            assertThat(r.code()).as(command).isEqualTo(2);
            assertThat(r.err().strip()).as(command).doesNotContain("\n").contains("0x" + Long.toHexString(victim))
                    .contains("corrupt object header");
            assertThat(r.out()).isEmpty();
        }
        Run debug = run("histo", copy.toString(), "--debug");
        assertThat(debug.code()).isEqualTo(2);
        assertThat(debug.err()).contains("\tat dev.permafrost");

        Path runaway = writableCopy(f, "runaway.pf");
        patchLong(runaway, victim + 8, (64L << 40) | (1L << 39)); // a payload of 512 GiB
        Run r = run("histo", runaway.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("runs past the bump offset");
    }

    @Test
    void verifyFindsBadFreeListsAndCountsInAnUnfrozenStore() throws IOException {
        Path f = dir.resolve("s.pf");
        StoreFixtures.Written w = StoreFixtures.mixed(f, false);
        Path copy = writableCopy(f, "bad.pf");
        long point = w.pointOffset();
        patchLong(copy, point, -5L); // an immortal-looking count in a store never frozen
        Run verify = run("verify", copy.toString(), "--json");
        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.out()).contains("{\"offset\":" + point + ",\"what\":\"immortal object");
    }

    @Test
    void badFilesGiveOneLineAndExitTwo() throws IOException {
        Path stored = dir.resolve("f.pf");
        StoreFixtures.mixed(stored, true);
        Path empty = Files.createFile(dir.resolve("empty.pf"));
        Path foreign = Files.writeString(dir.resolve("foreign.txt"), "hello, not a store\n".repeat(400));
        Path truncated = writableCopy(stored, "truncated.pf");
        try (RandomAccessFile raf = new RandomAccessFile(truncated.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        Path stub = writableCopy(stored, "stub.pf");
        try (RandomAccessFile raf = new RandomAccessFile(stub.toFile(), "rw")) {
            raf.setLength(100);
        }
        Path newer = writableCopy(stored, "newer.pf");
        patchInt(newer, 8, StoreFormat.FORMAT_VERSION + 1);
        fixSuperblockChecksum(newer);
        Path slots = writableCopy(stored, "slots.pf");
        patchLong(slots, StoreFormat.COMMIT_SLOT_0_OFFSET + 100, 42);
        patchLong(slots, StoreFormat.COMMIT_SLOT_1_OFFSET + 100, 42);
        String[][] cases = {
            {dir.resolve("missing.pf").toString(), "no such file"},
            {dir.toString(), "is a directory"},
            {empty.toString(), "empty file"},
            {foreign.toString(), "not a Permafrost store"},
            {truncated.toString(), "truncated"},
            {stub.toString(), "truncated"},
            {newer.toString(), "newer than this build reads"},
            {slots.toString(), "neither commit slot is valid"},
        };
        for (String[] c : cases) {
            for (String command : new String[] {"info", "histo", "objects", "refcounts", "verify", "workers"}) {
                for (boolean json : new boolean[] {false, true}) {
                    Run r = json ? run(command, c[0], "--json") : run(command, c[0]);
                    assertThat(r.code()).as(command + " " + c[0]).isEqualTo(2);
                    assertThat(r.err().strip()).as(command + " " + c[0]).doesNotContain("\n").contains(c[1])
                            .startsWith("heap-dump " + command + ": ");
                    assertThat(r.out()).isEmpty();
                }
            }
        }
        Run usage = run("histo", "--sort", "sideways", stored.toString());
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err().strip()).doesNotContain("\n");
    }

    @Test
    void aStoreWhoseNewestCommitANewerFormatWroteIsShownAndVerifySaysSo() throws IOException {
        Path f = dir.resolve("s.pf");
        StoreFixtures.mixed(f, false); // both slots are the clean close's two commits
        Path newer = writableCopy(f, "newer-slot.pf");
        long newest = newestSlotOffset(newer);
        patchInt(newer, newest + dev.permafrost.layout.CommitSlotDescriptor.FLAGS_OFFSET,
                dev.permafrost.layout.CommitSlotDescriptor.FLAG_CLEAN | 1 << 5);
        fixSlotChecksum(newer, newest);
        Run info = run("info", newer.toString());
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(info.out()).contains("cleanly closed (commit generation"); // the older commit: the close's first
        Run verify = run("verify", newer.toString(), "--json");
        assertThat(verify.code()).as(verify.err()).isEqualTo(1);
        assertThat(verify.out()).contains("{\"offset\":" + (newest + dev.permafrost.layout.CommitSlotDescriptor.FLAGS_OFFSET))
                .contains("newest commit, which this build cannot read").contains("a newer format wrote it")
                .contains("the library refuses to open the store");
    }

    static long newestSlotOffset(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(StoreFormat.COMMIT_SLOT_0_OFFSET + 8);
            long g0 = Long.reverseBytes(raf.readLong());
            raf.seek(StoreFormat.COMMIT_SLOT_1_OFFSET + 8);
            long g1 = Long.reverseBytes(raf.readLong());
            return g0 > g1 ? StoreFormat.COMMIT_SLOT_0_OFFSET : StoreFormat.COMMIT_SLOT_1_OFFSET;
        }
    }

    static void fixSlotChecksum(Path file, long slotOffset) throws IOException {
        byte[] page = new byte[StoreFormat.PAGE_SIZE];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(slotOffset);
            raf.readFully(page);
        }
        int checksumOffset = dev.permafrost.layout.CommitSlotDescriptor.CHECKSUM_OFFSET;
        patchInt(file, slotOffset + checksumOffset, dev.permafrost.layout.Checksums.crc32c(MemorySegment.ofArray(page), 0, checksumOffset));
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"info", "histo", "objects", "refcounts", "verify", "cow", "workers"}) {
            Run r = run(command, "--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("Usage: heap-dump " + command).contains("--json").contains("--debug");
        }
        assertThat(run("--help").out()).contains("cow").contains("workers");
    }

    static Path writableCopy(Path from, String name) throws IOException {
        Path to = from.resolveSibling(name);
        Files.copy(from, to);
        to.toFile().setWritable(true);
        return to;
    }

    static void patchLong(Path file, long offset, long value) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }
    }

    static void patchInt(Path file, long offset, int value) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(value).array());
        }
    }

    static void fixSuperblockChecksum(Path file) throws IOException {
        byte[] head = new byte[128];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.readFully(head);
        }
        patchInt(file, 124, dev.permafrost.layout.Checksums.crc32c(MemorySegment.ofArray(head), 0, 124));
    }
}
