package dev.permafrost.layout;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The meta word over the full ranges of type id and payload length, and the count word's values. */
class ObjectHeaderDescriptorProperties {
    @Property
    void metaRoundTripsTypeIdAndPayloadLength(@ForAll @IntRange(min = 0, max = ObjectHeaderDescriptor.MAX_TYPE_ID) int typeId,
                                              @ForAll @LongRange(min = 0, max = ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES) long payloadBytes) {
        long meta = ObjectHeaderDescriptor.meta(typeId, payloadBytes);
        assertThat(ObjectHeaderDescriptor.typeId(meta)).isEqualTo(typeId);
        assertThat(ObjectHeaderDescriptor.payloadBytes(meta)).isEqualTo(payloadBytes);
        assertThat(ObjectHeaderDescriptor.blockBytes(meta)).isEqualTo(SizeClasses.blockBytes(payloadBytes));
    }

    @Example
    void metaRoundTripsAtTheEndsOfBothRanges() {
        int[] typeIds = {0, 1, TypeIds.FIRST_USER_TYPE_ID, 1 << 23, ObjectHeaderDescriptor.MAX_TYPE_ID};
        long[] payloads = {0, 1, 1L << 39, ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES};
        for (int typeId : typeIds) {
            for (long payload : payloads) {
                long meta = ObjectHeaderDescriptor.meta(typeId, payload);
                assertThat(ObjectHeaderDescriptor.typeId(meta)).isEqualTo(typeId);
                assertThat(ObjectHeaderDescriptor.payloadBytes(meta)).isEqualTo(payload);
            }
        }
    }

    @Example
    void typeIdTakesTheTop24BitsAndPayloadTheLow40() {
        assertThat(ObjectHeaderDescriptor.TYPE_ID_BITS + ObjectHeaderDescriptor.PAYLOAD_LENGTH_BITS).isEqualTo(64);
        assertThat(ObjectHeaderDescriptor.meta(ObjectHeaderDescriptor.MAX_TYPE_ID, 0)).isEqualTo(0xFFFFFF0000000000L);
        assertThat(ObjectHeaderDescriptor.meta(0, ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES)).isEqualTo(0x000000FFFFFFFFFFL);
        assertThat(ObjectHeaderDescriptor.meta(TypeIds.RAW, 24)).isEqualTo(0x0000010000000018L);
    }

    @Example
    void theImmortalCountIsTheMiddleOfTheNegativeRange() {
        assertThat(ObjectHeaderDescriptor.IMMORTAL_COUNT).isEqualTo(0xC000000000000000L).isEqualTo(-(1L << 62));
        assertThat(ObjectHeaderDescriptor.isImmortal(ObjectHeaderDescriptor.IMMORTAL_COUNT)).isTrue();
        // a billion stray increments or decrements leave it immortal
        assertThat(ObjectHeaderDescriptor.isImmortal(ObjectHeaderDescriptor.IMMORTAL_COUNT + 1_000_000_000L)).isTrue();
        assertThat(ObjectHeaderDescriptor.isImmortal(ObjectHeaderDescriptor.IMMORTAL_COUNT - 1_000_000_000L)).isTrue();
        assertThat(ObjectHeaderDescriptor.isImmortal(ObjectHeaderDescriptor.FREE_COUNT)).isFalse();
        assertThat(ObjectHeaderDescriptor.isImmortal(1)).isFalse();
    }

    @Example
    void aFreeBlocksNextPointerIsItsFirstPayloadWord() {
        assertThat(ObjectHeaderDescriptor.FREE_NEXT_OFFSET).isEqualTo(ObjectHeaderDescriptor.LENGTH);
        assertThat(SizeClasses.MIN_FREE_LIST_BLOCK_BYTES).isEqualTo(StoreFormat.alignToObject(ObjectHeaderDescriptor.FREE_NEXT_OFFSET + 8));
    }
}
