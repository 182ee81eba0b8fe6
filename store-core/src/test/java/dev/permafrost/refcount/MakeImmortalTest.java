package dev.permafrost.refcount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.alloc.BlockStarts;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Freeze's step, {@link RefCounts#makeImmortal}: a live count becomes immortal, a zero count
 * (an object whose last release won the race) stays zero, and an immortal one stays as it is.
 */
class MakeImmortalTest {
    private static final long OBJECT = StoreFormat.HEAP_START_OFFSET;

    @Test
    void aLiveCountBecomesImmortal() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment heap = heap(arena, 3);
            assertThat(new RefCounts(heap, Path.of("t.pf"), arena, BlockStarts.map(heap.byteSize(), Path.of("t.pf")), String::valueOf).makeImmortal(OBJECT)).isTrue();
            assertThat(heap.get(ValueLayout.JAVA_LONG, OBJECT)).isEqualTo(ObjectHeaderDescriptor.IMMORTAL_COUNT);
        }
    }

    @Test
    void aCountThatReachedZeroStaysAFreeBlock() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment heap = heap(arena, 0);
            assertThat(new RefCounts(heap, Path.of("t.pf"), arena, BlockStarts.map(heap.byteSize(), Path.of("t.pf")), String::valueOf).makeImmortal(OBJECT)).isFalse();
            assertThat(heap.get(ValueLayout.JAVA_LONG, OBJECT)).isZero();
        }
    }

    @Test
    void anImmortalCountIsLeftAlone() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment heap = heap(arena, ObjectHeaderDescriptor.IMMORTAL_COUNT - 1); // a racing step not yet undone
            assertThat(new RefCounts(heap, Path.of("t.pf"), arena, BlockStarts.map(heap.byteSize(), Path.of("t.pf")), String::valueOf).makeImmortal(OBJECT)).isTrue();
            assertThat(heap.get(ValueLayout.JAVA_LONG, OBJECT)).isEqualTo(ObjectHeaderDescriptor.IMMORTAL_COUNT - 1);
        }
    }

    private static MemorySegment heap(Arena arena, long count) {
        MemorySegment heap = arena.allocate(OBJECT + StoreFormat.PAGE_SIZE, StoreFormat.PAGE_SIZE);
        heap.set(ValueLayout.JAVA_LONG, OBJECT, count);
        return heap;
    }
}
