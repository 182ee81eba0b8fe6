package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The resynchronising walk against a model of its rule. Heaps are built as the allocator lays
 * them out (class-sized blocks tiling the heap, payloads zeroed), then the headers of some
 * blocks are made unusable. Because a zeroed payload never holds a plausible header, the only
 * restart candidates are real block starts, and the rule reduces to one about blocks: a
 * damaged range starts at a damaged block and ends at the first intact block followed by
 * {@link HeapWalker#CONFIRM_BLOCKS} intact blocks (or by intact blocks up to the end). So k
 * damaged blocks with at least {@code CONFIRM_BLOCKS + 1} intact blocks between any two give
 * exactly k ranges, each exactly its block.
 */
class HeapWalkerDamageProperties {
    private static final long START = StoreFormat.HEAP_START_OFFSET;

    /** One block of a built heap. */
    private record Block(long offset, long bytes) {
    }

    /** A reported damaged range. */
    private record Range(long start, long end) {
    }

    /** How a header is made unusable. */
    enum Damage { TYPE_ID_ZERO, RESERVED_TYPE_ID, RUNS_PAST_THE_END, ZEROED_HEADER }

    @Property(tries = 300)
    void damagedBlocksGiveTheRangesTheRuleSays(@ForAll("payloads") List<Integer> payloads,
                                               @ForAll("damage") List<Damage> damage,
                                               @ForAll @IntRange(min = 0, max = 1 << 20) int seed) {
        try (Arena arena = Arena.ofConfined()) {
            Heap heap = build(arena, payloads);
            java.util.Random random = new java.util.Random(seed);
            Set<Integer> damaged = new TreeSet<>();
            for (Damage d : damage) {
                int i = random.nextInt(heap.blocks.size());
                damaged.add(i);
                spoil(heap, heap.blocks.get(i), d);
            }
            List<Range> expected = model(heap, damaged);
            List<Range> reported = new ArrayList<>();
            List<Long> visited = new ArrayList<>();
            HeapWalker.walkResynchronising(heap.memory, START, heap.end, HeapWalker.LAYOUT_RULES,
                    (offset, count, meta, blockBytes) -> visited.add(offset), (from, to, what) -> reported.add(new Range(from, to)));
            assertThat(reported).isEqualTo(expected);
            List<Long> outside = new ArrayList<>();
            for (Block b : heap.blocks) {
                if (expected.stream().noneMatch(r -> b.offset() >= r.start() && b.offset() < r.end())) {
                    outside.add(b.offset());
                }
            }
            assertThat(visited).as("every block outside the ranges is visited, as built").isEqualTo(outside);
            for (int i : damaged) {
                long at = heap.blocks.get(i).offset();
                assertThat(reported).as("the damaged block at 0x%x is in a range", at).anyMatch(r -> at >= r.start() && at < r.end());
            }
        }
    }

    @Property(tries = 200)
    void damageFarApartGivesOneRangePerDamagedBlockExactly(@ForAll("payloads") List<Integer> payloads,
                                                          @ForAll("damage") List<Damage> damage,
                                                          @ForAll @IntRange(min = 0, max = 1 << 20) int seed) {
        try (Arena arena = Arena.ofConfined()) {
            Heap heap = build(arena, payloads);
            java.util.Random random = new java.util.Random(seed);
            List<Integer> damaged = new ArrayList<>();
            int next = random.nextInt(3);
            for (Damage d : damage) {
                if (next >= heap.blocks.size()) {
                    break;
                }
                damaged.add(next);
                spoil(heap, heap.blocks.get(next), d);
                next += HeapWalker.CONFIRM_BLOCKS + 2 + random.nextInt(4); // CONFIRM_BLOCKS + 1 intact blocks between, or more
            }
            List<Range> reported = new ArrayList<>();
            HeapWalker.walkResynchronising(heap.memory, START, heap.end, HeapWalker.LAYOUT_RULES,
                    (offset, count, meta, blockBytes) -> true, (from, to, what) -> reported.add(new Range(from, to)));
            List<Range> expected = new ArrayList<>();
            for (int i : damaged) {
                Block b = heap.blocks.get(i);
                expected.add(new Range(b.offset(), b.offset() + b.bytes()));
            }
            assertThat(reported).isEqualTo(expected);
        }
    }

    @Property(tries = 300)
    void garbageAnywhereNeverThrowsAndTheWalkTilesTheHeap(@ForAll("payloads") List<Integer> payloads,
                                                          @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 1 << 20) Integer> hits,
                                                          @ForAll @IntRange(min = 0, max = 1 << 20) int seed) {
        try (Arena arena = Arena.ofConfined()) {
            Heap heap = build(arena, payloads);
            java.util.Random random = new java.util.Random(seed);
            long heapBytes = heap.end - START;
            for (int hit : hits) {
                long at = START + (hit % heapBytes & -8L);
                heap.memory.set(LONG, at, random.nextLong() >>> random.nextInt(64));
            }
            long[] next = {START};
            HeapWalker.walkResynchronising(heap.memory, START, heap.end, HeapWalker.LAYOUT_RULES,
                    (offset, count, meta, blockBytes) -> {
                        assertThat(offset).isEqualTo(next[0]);
                        next[0] = offset + blockBytes;
                        return true;
                    }, (from, to, what) -> {
                        assertThat(from).isEqualTo(next[0]);
                        assertThat(to).isGreaterThan(from).isLessThanOrEqualTo(heap.end);
                        assertThat(what).isNotBlank();
                        next[0] = to;
                    });
            assertThat(next[0]).as("blocks and ranges tile the heap up to the bump offset").isEqualTo(heap.end);
        }
    }

    /** The rule, block by block: see the class comment. */
    private static List<Range> model(Heap heap, Set<Integer> damaged) {
        List<Range> ranges = new ArrayList<>();
        List<Block> blocks = heap.blocks;
        int i = 0;
        while (i < blocks.size()) {
            if (!damaged.contains(i)) {
                i++;
                continue;
            }
            int j = i + 1;
            while (j < blocks.size() && !confirmed(blocks.size(), damaged, j)) {
                j++;
            }
            ranges.add(new Range(blocks.get(i).offset(), j < blocks.size() ? blocks.get(j).offset() : heap.end));
            i = j;
        }
        return ranges;
    }

    /** Whether block j and the next CONFIRM_BLOCKS blocks (those that exist) are intact. */
    private static boolean confirmed(int blockCount, Set<Integer> damaged, int j) {
        for (int t = j; t <= j + HeapWalker.CONFIRM_BLOCKS && t < blockCount; t++) {
            if (damaged.contains(t)) {
                return false;
            }
        }
        return true;
    }

    private static void spoil(Heap heap, Block b, Damage d) {
        long metaAt = b.offset() + ObjectHeaderDescriptor.META_OFFSET;
        switch (d) {
            case TYPE_ID_ZERO -> heap.memory.set(LONG, metaAt, ObjectHeaderDescriptor.meta(TypeIds.INVALID, b.bytes() - 16));
            case RESERVED_TYPE_ID -> heap.memory.set(LONG, metaAt, ObjectHeaderDescriptor.meta(TypeIds.REFERENCE_ARRAY + 7, b.bytes() - 16));
            case RUNS_PAST_THE_END -> heap.memory.set(LONG, metaAt, ObjectHeaderDescriptor.meta(TypeIds.RAW, heap.end));
            case ZEROED_HEADER -> {
                heap.memory.set(LONG, b.offset(), 0L);
                heap.memory.set(LONG, metaAt, 0L);
            }
        }
    }

    /** A heap built in memory. */
    private record Heap(MemorySegment memory, List<Block> blocks, long end) {
    }

    /**
     * Lays blocks out as the allocator would: payload lengths give class-sized blocks, one of
     * 64 KiB or more starts on a page (the gap before it carved into free blocks); counts are
     * 0 (free), small positive or immortal.
     */
    private static Heap build(Arena arena, List<Integer> payloads) {
        long bytes = START;
        for (int p : payloads) {
            bytes += StoreFormat.PAGE_SIZE + SizeClasses.blockBytes(p);
        }
        MemorySegment memory = arena.allocate(bytes + StoreFormat.PAGE_SIZE, StoreFormat.PAGE_SIZE);
        List<Block> blocks = new ArrayList<>();
        long at = START;
        int n = 0;
        for (int p : payloads) {
            long size = SizeClasses.blockBytes(p);
            if (size >= SizeClasses.LARGE_BLOCK_BYTES) {
                long page = StoreFormat.alignToPage(at);
                while (at < page) {
                    long gap = SizeClasses.largestSizeAtMost(page - at);
                    at = put(memory, blocks, at, 0, ObjectHeaderDescriptor.meta(TypeIds.RAW, gap - 16));
                }
            }
            long count = switch (n++ % 4) {
                case 0 -> 0;
                case 1 -> ObjectHeaderDescriptor.IMMORTAL_COUNT;
                default -> 1 + n % 7;
            };
            int type = n % 3 == 0 ? TypeIds.BYTE_ARRAY : TypeIds.FIRST_USER_TYPE_ID + n % 5;
            at = put(memory, blocks, at, count, ObjectHeaderDescriptor.meta(type, p));
        }
        return new Heap(memory, blocks, at);
    }

    private static long put(MemorySegment memory, List<Block> blocks, long at, long count, long meta) {
        long size = ObjectHeaderDescriptor.blockBytes(meta);
        memory.set(LONG, at + ObjectHeaderDescriptor.REFERENCE_COUNT_OFFSET, count);
        memory.set(LONG, at + ObjectHeaderDescriptor.META_OFFSET, meta);
        blocks.add(new Block(at, size));
        return at + size;
    }

    @Provide
    Arbitrary<List<Integer>> payloads() {
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 2000);
        Arbitrary<Integer> large = Arbitraries.integers().between(64 * 1024 - 16, 80 * 1024);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, small),
                net.jqwik.api.Tuple.of(1, large)).list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Damage>> damage() {
        return Arbitraries.of(Damage.class).list().ofMinSize(1).ofMaxSize(8);
    }
}
