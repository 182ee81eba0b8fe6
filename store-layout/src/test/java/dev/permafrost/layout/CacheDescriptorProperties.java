package dev.permafrost.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** The cache version's header, slots and entries: round trips, and the bytes the format fixes. */
class CacheDescriptorProperties {
    @Property(tries = 200)
    void aHeaderRoundTrips(@ForAll @LongRange(min = 0, max = 1L << 40) long entries, @ForAll long version,
                           @ForAll @StringLength(max = 40) String keyCodec, @ForAll @StringLength(max = 40) String valueCodec,
                           @ForAll boolean stringHashed) {
        int algorithm = stringHashed ? CacheHeaderDescriptor.HASH_STRING : CacheHeaderDescriptor.HASH_KEY_BYTES;
        CacheHeaderDescriptor.Header header = CacheHeaderDescriptor.Header.current(algorithm, entries, entries + 1, 0x3000, 0x4000, 0x5000, 7,
                3, entries * 16, entries * 100, version, keyCodec, valueCodec);
        MemorySegment payload = MemorySegment.ofArray(new byte[(int) CacheHeaderDescriptor.headerBytes(
                utf8(keyCodec), utf8(valueCodec))]);
        CacheHeaderDescriptor.encode(payload, header);
        assertThat(CacheHeaderDescriptor.hasMagic(payload)).isTrue();
        CacheHeaderDescriptor.Header decoded = CacheHeaderDescriptor.decode(payload);
        assertThat(decoded.keyCodecName()).isEqualTo(new String(keyCodec.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8)); // unpaired surrogates become '?' in UTF-8
        assertThat(decoded.isKnownFormat()).isTrue();
        assertThat(decoded.hashAlgorithm()).isEqualTo(algorithm);
        assertThat(decoded.entryCount()).isEqualTo(entries);
        assertThat(decoded.version()).isEqualTo(version);
        assertThat(decoded.filterOffset()).isEqualTo(0x4000);
        assertThat(decoded).isEqualTo(new CacheHeaderDescriptor.Header(header.formatVersion(), algorithm, header.positionBits(),
                header.chunkShift(), header.loadPercent(), entries, entries + 1, 0x3000, 0x4000, 0x5000, 7, 3, entries * 16,
                entries * 100, version, decoded.keyCodecName(), decoded.valueCodecName()));
    }

    @Example
    void aHeaderIsTheBytesFormatMdGives() {
        MemorySegment payload = MemorySegment.ofArray(new byte[(int) CacheHeaderDescriptor.headerBytes(5, 2)]);
        CacheHeaderDescriptor.encode(payload, CacheHeaderDescriptor.Header.current(
                CacheHeaderDescriptor.HASH_KEY_BYTES, 3, 5, 0x3000, 0x3020, 0x3040, 1, 2, 12, 30, 9,
                "bytes", "ab"));
        assertThat(HexFormat.of().formatHex(payload.toArray(ValueLayout.JAVA_BYTE))).isEqualTo(
                "5046434143484531" + "03000000" + "01" + "28" + "14" + "50"
                        + "0300000000000000" + "0500000000000000" + "0030000000000000" + "4030000000000000"
                        + "01000000" + "02000000" + "0c00000000000000" + "1e00000000000000" + "0900000000000000"
                        + "2030000000000000"
                        + "0500" + "6279746573" + "0200" + "6162");
        assertThat(CacheHeaderDescriptor.MAGIC).isEqualTo(0x3145484341434650L);
    }

    @Example
    void aPayloadWithoutTheMagicOrTooShortIsNoHeader() {
        assertThat(CacheHeaderDescriptor.hasMagic(MemorySegment.ofArray(new byte[200]))).isFalse();
        MemorySegment shortOne = MemorySegment.ofArray(new byte[CacheHeaderDescriptor.FIXED_LENGTH]);
        shortOne.set(StoreFormat.LONG, 0, CacheHeaderDescriptor.MAGIC);
        assertThat(CacheHeaderDescriptor.hasMagic(shortOne)).isFalse();
        MemorySegment truncated = MemorySegment.ofArray(new byte[(int) CacheHeaderDescriptor.headerBytes(0, 0)]);
        truncated.set(StoreFormat.LONG, 0, CacheHeaderDescriptor.MAGIC);
        truncated.set(StoreFormat.SHORT, CacheHeaderDescriptor.CODEC_NAMES_OFFSET, (short) 300);
        assertThatThrownBy(() -> CacheHeaderDescriptor.decode(truncated)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Property
    void theHomeSlotsKeepALoadOfAtMost80PercentAndWithTheTailFillTheirBlock(
            @ForAll @LongRange(min = 0, max = 50_000_000) long entries) {
        long fewest = CacheSlotDescriptor.homeSlotCount(entries);
        long tail = CacheSlotDescriptor.tailSlots(fewest);
        long home = CacheSlotDescriptor.homeSlotsFillingTheBlock(fewest, tail);
        assertThat(home).isGreaterThanOrEqualTo(fewest).isGreaterThan(entries);
        assertThat(entries * 100).isLessThanOrEqualTo(home * CacheHeaderDescriptor.LOAD_PERCENT);
        assertThat(tail).isBetween(1L, CacheSlotDescriptor.MAX_DISPLACEMENT + 1L);
        long block = SizeClasses.blockBytes((home + tail) * CacheSlotDescriptor.SLOT_LENGTH);
        assertThat(block - ObjectHeaderDescriptor.LENGTH - (home + tail) * CacheSlotDescriptor.SLOT_LENGTH).isBetween(0L, 7L);
    }

    @Example
    void aMillionEntriesHave1310462HomeSlotsAndATailOf256() {
        long fewest = CacheSlotDescriptor.homeSlotCount(1_000_000);
        assertThat(fewest).isEqualTo(1_250_000);
        assertThat(CacheSlotDescriptor.tailSlots(fewest)).isEqualTo(256);
        assertThat(CacheSlotDescriptor.homeSlotsFillingTheBlock(fewest, 256)).isEqualTo(1_310_718 - 256);
        assertThat(CacheSlotDescriptor.homeSlotCount(0)).as("one slot at least").isEqualTo(1);
        assertThat(CacheSlotDescriptor.tailSlots(1)).isEqualTo(1);
    }

    @Property
    void theFilterGivesEachEntryEightBitsAtLeastAndFillsItsBlock(@ForAll @LongRange(min = 0, max = 50_000_000) long entries) {
        long words = CacheFilterDescriptor.wordCount(entries);
        assertThat(words).isPositive();
        assertThat(words * Long.SIZE).isGreaterThanOrEqualTo(entries * CacheFilterDescriptor.BITS_PER_ENTRY);
        long block = SizeClasses.blockBytes(words * CacheFilterDescriptor.WORD_LENGTH);
        assertThat(block - ObjectHeaderDescriptor.LENGTH - words * CacheFilterDescriptor.WORD_LENGTH).isBetween(0L, 7L);
    }

    @Property
    void aKeySetsAtMostFourBitsOfAWordBelowTheWordCount(@ForAll long hash, @ForAll @LongRange(min = 1) long words) {
        assertThat(Long.bitCount(CacheFilterDescriptor.mask(hash))).isBetween(1, CacheFilterDescriptor.PROBES);
        assertThat(CacheFilterDescriptor.word(hash, words)).isBetween(0L, words - 1);
    }

    @Example
    void theFilterBitsAreTheOnesFormatMdComputes() {
        assertThat(CacheFilterDescriptor.mask(1)).as("bits 39, 35, 29, 57").isEqualTo(0x0200008820000000L);
        assertThat(CacheFilterDescriptor.mask(0x0123456789ABCDEFL)).as("bits 3, 9, 14, 39").isEqualTo(0x0000008000004208L);
        assertThat(CacheFilterDescriptor.word(0x0123456789ABCDEFL, 1000)).isEqualTo(4);
        assertThat(CacheFilterDescriptor.wordCount(1_000_000)).as("125,000 words, the block's 131,070").isEqualTo(131_070);
    }

    @Example
    void aFilterPassesEveryEntryAndAboutThreePercentOfOtherKeys() {
        int entries = 200_000;
        long words = CacheFilterDescriptor.wordCount(entries);
        long[] filter = new long[Math.toIntExact(words)];
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        long[] hashes = random.longs(entries).toArray();
        for (long hash : hashes) {
            filter[(int) CacheFilterDescriptor.word(hash, words)] |= CacheFilterDescriptor.mask(hash);
        }
        for (long hash : hashes) {
            long bits = CacheFilterDescriptor.mask(hash);
            assertThat(filter[(int) CacheFilterDescriptor.word(hash, words)] & bits).isEqualTo(bits);
        }
        int others = 1_000_000;
        long passed = random.longs(others).filter(hash -> {
            long bits = CacheFilterDescriptor.mask(hash);
            return (filter[(int) CacheFilterDescriptor.word(hash, words)] & bits) == bits;
        }).count();
        assertThat((double) passed / others).as("false positives: about 3.3%% at 8 bits an entry").isBetween(0.02, 0.045);
    }

    @Property
    void aSlotHoldsDisplacementFingerprintAndPosition(@ForAll long hash,
            @ForAll @IntRange(min = 0, max = CacheSlotDescriptor.MAX_DISPLACEMENT) int displacement,
            @ForAll @LongRange(min = 1, max = (1L << 40) - 1) long position) {
        long slot = CacheSlotDescriptor.slot(hash, displacement, position);
        assertThat(slot).isNotEqualTo(CacheSlotDescriptor.EMPTY);
        assertThat(CacheSlotDescriptor.position(slot)).isEqualTo(position);
        assertThat(CacheSlotDescriptor.fingerprint(slot)).isEqualTo(hash & CacheSlotDescriptor.FINGERPRINT_MASK);
        assertThat(CacheSlotDescriptor.displacement(slot)).isEqualTo(displacement);
        assertThat(slot >>> CacheSlotDescriptor.TAG_SHIFT).isEqualTo(CacheSlotDescriptor.tag(hash, displacement));
        assertThat(CacheSlotDescriptor.homeSlot(hash, 1_310_718)).isBetween(0L, 1_310_717L);
        long chunk = position >>> CacheEntryDescriptor.CHUNK_SHIFT;
        assertThat(CacheEntryDescriptor.position(CacheEntryDescriptor.chunkIndex(position), CacheEntryDescriptor.inChunk(position)))
                .isEqualTo(position);
        assertThat(CacheEntryDescriptor.chunkIndex(position)).isEqualTo((int) chunk).isLessThan((int) CacheEntryDescriptor.MAX_CHUNKS);
    }

    @Property
    void aVarintRoundTripsInItsLength(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE >>> 1) long value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(16);
            long end = CacheEntryDescriptor.putVarint(memory, 1, value);
            assertThat(end - 1).isEqualTo(CacheEntryDescriptor.varintBytes(value));
            assertThat(CacheEntryDescriptor.varintEnd(memory, 1)).isEqualTo(end);
            assertThat(CacheEntryDescriptor.getVarint(memory, 1)).isEqualTo(value);
        }
    }

    @Example
    void theKeyFieldMarksAnOutOfLineValueInItsLowBit() {
        assertThat(CacheEntryDescriptor.keyField(16, false)).isEqualTo(32);
        assertThat(CacheEntryDescriptor.keyField(16, true)).isEqualTo(33);
        assertThat(CacheEntryDescriptor.MAX_CHUNK_PAYLOAD_BYTES + ObjectHeaderDescriptor.LENGTH).isEqualTo(1L << 20);
    }

    private static int utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
