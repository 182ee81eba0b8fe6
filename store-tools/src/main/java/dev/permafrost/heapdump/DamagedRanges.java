package dev.permafrost.heapdump;

import dev.permafrost.layout.StoreFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The damaged ranges {@code verify} found in one heap, kept in bounded memory however many a
 * file holds: exact totals for every range (how many, their bytes, the references into them),
 * the details of the first {@code maxKept} only (start, end, what was wrong, references into
 * it), and which 16-byte slots of the heap are damaged, as a bit set (one bit per 16 heap
 * bytes, 8 MiB for a 1 GiB heap, allocated at the first range). The bit set answers "is this
 * offset damaged?" and "where does the next intact stretch start?" for every range, listed or
 * not.
 *
 * <p>Ranges come in address order and never overlap ({@link dev.permafrost.layout.HeapWalker}
 * ends each one at a block it then walks).
 */
final class DamagedRanges {
    private final long heapStartOffset;
    private final long endOffset;
    private final int maxKept;
    private final List<Verifier.Damage> kept = new ArrayList<>();
    /** {@code referencesInto[i]}: references that point into {@code kept.get(i)}. */
    private long[] referencesInto = new long[16];
    private long ranges;
    private long bytes;
    private long referencesIntoOmitted;
    /** Bit {@code s} set: the 16 bytes at {@code heapStartOffset + 16 s} are in a damaged range; null until the first range. */
    private long[] damagedSlots;

    /**
     * Starts an empty set of ranges.
     *
     * @param heapStartOffset the heap start
     * @param endOffset       the bump offset
     * @param maxKept         how many ranges keep their details
     */
    DamagedRanges(long heapStartOffset, long endOffset, int maxKept) {
        this.heapStartOffset = heapStartOffset;
        this.endOffset = endOffset;
        this.maxKept = maxKept;
    }

    /**
     * Records a range; calls come in address order.
     *
     * @param startOffset the bad header, 16-aligned
     * @param rangeEndOffset where the walk restarted, 16-aligned, at most the bump offset
     * @param what        what was wrong with the header
     */
    void add(long startOffset, long rangeEndOffset, String what) {
        ranges++;
        bytes += rangeEndOffset - startOffset;
        if (kept.size() < maxKept) {
            if (kept.size() == referencesInto.length) {
                referencesInto = java.util.Arrays.copyOf(referencesInto, referencesInto.length * 2);
            }
            kept.add(new Verifier.Damage(startOffset, rangeEndOffset, what));
        }
        if (damagedSlots == null) {
            damagedSlots = new long[Math.toIntExact(((endOffset - heapStartOffset) / StoreFormat.OBJECT_ALIGNMENT + 63) >>> 6)];
        }
        long from = slot(startOffset);
        long to = slot(rangeEndOffset); // exclusive
        for (long s = from; s < to; ) {
            int w = (int) (s >>> 6);
            long wordEnd = Math.min(to, ((long) w + 1) << 6);
            long bits = wordEnd - s == 64 ? -1L : ((1L << (wordEnd - s)) - 1) << s;
            damagedSlots[w] |= bits;
            s = wordEnd;
        }
    }

    /** {@return whether the heap has no damaged range} */
    boolean isEmpty() {
        return ranges == 0;
    }

    /** {@return every damaged range, listed or not} */
    long count() {
        return ranges;
    }

    /** {@return bytes of every damaged range} */
    long bytes() {
        return bytes;
    }

    /** {@return the ranges whose details are kept: the first ones, in address order} */
    List<Verifier.Damage> kept() {
        return kept;
    }

    /** {@return ranges counted but not kept} */
    long omitted() {
        return ranges - kept.size();
    }

    /** {@return the most ranges whose details are kept} */
    int maxKept() {
        return maxKept;
    }

    /**
     * Returns the references counted into a kept range.
     *
     * @param index the range's index in {@link #kept()}
     * @return references into it
     */
    long referencesInto(int index) {
        return referencesInto[index];
    }

    /** {@return references counted into the ranges not kept} */
    long referencesIntoOmitted() {
        return referencesIntoOmitted;
    }

    /** {@return references counted into any range} */
    long referencesIntoAll() {
        long sum = referencesIntoOmitted;
        for (int i = 0; i < kept.size(); i++) {
            sum += referencesInto[i];
        }
        return sum;
    }

    /**
     * Returns whether an offset lies in a damaged range.
     *
     * @param offset bytes from the start of the file, any value
     * @return whether it does
     */
    boolean isDamaged(long offset) {
        if (damagedSlots == null || offset < heapStartOffset || offset >= endOffset) {
            return false;
        }
        long s = slot(offset);
        return (damagedSlots[(int) (s >>> 6)] & (1L << s)) != 0;
    }

    /**
     * Counts a reference if it points into a damaged range.
     *
     * @param target the reference
     * @return whether it points into one (and was counted)
     */
    boolean countReference(long target) {
        if (!isDamaged(target)) {
            return false;
        }
        int lo = 0;
        int hi = kept.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Verifier.Damage d = kept.get(mid);
            if (target < d.startOffset()) {
                hi = mid - 1;
            } else if (target >= d.endOffset()) {
                lo = mid + 1;
            } else {
                referencesInto[mid]++;
                return true;
            }
        }
        referencesIntoOmitted++;
        return true;
    }

    /**
     * Returns where the next damaged range starts.
     *
     * @param fromOffset a 16-aligned offset in the heap
     * @return the first damaged offset at or after it, or the bump offset
     */
    long nextDamagedOffset(long fromOffset) {
        return next(fromOffset, false);
    }

    /**
     * Returns where the next intact stretch starts.
     *
     * @param fromOffset a 16-aligned offset in the heap
     * @return the first offset at or after it that is in no damaged range, or the bump offset
     */
    long nextIntactOffset(long fromOffset) {
        return next(fromOffset, true);
    }

    private long next(long fromOffset, boolean intact) {
        if (damagedSlots == null) {
            return intact ? fromOffset : endOffset;
        }
        long slots = slot(endOffset);
        long s = slot(fromOffset);
        while (s < slots) {
            int w = (int) (s >>> 6);
            long word = intact ? ~damagedSlots[w] : damagedSlots[w];
            word &= -1L << s;
            if (word != 0) {
                long found = ((long) w << 6) + Long.numberOfTrailingZeros(word);
                return found < slots ? heapStartOffset + found * StoreFormat.OBJECT_ALIGNMENT : endOffset;
            }
            s = ((long) w + 1) << 6;
        }
        return endOffset;
    }

    private long slot(long offset) {
        return (offset - heapStartOffset) / StoreFormat.OBJECT_ALIGNMENT;
    }
}
