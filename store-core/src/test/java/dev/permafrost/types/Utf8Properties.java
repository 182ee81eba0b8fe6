package dev.permafrost.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link Utf8#decode} (a word at a time, ASCII kept as Latin-1) gives exactly what
 * {@code new String(bytes, UTF_8)} gives, for any bytes (malformed ones included), any length
 * around the word boundaries and any alignment, up to the last byte of the memory.
 */
class Utf8Properties {
    @Property
    void decodeEqualsTheJdkDecoderForAnyBytes(@ForAll @Size(max = 70) byte[] bytes, @ForAll @IntRange(max = 15) int at,
                                              @ForAll boolean atTheEnd) {
        try (Arena arena = Arena.ofConfined()) {
            // at the end: the bytes are the segment's last ones, so an over-long read would throw
            long start = atTheEnd ? 0 : at;
            MemorySegment memory = arena.allocate(start + bytes.length + (atTheEnd ? 0 : 16));
            MemorySegment.copy(bytes, 0, memory, ValueLayout.JAVA_BYTE, start, bytes.length);
            assertThat(Utf8.decode(memory, start, bytes.length)).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Property
    void decodeRoundTripsAnyString(@ForAll @Size(max = 40) String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, memory, ValueLayout.JAVA_BYTE, 0, bytes.length);
            assertThat(Utf8.decode(memory, 0, bytes.length)).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        }
    }
}
