package dev.permafrost.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of {@link SizeClasses}, checked against a reference model: the set of the 312
 * class sizes, and the arithmetic the format promises (at most 1/8 slack above 1 KiB).
 */
class SizeClassesProperties {
    private static final long LAST_CLASS_BYTES = SizeClasses.sizeOf(SizeClasses.COUNT - 1);
    private static final Set<Long> CLASS_SIZES = new HashSet<>();

    static {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            CLASS_SIZES.add(SizeClasses.sizeOf(c));
        }
    }

    @Example
    void classOfIsTheInverseOfSizeOfForEveryClass() {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            assertThat(SizeClasses.classOf(SizeClasses.sizeOf(c))).as("class %d", c).isEqualTo(c);
        }
    }

    @Example
    void classSizesAreStrictlyIncreasingMultiplesOf16FromOneHeaderTo2TiB() {
        assertThat(SizeClasses.sizeOf(0)).isEqualTo(SizeClasses.MIN_BLOCK_BYTES);
        assertThat(LAST_CLASS_BYTES).isEqualTo(1L << 41);
        assertThat(CLASS_SIZES).hasSize(SizeClasses.COUNT);
        for (int c = 1; c < SizeClasses.COUNT; c++) {
            assertThat(SizeClasses.sizeOf(c)).as("class %d", c).isGreaterThan(SizeClasses.sizeOf(c - 1));
            assertThat(SizeClasses.sizeOf(c) % StoreFormat.OBJECT_ALIGNMENT).isZero();
        }
        assertThat(SizeClasses.sizeOf(63)).isEqualTo(SizeClasses.EXACT_CLASS_LIMIT_BYTES);
        assertThat(SizeClasses.classOf(SizeClasses.LARGE_BLOCK_BYTES)).as("64 KiB is a class size")
                .satisfies(c -> assertThat(SizeClasses.sizeOf(c)).isEqualTo(SizeClasses.LARGE_BLOCK_BYTES));
    }

    @Example
    void theLargestPayloadFitsAClass() {
        long block = SizeClasses.blockBytes(ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES);
        assertThat(block).isGreaterThanOrEqualTo(ObjectHeaderDescriptor.LENGTH + ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES);
        assertThat(SizeClasses.classOf(ObjectHeaderDescriptor.LENGTH + ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES))
                .isLessThan(SizeClasses.COUNT);
        assertThat(SizeClasses.isClassSize(block)).isTrue();
    }

    @Property
    void classOfGivesTheSmallestClassThatHoldsTheNeed(@ForAll @LongRange(min = 1, max = 1L << 41) long neededBytes) {
        int c = SizeClasses.classOf(neededBytes);
        assertThat(SizeClasses.sizeOf(c)).isGreaterThanOrEqualTo(neededBytes);
        if (c > 0) {
            assertThat(SizeClasses.sizeOf(c - 1)).isLessThan(neededBytes);
        }
    }

    @Property
    void blockBytesHoldHeaderAndPayload(@ForAll @LongRange(min = 0, max = ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES) long payloadBytes) {
        long block = SizeClasses.blockBytes(payloadBytes);
        assertThat(block).isGreaterThanOrEqualTo(ObjectHeaderDescriptor.LENGTH + payloadBytes);
        assertThat(CLASS_SIZES).contains(block);
    }

    @Property
    void blockBytesAreExactUpTo1KiBAndWithinOneEighthAbove(
            @ForAll @LongRange(min = 0, max = ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES) long payloadBytes) {
        long needed = ObjectHeaderDescriptor.LENGTH + payloadBytes;
        long block = SizeClasses.blockBytes(payloadBytes);
        if (needed <= SizeClasses.EXACT_CLASS_LIMIT_BYTES) {
            assertThat(block).isEqualTo(StoreFormat.alignToObject(needed));
        } else {
            // block < 9/8 * needed + 16, in integers: 8 * block < 9 * needed + 128
            assertThat(8 * block).as("block %d for %d needed bytes", block, needed).isLessThan(9 * needed + 128);
        }
    }

    @Property
    void blockBytesAreWithinOneEighthForSmallPayloadsToo(@ForAll @LongRange(min = 1009, max = 1 << 20) long payloadBytes) {
        long needed = ObjectHeaderDescriptor.LENGTH + payloadBytes;
        assertThat(8 * SizeClasses.blockBytes(payloadBytes)).isLessThan(9 * needed + 128);
    }

    @Property
    void blockBytesAndClassesAreMonotone(@ForAll @LongRange(min = 0, max = ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES) long a,
                                         @ForAll @LongRange(min = 0, max = ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES) long b) {
        long small = Math.min(a, b);
        long large = Math.max(a, b);
        assertThat(SizeClasses.blockBytes(small)).isLessThanOrEqualTo(SizeClasses.blockBytes(large));
        assertThat(SizeClasses.classOf(small + 1)).isLessThanOrEqualTo(SizeClasses.classOf(large + 1));
    }

    @Property
    void everyMultipleOf16DecomposesIntoClassSizesLargestFirst(@ForAll @LongRange(min = 1, max = 1L << 40) long sixteens) {
        long remaining = 16 * sixteens;
        int pieces = 0;
        while (remaining > 0) {
            long size = SizeClasses.largestSizeAtMost(remaining);
            assertThat(SizeClasses.isClassSize(size)).as("piece %d of %d", size, remaining).isTrue();
            assertThat(size).isLessThanOrEqualTo(remaining);
            int c = SizeClasses.classOf(size);
            if (c + 1 < SizeClasses.COUNT) {
                assertThat(SizeClasses.sizeOf(c + 1)).as("the next class is too large").isGreaterThan(remaining);
            }
            remaining -= size;
            pieces++;
        }
        assertThat(pieces).isLessThanOrEqualTo(16 * 1024);
    }

    @Example
    void everyMultipleOf16UpTo1MiBDecomposes() {
        for (long bytes = 16; bytes <= 1 << 20; bytes += 16) {
            long size = SizeClasses.largestSizeAtMost(bytes);
            assertThat(size).isLessThanOrEqualTo(bytes);
            assertThat(CLASS_SIZES).contains(size);
        }
    }

    /** Regression: above the last class, classOf names class 312, which has no size; a size past it came back. */
    @Example
    void largestSizeAtMostNeverAnswersASizeBeyondTheLastClass() {
        long wouldBeClass312 = LAST_CLASS_BYTES + LAST_CLASS_BYTES / 8;
        assertThat(SizeClasses.largestSizeAtMost(wouldBeClass312)).isEqualTo(LAST_CLASS_BYTES);
        assertThat(SizeClasses.largestSizeAtMost(LAST_CLASS_BYTES + 16)).isEqualTo(LAST_CLASS_BYTES);
        assertThat(SizeClasses.largestSizeAtMost(LAST_CLASS_BYTES)).isEqualTo(LAST_CLASS_BYTES);
        assertThat(SizeClasses.largestSizeAtMost(4 * LAST_CLASS_BYTES)).isEqualTo(LAST_CLASS_BYTES);
    }

    @Property
    void isClassSizeIsTrueExactlyForTheClassSizes(@ForAll @LongRange(min = -16, max = 1L << 42) long blockBytes) {
        assertThat(SizeClasses.isClassSize(blockBytes)).as("%d", blockBytes).isEqualTo(CLASS_SIZES.contains(blockBytes));
    }

    @Example
    void isClassSizeAgreesWithTheModelAroundEveryClass() {
        for (long size : CLASS_SIZES) {
            for (long delta = -16; delta <= 16; delta++) {
                long bytes = size + delta;
                assertThat(SizeClasses.isClassSize(bytes)).as("%d", bytes).isEqualTo(CLASS_SIZES.contains(bytes));
            }
        }
        assertThat(SizeClasses.isClassSize(0)).isFalse();
        assertThat(SizeClasses.isClassSize(Long.MAX_VALUE)).isFalse();
    }
}
