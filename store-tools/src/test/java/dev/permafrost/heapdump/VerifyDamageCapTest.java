package dev.permafrost.heapdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Store;
import dev.permafrost.store.Types;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file with more damaged ranges than {@code verify} lists: every range is counted (ranges,
 * bytes, objects, references into them), only the first {@link Verifier#MAX_DAMAGED_RANGES}
 * (or a lower cap) keep their details, and the output says how many were left out.
 */
class VerifyDamageCapTest {
    /** A point: two longs, a 32-byte block. */
    record Point(long index, long value) {
    }

    /** Intact points between two damaged ones: more than {@code HeapWalker.CONFIRM_BLOCKS}, so each damaged point is its own range. */
    private static final int STRIDE = 5;
    private static final long POINT_BLOCK_BYTES = 32;

    @TempDir
    Path dir;

    /**
     * Writes {@code damaged * STRIDE} points, each referenced once from the root array
     * {@code points}, then zeroes the meta word of every {@code STRIDE}-th one (type id 0).
     *
     * @return the offsets of the damaged points, in address order
     */
    private long[] writeDamaged(Path path, int damaged) throws IOException {
        long[] victims = new long[damaged];
        try (Store store = Store.create(path, 16L << 20)) {
            Types types = store.types();
            RecordType<Point> type = types.register(Point.class, "Point", MethodHandles.lookup());
            long[] all = new long[damaged * STRIDE];
            for (int i = 0; i < all.length; i++) {
                all[i] = type.write(new Point(i, 2L * i)).offset();
                if (i % STRIDE == STRIDE / 2) {
                    victims[i / STRIDE] = all[i];
                }
            }
            types.adoptRoot("points", types.writeReferenceArray(type, all));
            for (long p : all) {
                store.release(p);
            }
        }
        for (int i = 1; i < victims.length; i++) {
            assertThat(victims[i] - victims[i - 1]).as("points are written one after another").isEqualTo(STRIDE * POINT_BLOCK_BYTES);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
            map.order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (long v : victims) {
                map.putLong(Math.toIntExact(v + ObjectHeaderDescriptor.META_OFFSET), 0L);
            }
            map.force();
        }
        return victims;
    }

    @Test
    void rangesPastTheCapAreCountedButNotKept() throws IOException {
        Path bad = dir.resolve("many.pf");
        long[] victims = writeDamaged(bad, 12);
        Verifier verifier;
        long cleanReferences;
        try (StoreImage image = StoreImage.open(bad)) {
            verifier = new Verifier(image, 5).run((label, total) -> Progress.NONE);
        }
        DamagedRanges damage = verifier.damage();
        assertThat(damage.count()).isEqualTo(12);
        assertThat(damage.kept()).as("details kept for the first 5 only").hasSize(5);
        assertThat(damage.omitted()).isEqualTo(7);
        for (int i = 0; i < 5; i++) {
            assertThat(damage.kept().get(i).startOffset()).isEqualTo(victims[i]);
            assertThat(damage.kept().get(i).endOffset()).isEqualTo(victims[i] + POINT_BLOCK_BYTES);
            assertThat(damage.referencesInto(i)).isEqualTo(1);
        }
        assertThat(damage.referencesIntoOmitted()).as("one reference into each range left out").isEqualTo(7);
        assertThat(damage.referencesIntoAll()).isEqualTo(12);
        assertThat(verifier.bytesLost()).isEqualTo(12 * POINT_BLOCK_BYTES);
        assertThat(verifier.objectsLost()).isEqualTo(12);
        for (long v : victims) {
            assertThat(damage.isDamaged(v)).isTrue();
            assertThat(damage.isDamaged(v + POINT_BLOCK_BYTES - 1)).isTrue();
            assertThat(damage.isDamaged(v + POINT_BLOCK_BYTES)).as("the next point is intact").isFalse();
            assertThat(damage.isDamaged(v - 1)).isFalse();
        }
        assertThat(verifier.findingCount()).isEqualTo(12);
        assertThat(verifier.notes()).anyMatch(n -> n.startsWith("12 damaged ranges were found; the first 5 are listed and 7 are left out"));
        // the blocks between and after the ranges left out are still checked
        try (StoreImage image = StoreImage.open(bad)) {
            Verifier uncapped = new Verifier(image).run((label, total) -> Progress.NONE);
            assertThat(uncapped.damage().kept()).hasSize(12);
            assertThat(uncapped.damage().omitted()).isZero();
            cleanReferences = uncapped.references();
            assertThat(uncapped.census().liveObjects).isEqualTo(verifier.census().liveObjects);
        }
        assertThat(verifier.references()).isEqualTo(cleanReferences).isGreaterThanOrEqualTo(12L * STRIDE);
    }

    @Test
    void theCliListsTheFirstTenThousandRangesAndSaysHowManyItLeftOut() throws IOException {
        int extra = 37;
        int damaged = Verifier.MAX_DAMAGED_RANGES + extra;
        Path bad = dir.resolve("pathological.pf");
        long[] victims = writeDamaged(bad, damaged);
        HeapDumpTest.Run json = HeapDumpTest.run("verify", bad.toString(), "--json");
        assertThat(json.code()).isEqualTo(HeapDump.FINDINGS);
        String out = json.out();
        assertThat(HeapDumpTest.jsonLong(out, "damaged_ranges_total")).isEqualTo(damaged);
        assertThat(HeapDumpTest.jsonLong(out, "damaged_ranges_omitted")).isEqualTo(extra);
        assertThat(HeapDumpTest.jsonLong(out, "references_into_omitted")).isEqualTo(extra);
        assertThat(HeapDumpTest.jsonLong(out, "bytes_lost")).isEqualTo(damaged * POINT_BLOCK_BYTES);
        assertThat(HeapDumpTest.jsonLong(out, "objects_lost")).isEqualTo(damaged);
        assertThat(HeapDumpTest.jsonLong(out, "findings_total")).isEqualTo(damaged);
        String ranges = out.substring(out.indexOf("\"damaged_ranges\":["), out.indexOf("],\"damaged_ranges_total\""));
        assertThat(Pattern.compile("\\{\"start\":").matcher(ranges).results().count())
                .as("range objects listed").isEqualTo(Verifier.MAX_DAMAGED_RANGES);
        assertThat(ranges).contains("{\"start\":" + victims[Verifier.MAX_DAMAGED_RANGES - 1] + ",")
                .doesNotContain("{\"start\":" + victims[Verifier.MAX_DAMAGED_RANGES] + ",");
        assertThat(out).contains(String.format("\"%,d damaged ranges were found; the first %,d are listed and %,d are left out",
                damaged, Verifier.MAX_DAMAGED_RANGES, extra));

        HeapDumpTest.Run text = HeapDumpTest.run("verify", bad.toString());
        assertThat(text.code()).isEqualTo(HeapDump.FINDINGS);
        assertThat(text.out()).contains(String.format("damage: %,d damaged range(s) (the first %,d listed, %,d left out), %,d bytes lost, "
                        + "%,d object(s) lost;", damaged, Verifier.MAX_DAMAGED_RANGES, extra, damaged * POINT_BLOCK_BYTES, damaged))
                .contains(String.format("%,d reference(s) point into the damage", damaged))
                .contains(String.format("... and %,d more findings", extra))
                .contains("FAILED: " + damaged + " problem(s) found");
        Files.delete(bad);
    }
}
