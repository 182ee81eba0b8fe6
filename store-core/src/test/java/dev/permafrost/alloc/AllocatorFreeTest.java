package dev.permafrost.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.permafrost.error.ReferenceCountException;
import dev.permafrost.layout.SizeClasses;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The allocator frees a block only from its start, and only once: its last line of defence. */
class AllocatorFreeTest {
    private static final Path FILE = Path.of("t.pf");
    private static final long BYTES = 1 << 20;

    @Test
    void freeOfAnInteriorOffsetOrOfAFreedBlockThrowsAndChangesNoCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment heap = arena.allocate(BYTES, StoreFormat.PAGE_SIZE);
            BlockStarts starts = BlockStarts.map(BYTES, FILE);
            Allocator allocator = new Allocator(heap, FILE, new Allocator.Snapshot(StoreFormat.HEAP_START_OFFSET,
                    new long[SizeClasses.COUNT], 0, 0, 0, 0), BYTES, Allocator.SpaceReserver.NONE, starts);
            long x = allocator.allocate(TypeIds.RAW, 96);
            long y = allocator.allocate(TypeIds.RAW, 96);
            assertThat(starts.isStart(x)).isTrue();
            assertThat(starts.isStart(x + 16)).isFalse();
            assertThat(starts.startAtOrBelow(x + 48, StoreFormat.HEAP_START_OFFSET)).isEqualTo(x);
            ReferenceCountException interior = catchThrowableOfType(ReferenceCountException.class, () -> allocator.free(x + 16));
            assertThat(interior.offset()).isEqualTo(x + 16);
            assertThat(interior.getMessage()).contains("heads no live block");
            assertThat(allocator.snapshot().liveObjects()).isEqualTo(2);
            allocator.free(x);
            assertThat(starts.isStart(x)).isFalse();
            assertThat(catchThrowableOfType(ReferenceCountException.class, () -> allocator.free(x)).offset()).isEqualTo(x);
            assertThat(allocator.snapshot().liveObjects()).isEqualTo(1);
            assertThat(allocator.allocate(TypeIds.RAW, 96)).isEqualTo(x); // freed once: handed out once
            assertThat(allocator.allocate(TypeIds.RAW, 96)).isNotIn(x, y);
        }
    }
}
