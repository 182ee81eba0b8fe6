package dev.permafrost.heapdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.heapdump.VerifyDamageTest.Block;
import dev.permafrost.heapdump.VerifyDamageTest.Fixture;
import dev.permafrost.heapdump.VerifyDamageTest.Range;
import dev.permafrost.layout.HeapWalker;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.TypeIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@code verify} on a real store with the headers of k blocks made unusable (type id 0,
 * reserved, not in the type table, or a size past the bump offset), at least
 * {@link HeapWalker#CONFIRM_BLOCKS} + 1 intact blocks apart: exactly k damaged ranges, each exactly
 * its block, and the objects checked and lost and the bytes lost exact. (Closer damage merges
 * ranges; {@code HeapWalkerDamageProperties} checks that rule.) The blocks hit are points and
 * byte arrays, live or free: a damaged type table, descriptor or root table is a finding of its
 * own, and without the type table a user type id cannot be told from a damaged one.
 */
class VerifyDamageProperties {
    private static Path dir;
    private static Fixture fixture;

    @BeforeContainer
    static void writeAStore() throws IOException {
        dir = Files.createTempDirectory("verify-damage");
        fixture = Fixture.write(dir.resolve("clean.pf"), false);
    }

    @AfterContainer
    static void removeIt() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 25)
    void damageToKSeparateBlocksGivesKRangesAndExactCounts(@ForAll @IntRange(min = 1, max = 12) int k,
                                                          @ForAll @IntRange(min = 0, max = 1 << 20) int seed) throws IOException {
        Random random = new Random(seed);
        List<Block> blocks = fixture.blocks();
        long bump = fixture.bump();
        Path bad = HeapDumpTest.writableCopy(fixture.path(), "random-" + seed + "-" + k + ".pf");
        try {
            List<Block> hit = new ArrayList<>();
            int i = random.nextInt(50);
            while (hit.size() < k && i < blocks.size()) {
                Block b = blocks.get(i);
                if (b.typeId() != VerifyDamageTest.POINT && b.typeId() != TypeIds.BYTE_ARRAY) {
                    i++;
                    continue;
                }
                hit.add(b);
                long meta = switch (random.nextInt(4)) {
                    case 0 -> random.nextLong() & ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES; // type id 0
                    case 1 -> ObjectHeaderDescriptor.meta(TypeIds.REFERENCE_ARRAY + 1 + random.nextInt(50), b.bytes() - 16);
                    case 2 -> ObjectHeaderDescriptor.meta(1000 + random.nextInt(1 << 20), random.nextInt(1 << 12));
                    default -> ObjectHeaderDescriptor.meta(TypeIds.RAW, bump + random.nextInt(1 << 30));
                };
                HeapDumpTest.patchLong(bad, b.offset() + ObjectHeaderDescriptor.META_OFFSET, meta);
                i += HeapWalker.CONFIRM_BLOCKS + 2 + random.nextInt(blocks.size() / (k + 1)); // CONFIRM_BLOCKS + 1 intact blocks between, or more
            }
            HeapDumpTest.Run json = HeapDumpTest.run("verify", bad.toString(), "--json");
            assertThat(json.code()).as(json.err()).isEqualTo(HeapDump.FINDINGS);
            assertThat(VerifyDamageTest.ranges(json.out())).extracting(Range::start, Range::end).containsExactlyElementsOf(
                    hit.stream().map(b -> org.assertj.core.groups.Tuple.tuple(b.offset(), b.end())).toList());
            long lost = hit.stream().filter(Block::live).count();
            assertThat(HeapDumpTest.jsonLong(json.out(), "objects_lost")).isEqualTo(lost);
            assertThat(HeapDumpTest.jsonLong(json.out(), "bytes_lost")).isEqualTo(hit.stream().mapToLong(Block::bytes).sum());
            assertThat(HeapDumpTest.jsonLong(json.out(), "objects_checked")).isEqualTo(fixture.liveObjects() - lost);
        } finally {
            Files.delete(bad);
        }
    }
}
