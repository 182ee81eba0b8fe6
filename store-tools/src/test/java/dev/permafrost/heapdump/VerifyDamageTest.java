package dev.permafrost.heapdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.layout.HeapWalker;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.SizeClasses;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StoreHeaders;
import dev.permafrost.layout.TypeIds;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.Store;
import dev.permafrost.store.Types;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} goes on after damage: every damaged range is reported with its start, end and
 * what was wrong, and the objects checked and the objects and bytes lost are exact. The
 * expected ranges come from a walk of the undamaged file: a damaged block's range ends at the
 * next block, since the payloads here (points of small numbers, zeroed arrays) never look like
 * a header.
 */
class VerifyDamageTest {
    /** A point: two longs, a 32-byte block. */
    record Point(long index, long value) {
    }

    /** One block of the undamaged store. */
    record Block(long offset, long count, int typeId, long bytes) {
        boolean live() {
            return count != ObjectHeaderDescriptor.FREE_COUNT;
        }

        long end() {
            return offset + bytes;
        }
    }

    /** One damaged range as the JSON reports it. */
    record Range(long start, long end, long bytes, String what, long referencesInto) {
    }

    /** Type id of the points: the store's first registered type. */
    static final int POINT = TypeIds.FIRST_USER_TYPE_ID;

    private static final Pattern RANGE = Pattern.compile(
            "\\{\"start\":(\\d+),\"end\":(\\d+),\"bytes\":(\\d+),\"what\":\"((?:[^\"\\\\]|\\\\.)*)\",\"references_into\":(\\d+)}");

    /**
     * A store written for these tests and its blocks, as the library's own walker sees them.
     *
     * @param path   the file
     * @param points the points' offsets, in the order written
     * @param large  the offset of the 100,000-byte array
     * @param blocks every block of the heap
     * @param bump   the committed bump offset
     */
    record Fixture(Path path, List<Long> points, long large, List<Block> blocks, long bump) {
        /**
         * Writes points (each referenced once from the root array {@code points}), a
         * 100,000-byte array (a large block, on a page, root {@code large}), more points, byte
         * arrays of which every fourth is freed (the rest referenced from the root array
         * {@code blobs}).
         */
        static Fixture write(Path path, boolean freeze) throws IOException {
            List<Long> points = new ArrayList<>();
            long large;
            try (Store store = Store.create(path, 8L << 20)) {
                Types types = store.types();
                RecordType<Point> type = types.register(Point.class, "Point", MethodHandles.lookup());
                long[] all = new long[3000];
                for (int i = 0; i < 1500; i++) {
                    all[i] = type.write(new Point(i, 2L * i)).offset();
                }
                Ref<byte[]> big = types.writeArray(new byte[100_000]);
                large = big.offset();
                for (int i = 1500; i < 3000; i++) {
                    all[i] = type.write(new Point(i, 2L * i)).offset();
                }
                long[] blobs = new long[30];
                for (int i = 0, kept = 0; i < 40; i++) {
                    Ref<byte[]> blob = types.writeArray(new byte[200 + 64 * i]);
                    if (i % 4 == 3) {
                        store.release(blob.offset());
                    } else {
                        blobs[kept++] = blob.offset();
                    }
                }
                types.adoptRoot("points", types.writeReferenceArray(type, all));
                types.adoptRoot("large", big);
                types.adoptRoot("blobs", types.writeReferenceArray(null, blobs));
                for (long b : blobs) {
                    store.release(b);
                }
                for (long p : all) {
                    points.add(p);
                    store.release(p);
                }
                if (freeze) {
                    store.freeze();
                }
            }
            byte[] bytes = Files.readAllBytes(path);
            StoreHeaders.Headers headers = StoreHeaders.validate(MemorySegment.ofArray(Arrays.copyOf(bytes, StoreHeaders.LENGTH)),
                    bytes.length, path);
            long bump = headers.committed().bumpOffset();
            List<Block> blocks = new ArrayList<>();
            HeapWalker.walk(MemorySegment.ofArray(bytes), headers.superblock().heapStartOffset(), bump, path,
                    (offset, count, meta, blockBytes) -> blocks.add(new Block(offset, count, ObjectHeaderDescriptor.typeId(meta), blockBytes)));
            return new Fixture(path, List.copyOf(points), large, List.copyOf(blocks), bump);
        }

        long liveObjects() {
            return blocks.stream().filter(Block::live).count();
        }

        Block blockAt(long offset) {
            return blocks.stream().filter(b -> b.offset() == offset).findFirst()
                    .orElseThrow(() -> new AssertionError("no block at " + offset));
        }

        /** The block holding that offset. */
        Block blockHolding(long offset) {
            return blocks.stream().filter(b -> b.offset() <= offset && offset < b.end()).findFirst().orElseThrow();
        }

        /** The block after that one. */
        Block after(Block b) {
            return blocks.get(blocks.indexOf(b) + 1);
        }
    }

    @TempDir
    Path dir;

    private Fixture f;
    private Path clean;
    private long bump;

    @BeforeEach
    void writeAStore() throws IOException {
        f = Fixture.write(dir.resolve("clean.pf"), false);
        clean = f.path();
        bump = f.bump();
    }

    @Test
    void aCleanStoreVerifiesCleanWithZeroLossAndNoDamageLine() {
        HeapDumpTest.Run json = HeapDumpTest.run("verify", clean.toString(), "--json");
        assertThat(json.code()).as(json.out()).isZero();
        assertThat(json.out()).contains("\"ok\":true,\"findings_total\":0,\"findings\":[],")
                .contains("\"objects_lost\":0,\"bytes_lost\":0,\"damaged_ranges\":[],");
        assertThat(HeapDumpTest.jsonLong(json.out(), "objects_checked")).isEqualTo(f.blocks().stream().filter(Block::live).count())
                .isEqualTo(HeapDumpTest.jsonLong(json.out(), "objects"));
        HeapDumpTest.Run text = HeapDumpTest.run("verify", clean.toString());
        assertThat(text.code()).isZero();
        assertThat(text.out().lines()).allMatch(l -> l.startsWith("checked: ") || l.startsWith("OK: no problems found"))
                .last().isEqualTo("OK: no problems found in " + clean);
    }

    @Test
    void oneDamagedHeaderIsOneRangeAndTheRestOfTheHeapIsStillChecked() throws IOException {
        Block victim = blockAt(f.points().get(700));
        Path bad = damaged("one.pf", victim.offset() + 8, 0L); // meta word 0: type id 0
        HeapDumpTest.Run json = HeapDumpTest.run("verify", bad.toString(), "--json");
        assertThat(json.code()).isEqualTo(HeapDump.FINDINGS);
        assertThat(ranges(json.out())).containsExactly(new Range(victim.offset(), victim.end(), 32,
                "type id 0 (meta word 0x0) below the bump offset 0x" + Long.toHexString(bump), 1));
        assertThat(json.out()).contains("{\"offset\":" + victim.offset() + ",\"what\":\"corrupt object header: type id 0");
        assertThat(HeapDumpTest.jsonLong(json.out(), "objects_lost")).isEqualTo(1);
        assertThat(HeapDumpTest.jsonLong(json.out(), "bytes_lost")).isEqualTo(32);
        assertThat(HeapDumpTest.jsonLong(json.out(), "objects_checked")).isEqualTo(liveObjects() - 1);
        assertThat(HeapDumpTest.jsonLong(json.out(), "blocks")).isEqualTo(f.blocks().size() - 1);
        assertThat(HeapDumpTest.jsonLong(json.out(), "findings_total")).as(json.out()).isEqualTo(1);
        long cleanReferences = HeapDumpTest.jsonLong(HeapDumpTest.run("verify", clean.toString(), "--json").out(), "references");
        assertThat(cleanReferences).isGreaterThan(f.points().size());
        assertThat(HeapDumpTest.jsonLong(json.out(), "references")).as("the blocks after the damage are checked too")
                .isEqualTo(cleanReferences);

        HeapDumpTest.Run text = HeapDumpTest.run("verify", bad.toString());
        assertThat(text.code()).isEqualTo(HeapDump.FINDINGS);
        assertThat(text.out()).contains(Units.hex(victim.offset()) + ": corrupt object header: type id 0")
                .contains("damaged range [0x" + Long.toHexString(victim.offset()) + ", 0x" + Long.toHexString(victim.end())
                        + ") of 32 bytes, the walk restarted at the next plausible block")
                .contains(String.format("damage: 1 damaged range(s), 32 bytes lost, 1 object(s) lost; %,d objects checked; "
                        + "1 reference(s) point into the damage", liveObjects() - 1))
                .contains("FAILED: 1 problem(s) found");
    }

    @Test
    void severalRangesFarApartAreEachReportedExactly() throws IOException {
        Block first = blockAt(f.points().get(10));
        Block second = blockAt(f.points().get(1400));
        Block third = blockAt(f.points().get(2900));
        Path bad = HeapDumpTest.writableCopy(clean, "several.pf");
        HeapDumpTest.patchLong(bad, first.offset() + 8, ObjectHeaderDescriptor.meta(TypeIds.REFERENCE_ARRAY + 3, 16));
        HeapDumpTest.patchLong(bad, second.offset() + 8, ObjectHeaderDescriptor.meta(5000, 16)); // no such user type
        HeapDumpTest.patchLong(bad, third.offset(), 0L);
        HeapDumpTest.patchLong(bad, third.offset() + 8, 0L);
        HeapDumpTest.Run json = HeapDumpTest.run("verify", bad.toString(), "--json");
        assertThat(json.code()).isEqualTo(HeapDump.FINDINGS);
        List<Range> ranges = ranges(json.out());
        assertThat(ranges).extracting(Range::start).containsExactly(first.offset(), second.offset(), third.offset());
        assertThat(ranges).extracting(Range::end).containsExactly(first.end(), second.end(), third.end());
        assertThat(ranges.get(0).what()).isEqualTo("type id 16 is reserved (ids 14 to 63 are kept for built-in kinds)");
        assertThat(ranges.get(1).what()).startsWith("type id 5000 has no entry in the type table (");
        assertThat(ranges.get(2).what()).startsWith("type id 0");
        assertThat(ranges).extracting(Range::referencesInto).containsExactly(1L, 1L, 1L);
        assertThat(HeapDumpTest.jsonLong(json.out(), "objects_lost")).isEqualTo(3);
        assertThat(HeapDumpTest.jsonLong(json.out(), "bytes_lost")).isEqualTo(96);
        assertThat(HeapDumpTest.jsonLong(json.out(), "objects_checked")).isEqualTo(liveObjects() - 3);
        assertThat(HeapDumpTest.jsonLong(json.out(), "findings_total")).isEqualTo(3);
    }

    @Test
    void damageAtAPageBoundaryAndAcrossOne() throws IOException {
        assertThat(StoreFormat.isPageAligned(f.large())).as("the large array starts on a page").isTrue();
        Block array = blockAt(f.large());
        // a page boundary inside the points, and the two 32-byte blocks around it zeroed
        long page = StoreFormat.alignToPage(f.points().get(200) + 1);
        Block before = f.blockHolding(page - 16);
        Block after = f.after(before);
        assertThat(after.end()).isGreaterThan(page);
        Path bad = HeapDumpTest.writableCopy(clean, "page.pf");
        HeapDumpTest.patchLong(bad, array.offset() + 8, 0xdeadL << 40 | 0xbeefL); // type 0xdead: not in the table
        for (long at = before.offset(); at < after.end(); at += 8) {
            HeapDumpTest.patchLong(bad, at, 0L);
        }
        HeapDumpTest.Run json = HeapDumpTest.run("verify", bad.toString(), "--json");
        assertThat(json.code()).isEqualTo(HeapDump.FINDINGS);
        List<Range> ranges = ranges(json.out());
        assertThat(ranges).extracting(Range::start, Range::end).containsExactly(
                org.assertj.core.groups.Tuple.tuple(before.offset(), after.end()),
                org.assertj.core.groups.Tuple.tuple(array.offset(), array.end()));
        assertThat(ranges.get(1).what()).startsWith("type id 57005 has no entry in the type table");
        assertThat(ranges.get(1).referencesInto()).as("the root large").isEqualTo(1);
        assertThat(HeapDumpTest.jsonLong(json.out(), "objects_lost")).isEqualTo(3);
        assertThat(HeapDumpTest.jsonLong(json.out(), "bytes_lost")).isEqualTo(64 + array.bytes());
        assertThat(array.bytes()).isEqualTo(SizeClasses.blockBytes(100_000));
    }

    @Test
    void damageInTheLastBlockRunsToTheBumpOffset() throws IOException {
        Block last = f.blocks().getLast();
        assertThat(last.end()).isEqualTo(bump);
        Path bad = damaged("last.pf", last.offset() + 8, ObjectHeaderDescriptor.meta(TypeIds.INVALID, 8));
        HeapDumpTest.Run json = HeapDumpTest.run("verify", bad.toString(), "--json");
        assertThat(json.code()).isEqualTo(HeapDump.FINDINGS);
        assertThat(ranges(json.out())).extracting(Range::start, Range::end, Range::bytes)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(last.offset(), bump, last.bytes()));
        assertThat(json.out()).contains("up to the bump offset: no plausible block after it");
        assertThat(HeapDumpTest.jsonLong(json.out(), "objects_lost")).isEqualTo(last.live() ? 1 : 0);
        assertThat(HeapDumpTest.jsonLong(json.out(), "objects_checked")).isEqualTo(liveObjects() - (last.live() ? 1 : 0));
    }

    @Test
    void aSizeFieldClaimingAHugeSizeIsOneBlockLost() throws IOException {
        Block victim = blockAt(f.points().get(2000));
        Path bad = damaged("huge.pf", victim.offset() + 8, ObjectHeaderDescriptor.meta(POINT, 1L << 39));
        HeapDumpTest.Run json = HeapDumpTest.run("verify", bad.toString(), "--json");
        assertThat(json.code()).isEqualTo(HeapDump.FINDINGS);
        List<Range> ranges = ranges(json.out());
        assertThat(ranges).extracting(Range::start, Range::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(victim.offset(), victim.end()));
        assertThat(ranges.getFirst().what()).isEqualTo("a block of " + SizeClasses.blockBytes(1L << 39) + " bytes (meta word 0x"
                + Long.toHexString(ObjectHeaderDescriptor.meta(POINT, 1L << 39)) + ") runs past the bump offset 0x"
                + Long.toHexString(bump));
        assertThat(HeapDumpTest.jsonLong(json.out(), "objects_lost")).isEqualTo(1);
        assertThat(HeapDumpTest.jsonLong(json.out(), "bytes_lost")).isEqualTo(32);
    }

    @Test
    void allZeroPagesInTheMiddleAreOneRangeFromTheFirstBlockInThemToTheFirstAfter() throws IOException {
        long zeroFrom = StoreFormat.alignToPage(f.points().get(2200));
        long zeroTo = zeroFrom + 3 * StoreFormat.PAGE_SIZE;
        Path bad = HeapDumpTest.writableCopy(clean, "zeros.pf");
        try (RandomAccessFile raf = new RandomAccessFile(bad.toFile(), "rw")) {
            raf.seek(zeroFrom);
            raf.write(new byte[(int) (zeroTo - zeroFrom)]);
        }
        long start = f.blocks().stream().mapToLong(Block::offset).filter(o -> o >= zeroFrom).min().orElseThrow();
        long end = f.blocks().stream().mapToLong(Block::offset).filter(o -> o >= zeroTo).min().orElseThrow();
        long lost = f.blocks().stream().filter(b -> b.offset() >= start && b.offset() < end && b.live()).count();
        HeapDumpTest.Run json = HeapDumpTest.run("verify", bad.toString(), "--json");
        assertThat(json.code()).isEqualTo(HeapDump.FINDINGS);
        List<Range> ranges = ranges(json.out());
        assertThat(ranges).extracting(Range::start, Range::end).containsExactly(org.assertj.core.groups.Tuple.tuple(start, end));
        assertThat(ranges.getFirst().referencesInto()).as("each lost point is referenced once").isEqualTo(lost);
        assertThat(lost).isGreaterThan(3 * StoreFormat.PAGE_SIZE / 32 - 2);
        assertThat(HeapDumpTest.jsonLong(json.out(), "objects_lost")).isEqualTo(lost);
        assertThat(HeapDumpTest.jsonLong(json.out(), "bytes_lost")).isEqualTo(end - start);
        assertThat(HeapDumpTest.jsonLong(json.out(), "objects_checked")).isEqualTo(liveObjects() - lost);
    }

    @Test
    void aFrozenStoreReportsTheRangeAndTheChangedChecksum() throws IOException {
        Fixture frozen = Fixture.write(dir.resolve("frozen.pf"), true);
        Block victim = frozen.blockAt(frozen.points().get(42));
        Path bad = HeapDumpTest.writableCopy(frozen.path(), "frozen-bad.pf");
        HeapDumpTest.patchLong(bad, victim.offset() + 8, 0L);
        HeapDumpTest.Run json = HeapDumpTest.run("verify", bad.toString(), "--json");
        assertThat(json.code()).isEqualTo(HeapDump.FINDINGS);
        assertThat(ranges(json.out())).extracting(Range::start, Range::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(victim.offset(), victim.end()));
        assertThat(json.out()).contains("frozen region checksum mismatch");
        assertThat(HeapDumpTest.jsonLong(json.out(), "objects_lost")).isEqualTo(1);
        assertThat(HeapDumpTest.jsonLong(json.out(), "findings_total")).isEqualTo(2);
    }

    @Test
    void objectsLostAreUnknownInAStoreNotClosedCleanly() throws IOException {
        Path open = dir.resolve("open.pf");
        try (Store store = Store.create(open, 1 << 20)) {
            long[] raw = new long[20];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = store.allocate(48);
            }
            store.commit();
            Path copy = HeapDumpTest.writableCopy(open, "open-copy.pf");
            HeapDumpTest.patchLong(copy, raw[7] + 8, 0L);
            HeapDumpTest.Run json = HeapDumpTest.run("verify", copy.toString(), "--json");
            assertThat(json.code()).isEqualTo(HeapDump.FINDINGS);
            assertThat(ranges(json.out())).extracting(Range::start, Range::end)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(raw[7], raw[8]));
            assertThat(json.out()).contains("\"objects_lost\":null,\"bytes_lost\":64,");
            HeapDumpTest.Run text = HeapDumpTest.run("verify", copy.toString());
            assertThat(text.out()).contains("damage: 1 damaged range(s), 64 bytes lost, objects lost unknown");
        }
    }

    private long liveObjects() {
        return f.liveObjects();
    }

    private Block blockAt(long offset) {
        return f.blockAt(offset);
    }

    private Path damaged(String name, long offset, long value) throws IOException {
        Path bad = HeapDumpTest.writableCopy(clean, name);
        HeapDumpTest.patchLong(bad, offset, value);
        return bad;
    }

    static List<Range> ranges(String json) {
        List<Range> ranges = new ArrayList<>();
        int from = json.indexOf("\"damaged_ranges\":[");
        assertThat(from).as("damaged_ranges in " + json).isNotNegative();
        Matcher m = RANGE.matcher(json);
        m.region(from, json.indexOf(']', from) + 1);
        while (m.find()) {
            ranges.add(new Range(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    m.group(4), Long.parseLong(m.group(5))));
        }
        return ranges;
    }
}
