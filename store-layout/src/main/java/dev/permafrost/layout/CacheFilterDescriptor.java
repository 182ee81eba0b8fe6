package dev.permafrost.layout;

import java.lang.foreign.ValueLayout;

/**
 * The filter of a cache version: a raw object of {@code W × 8} bytes, {@code W ≥ 1}, read
 * before the table so that a lookup of an absent key ends, most of the time, after one load
 * and one well-predicted branch ({@code docs/FORMAT.md}, "Cache versions", "Filter"). It is a
 * Bloom filter blocked to one 64-bit word: each entry sets {@link #PROBES} bits of the word
 * {@link #word} picks, and a key whose bits are not all set in its word is absent. A key whose
 * bits are all set may be present, and the table answers.
 *
 * <pre>
 *  word   = high 64 bits of hash × W                        (as the table's home slot)
 *  mixed  = hash × 0x9E3779B97F4A7C15 (mod 2^64)
 *  mask   = 1 &lt;&lt; (mixed &gt;&gt;&gt; 58) | 1 &lt;&lt; (mixed &gt;&gt;&gt; 52 &amp; 63)
 *         | 1 &lt;&lt; (mixed &gt;&gt;&gt; 46 &amp; 63) | 1 &lt;&lt; (mixed &gt;&gt;&gt; 40 &amp; 63)
 *  absent if (filter[word] &amp; mask) != mask
 * </pre>
 *
 * <p>The hash is the table's ({@code docs/FORMAT.md}, "KeyHash"), by the header's algorithm.
 * The writer sizes the filter for {@link #BITS_PER_ENTRY} bits an entry and then to fill its
 * store block; a reader takes {@code W} from the object's length, so a writer may give more
 * bits or fewer without a format change. At 8 bits an entry about 3.3% of absent keys pass.
 */
public final class CacheFilterDescriptor {
    /** Bytes of one word. */
    public static final int WORD_LENGTH = 8;
    /** Bits a key sets in its word. */
    public static final int PROBES = 4;
    /** Bits of filter a writer gives each entry, before the block is filled. */
    public static final int BITS_PER_ENTRY = 8;
    /** The odd multiplier that mixes the hash into the bits' positions (2^64 / φ). */
    public static final long MIX = 0x9E3779B97F4A7C15L;
    /** A word as the filter's payload holds it: 8-aligned (the payload is 16-aligned), little-endian. */
    public static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG.withOrder(StoreFormat.BYTE_ORDER);

    private CacheFilterDescriptor() {
    }

    /**
     * Returns the words a writer gives that many entries: {@link #BITS_PER_ENTRY} bits each, one
     * word at least, and as many more as the filter's store block holds anyway ({@link SizeClasses}:
     * those words cost no file byte).
     *
     * @param entryCount the entries, at least 0
     * @return the filter's words, at least 1
     */
    public static long wordCount(long entryCount) {
        long words = Math.max(1, (entryCount * BITS_PER_ENTRY + Long.SIZE - 1) / Long.SIZE);
        return (SizeClasses.blockBytes(words * WORD_LENGTH) - ObjectHeaderDescriptor.LENGTH) / WORD_LENGTH;
    }

    /**
     * Returns the word a key's bits are in.
     *
     * @param hash  the key's hash
     * @param words the filter's words
     * @return the high half of {@code hash × words}, unsigned: below {@code words}
     */
    public static long word(long hash, long words) {
        return Math.unsignedMultiplyHigh(hash, words);
    }

    /**
     * Returns a key's bits in its word.
     *
     * @param hash the key's hash
     * @return {@link #PROBES} bits, or fewer where two positions coincide
     */
    public static long mask(long hash) {
        long mixed = hash * MIX;
        return 1L << (mixed >>> 58) | 1L << (mixed >>> 52) | 1L << (mixed >>> 46) | 1L << (mixed >>> 40);
    }

    /**
     * Returns the byte offset of a word in the filter's payload.
     *
     * @param word the word, below the filter's words
     * @return bytes from the start of the filter's payload
     */
    public static long wordOffset(long word) {
        return word * WORD_LENGTH;
    }
}
